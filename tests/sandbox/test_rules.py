"""Rules of the real API: the task enum, health routes, quotas, what a PUT merges."""

from __future__ import annotations

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox
from hf_endpoint_widgets.sandbox._tasks import TASK_NAMES, TASKS

from .bodies import create_body

pytestmark = pytest.mark.sandbox


def _create(api: httpx2.Client, sb: Sandbox, body: dict) -> httpx2.Response:
    return api.post(f"/v2/endpoint/{sb.namespace}", json=body)


def _gpu(name: str, size: str, **scaling: int) -> dict:
    body = create_body(name)
    body["compute"] = {
        "accelerator": "gpu",
        "instanceType": "nvidia-t4",
        "instanceSize": size,
        "scaling": {"minReplica": 1, "maxReplica": 1, **scaling},
    }
    return body


def test_unknown_task_is_an_unknown_variant(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body("typo")
    body["model"]["task"] = "text-genration"

    response = _create(api, sb, body)
    assert response.status_code == 422
    assert "model.task: unknown variant `text-genration`" in response.json()["error"]
    _create(api, sb, create_body("typo"))
    put = api.put(f"/v2/endpoint/{sb.namespace}/typo", json={"model": {"task": "chat"}})
    assert put.status_code == 422 and "unknown variant `chat`" in put.text
    with pytest.raises(ValueError, match="unknown variant"):
        sb.seed("odd-task", task="sentiment")
    assert set(TASKS) <= set(TASK_NAMES) and "custom" in TASK_NAMES


@pytest.mark.parametrize("task", ["image-text-to-text", "text-to-speech", "custom"])
def test_tasks_newer_than_the_published_enum_are_accepted(
    api: httpx2.Client, sb: Sandbox, task: str
) -> None:
    body = create_body("modern")
    body["model"]["task"] = task

    assert _create(api, sb, body).status_code == 202


def test_health_route_gets_a_leading_slash(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body("probe")
    body["model"]["image"] = {
        "tgi": {"url": "ghcr.io/huggingface/tgi:3", "healthRoute": "hc"}
    }

    raw = _create(api, sb, body).json()
    assert raw["healthRoute"] == "/hc"
    sb.set_status("probe", "running")
    url = sb.get("probe")["status"]["url"]
    # What huggingface_hub's wait() requests.
    probe = f"{url.rstrip('/')}/{raw['healthRoute'].lstrip('/')}"
    assert api.get(probe).status_code == 200


def test_update_drops_unknown_keys_before_merging(
    api: httpx2.Client, sb: Sandbox
) -> None:
    sb.seed("merge", env={"A": "1"})
    deep: object = "bottom"
    for _level in range(900):
        deep = {"x": deep}
    url = f"/v2/endpoint/{sb.namespace}/merge"

    too_deep = api.put(url, json={"model": {"env": {"B": "2"}}, "unknown": deep})
    assert too_deep.status_code == 400
    assert "recursion limit" in too_deep.json()["error"]
    shallow = {"model": {"env": {"B": "2"}, "junk": {"x": 1}}, "unknown": {"y": [1]}}
    raw = api.put(url, json=shallow).json()
    assert raw["model"]["env"] == {"B": "2"}
    assert "junk" not in raw["model"] and "unknown" not in raw


def test_quota_is_enforced_on_create_update_and_resume(
    api: httpx2.Client, sb: Sandbox
) -> None:
    quota = {
        c["id"]: c["quota"]
        for v in api.get(f"/v2/provider/{sb.namespace}").json()["vendors"]
        for r in v["regions"]
        for c in r["computes"]
    }["aws-us-east-1-nvidia-t4-x1"]
    assert quota == {"maxAccelerators": 8, "usedAccelerators": 0}

    assert _create(api, sb, _gpu("first", "x4")).status_code == 202
    assert _create(api, sb, _gpu("second", "x4")).status_code == 202
    refused = _create(api, sb, _gpu("third", "x1"))
    assert refused.status_code == 400
    message = refused.json()["error"]
    assert message.startswith("Quota exceeded for sandbox-user/third")
    assert "needs 1 nvidia-t4 accelerators" in message and "0 of 8 are free" in message

    assert api.post(f"/v2/endpoint/{sb.namespace}/second/pause").status_code == 200
    assert _create(api, sb, _gpu("third", "x1")).status_code == 202
    scale_up = {"compute": {"scaling": {"minReplica": 2, "maxReplica": 2}}}
    grown = api.put(f"/v2/endpoint/{sb.namespace}/first", json=scale_up)
    assert grown.status_code == 400 and "Quota exceeded" in grown.text
    resumed = api.post(f"/v2/endpoint/{sb.namespace}/second/resume")
    assert resumed.status_code == 400 and "Quota exceeded" in resumed.text
    paused_update = api.put(f"/v2/endpoint/{sb.namespace}/second", json=scale_up)
    assert paused_update.status_code == 200
    assert (
        api.get(f"/v2/endpoint/{sb.namespace}/first").json()["compute"]["scaling"][
            "minReplica"
        ]
        == 1
    )
