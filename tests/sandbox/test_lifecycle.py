"""States on the virtual clock: deploy, update, pause, resume, scale to zero, fail."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox

from .bodies import create_body

pytestmark = pytest.mark.sandbox


def _status(api: httpx2.Client, sb: Sandbox, name: str) -> dict:
    status: dict = api.get(f"/v2/endpoint/{sb.namespace}/{name}").json()["status"]
    return status


def _iso_now() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _post(api: httpx2.Client, sb: Sandbox, name: str, verb: str) -> httpx2.Response:
    return api.post(f"/v2/endpoint/{sb.namespace}/{name}/{verb}")


def test_create_goes_pending_initializing_running(
    api: httpx2.Client, sb: Sandbox
) -> None:
    api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("life"))

    seen = []
    for step in (0, 1.6, 3.0):
        sb.advance(step)
        status = _status(api, sb, "life")
        seen.append((status["state"], "url" in status, status["readyReplica"]))
    assert seen == [
        ("pending", False, 0),
        ("initializing", False, 0),
        ("running", True, 1),
    ]
    url = _status(api, sb, "life")["url"]
    assert url == f"{sb.url}/endpoints/{sb.namespace}/life"


def test_default_speed_runs_a_new_endpoint_in_about_five_seconds(
    api: httpx2.Client, sb: Sandbox
) -> None:
    sb.speed = 1.0
    api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("timed"))
    sb.speed = 0

    sb.advance(4.0)
    assert _status(api, sb, "timed")["state"] == "initializing"
    sb.advance(1.0)
    assert _status(api, sb, "timed")["state"] == "running"


def test_update_goes_updating_then_running(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("upd")
    raw = api.put(f"/v2/endpoint/{sb.namespace}/upd", json={"tags": ["x"]}).json()

    assert raw["status"]["state"] == "updating"
    assert "url" in raw["status"]
    sb.advance(3.5)
    assert _status(api, sb, "upd")["state"] == "running"


def test_update_to_a_failing_repository_is_update_failed(
    api: httpx2.Client, sb: Sandbox
) -> None:
    sb.seed("upd")
    sb.fail_repository("acme/broken", "weights are corrupt")
    api.put(
        f"/v2/endpoint/{sb.namespace}/upd",
        json={"model": {"repository": "acme/broken"}},
    )

    sb.advance(5)
    status = _status(api, sb, "upd")
    assert status["state"] == "updateFailed"
    assert "weights are corrupt" in status["message"]


def test_deployment_failure(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body("doomed", model__repository="acme/model-that-fails")
    api.post(f"/v2/endpoint/{sb.namespace}", json=body)

    sb.advance(10)
    status = _status(api, sb, "doomed")
    assert status["state"] == "failed"
    assert status["message"].startswith("Endpoint failed to deploy")
    assert "url" not in status
    for verb in ("pause", "resume"):
        assert _post(api, sb, "doomed", verb).status_code == 400
    assert api.put(f"/v2/endpoint/{sb.namespace}/doomed", json={}).status_code == 400


def test_pause_and_resume(api: httpx2.Client, sb: Sandbox) -> None:
    url = sb.seed("p")["status"]["url"]

    paused = _post(api, sb, "p", "pause").json()["status"]
    assert paused["state"] == "paused" and "url" not in paused
    assert (paused["readyReplica"], paused["targetReplica"]) == (0, 0)
    resumed = _post(api, sb, "p", "resume").json()["status"]
    assert resumed["state"] == "initializing"
    sb.advance(3.1)
    assert _status(api, sb, "p")["url"] == url


def test_resume_on_running_says_already_running(
    api: httpx2.Client, sb: Sandbox
) -> None:
    sb.seed("r")

    response = _post(api, sb, "r", "resume")
    assert response.status_code == 400
    assert "already running" in response.text


def test_scale_to_zero_keeps_the_url(api: httpx2.Client, sb: Sandbox) -> None:
    url = sb.seed("z")["status"]["url"]

    status = _post(api, sb, "z", "scale-to-zero").json()["status"]
    assert status["state"] == "scaledToZero"
    assert status["url"] == url
    assert (status["readyReplica"], status["targetReplica"]) == (0, 0)
    assert _post(api, sb, "z", "resume").json()["status"]["state"] == "initializing"


def test_idle_endpoint_scales_to_zero(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("idle", scale_to_zero_timeout=15)
    url = sb.endpoint_url("idle")

    sb.advance(14 * 60)
    assert api.post(url, json={"inputs": "still here?"}).status_code == 200
    sb.advance(14 * 60)
    assert _status(api, sb, "idle")["state"] == "running"
    sb.advance(60)
    assert _status(api, sb, "idle")["state"] == "scaledToZero"


def test_health_probes_are_not_traffic(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("probed", scale_to_zero_timeout=15)
    url = sb.endpoint_url("probed")

    for _minute in range(16):
        sb.advance(60)
        api.get(f"{url}/health")
        api.get(f"{url}/info")
    assert _status(api, sb, "probed")["state"] == "scaledToZero"
    probe = api.get(f"{url}/health")
    assert probe.status_code == 503 and "scaled to zero" in probe.json()["error"]
    assert _status(api, sb, "probed")["state"] == "scaledToZero"


def test_without_timeout_no_scale_to_zero(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("busy", min_replica=0)

    sb.advance(24 * 3600)
    assert _status(api, sb, "busy")["state"] == "running"


def test_request_wakes_a_scaled_to_zero_endpoint(
    api: httpx2.Client, sb: Sandbox
) -> None:
    sb.seed("sleepy", task="text-classification", status="scaledToZero")
    url = sb.endpoint_url("sleepy")

    cold = api.post(url, json={"inputs": "hello"})
    assert cold.status_code == 503
    assert "error" in cold.json()
    assert _status(api, sb, "sleepy")["state"] == "initializing"
    sb.advance(3.5)
    warm = api.post(url, json={"inputs": "hello"})
    assert warm.status_code == 200


def test_scale_up_timeout_holds_the_request(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("held", task="text-classification", status="scaledToZero")
    url = sb.endpoint_url("held")
    results: list[httpx2.Response] = []

    def call() -> None:
        headers = {"X-Scale-Up-Timeout": "30"}
        results.append(api.post(url, json={"inputs": "hi"}, headers=headers))

    thread = threading.Thread(target=call)
    thread.start()
    while _status(api, sb, "held")["state"] != "initializing":
        thread.join(0.005)
    sb.advance(3.5)
    thread.join(5)
    assert [r.status_code for r in results] == [200]


def test_scale_up_timeout_gives_up_with_503(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("short", task="text-classification", status="scaledToZero")
    sb.speed = 10.0

    headers = {"X-Scale-Up-Timeout": "0.5"}
    response = api.post(sb.endpoint_url("short"), json={"inputs": "x"}, headers=headers)
    assert response.status_code == 503


def test_logs_list_the_lifecycle(api: httpx2.Client, sb: Sandbox) -> None:
    api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("logged"))
    sb.advance(5)
    _post(api, sb, "logged", "pause")

    response = api.get(f"/v2/endpoint/{sb.namespace}/logged/logs")
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert [line.split()[1] for line in lines] == [
        "[pending]",
        "[initializing]",
        "[running]",
        "[paused]",
    ]
    assert all(line[:4].isdigit() and line.split()[0].endswith("Z") for line in lines)


@pytest.mark.parametrize(
    "state",
    [
        "pending",
        "initializing",
        "updating",
        "updateFailed",
        "running",
        "paused",
        "failed",
        "scaledToZero",
    ],
)
def test_seed_in_every_state(api: httpx2.Client, sb: Sandbox, state: str) -> None:
    raw = sb.seed(f"s-{state.lower()}", status=state)

    assert raw["status"]["state"] == state
    assert _status(api, sb, f"s-{state.lower()}")["state"] == state


def test_set_status_and_delete_behind_the_back(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("victim")

    raw = sb.set_status("victim", "failed", message="GPU fell off the bus")
    assert raw["status"]["message"] == "GPU fell off the bus"
    assert _status(api, sb, "victim")["state"] == "failed"
    assert sb.delete("victim") is True
    assert api.get(f"/v2/endpoint/{sb.namespace}/victim").status_code == 404
    assert sb.delete("victim") is False


def _epoch(stamp: str) -> float:
    assert stamp.endswith("Z")
    return datetime.fromisoformat(stamp[:-1] + "+00:00").timestamp()


def test_timestamps_are_wall_time_even_when_virtual_time_runs_ahead(
    api: httpx2.Client, sb: Sandbox
) -> None:
    before = time.time()
    created = sb.seed("clock")["status"]["createdAt"]
    sb.advance(3600)

    status = _post(api, sb, "clock", "pause").json()["status"]
    after = time.time()
    assert before - 0.001 <= _epoch(created) <= _epoch(status["updatedAt"])
    assert _epoch(status["updatedAt"]) <= after
    assert status["createdAt"] == created
    sb.advance(3600)
    resumed = _post(api, sb, "clock", "resume").json()["status"]
    assert status["updatedAt"] <= resumed["updatedAt"] <= _iso_now()
    lines = sb.logs("clock").splitlines()
    assert all(line[:24] <= _iso_now() for line in lines)
    assert [line[:24] for line in lines] == sorted(line[:24] for line in lines)


def test_seed_checks_its_arguments(sb: Sandbox) -> None:
    legacy = sb.seed("legacy", type="protected")

    assert legacy["type"] == "protected"
    with pytest.raises(ValueError, match="unknown variant"):
        sb.seed("bad-hw", accelerator="tpu")
    with pytest.raises(ValueError, match="lowercase"):
        sb.seed("Not_Valid")
    with pytest.raises(ValueError, match="unknown state"):
        sb.seed("odd", status="sleeping")
    with pytest.raises(TypeError):
        sb.seed("typo", min_replicas=0)
    with pytest.raises(KeyError):
        sb.get("never-created")
