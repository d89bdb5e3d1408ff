"""The widgets against the local sandbox, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hf_endpoint_widgets._poller import active_pollers
from hf_endpoint_widgets.widgets import EndpointManager, StatusBadge

pytestmark = pytest.mark.sandbox

LIST = "/v2/endpoint/*"
SPEC_KEYS = ("name", "repository", "vendor", "region", "instance_type", "instance_size")


@pytest.fixture
def sb() -> Iterator[object]:
    sandbox = pytest.importorskip("hf_endpoint_widgets.sandbox")
    with sandbox.start(speed=60) as running:
        running.seed(
            "chat-llm",
            status="running",
            instance_type="nvidia-l4",
            instance_size="x1",
            accelerator="gpu",
        )
        running.seed("embedder", task="feature-extraction", status="paused")
        running.seed("classifier", task="text-classification", status="scaledToZero")
        yield running


def page(widget: object, **content: object) -> None:
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def test_three_widgets_one_list_request(sb) -> None:
    client = sb.client
    manager = EndpointManager(client, push=False)
    other = EndpointManager(client, push=False)
    badge = StatusBadge("embedder", client, push=False)

    assert sb.requests.count("GET", LIST) == 1
    assert badge.status == "paused"
    for widget in (manager, other, badge):
        page(widget, type="pull")
    assert sb.requests.count("GET", LIST) == 1
    state = json.dumps([w.get_state() for w in (manager, other, badge)], default=str)
    assert sb.token not in state


def test_actions_and_creation_reach_every_widget(sb) -> None:
    client = sb.client
    manager = EndpointManager(client, push=False)
    badge = StatusBadge("embedder", client, push=False)

    page(
        manager, type="action", action="resume", names=[f"{client.namespace}/embedder"]
    )
    assert manager.error == ""
    assert sb.requests.count("POST", "/v2/endpoint/*/embedder/resume") == 1
    assert badge.wait_for("running", timeout=30, refresh_every=0.05).status == "running"

    form = manager.create_form()
    page(form, type="catalog")
    row = form.hardware[0]
    spec = {
        "name": "fresh-one",
        "repository": "openai-community/gpt2",
        "task": "text-generation",
        "vendor": row["vendor"],
        "region": row["region"],
        "instance_type": row["instance_type"],
        "instance_size": row["instance_size"],
    }
    page(form, type="create", spec=spec)
    assert form.error == ""
    assert form.created == f"{client.namespace}/fresh-one"
    assert form.created in [r["id"] for r in manager.endpoints]

    follower = StatusBadge(form.created, client, push=False)
    assert follower.wait_for("running", timeout=30, refresh_every=0.05)
    assert follower.status == "running"


def test_refused_action_reports_the_server_message(sb) -> None:
    client = sb.client
    manager = EndpointManager(client, push=False)
    sb.delete("chat-llm")
    page(manager, type="action", action="pause", names=[f"{client.namespace}/chat-llm"])
    assert f"Could not pause {client.namespace}/chat-llm: HTTP 404" in manager.error


def test_star_follows_the_user_and_their_organizations(sb) -> None:
    sb.seed("team-llm", status="paused", namespace=sb.org)
    manager = EndpointManager(sb.client, namespace="*", push=False)

    ids = [row["id"] for row in manager.endpoints]
    form = manager.create_form()

    assert f"{sb.org}/team-llm" in ids and f"{sb.namespace}/chat-llm" in ids
    assert manager.total_price_per_hour > 0
    assert form.namespace == sb.namespace
    manager.resume(f"{sb.org}/team-llm")
    assert sb.get("team-llm", sb.org)["status"]["state"] != "paused"
    page(form, type="catalog")
    row = form.hardware[0]
    spec = {"name": "from-star", "repository": "openai-community/gpt2", **row}
    page(form, type="create", spec={k: spec[k] for k in SPEC_KEYS})
    assert f"{sb.namespace}/from-star" in [r["id"] for r in manager.endpoints]
    assert active_pollers() == [manager._poller]
    form.close()
    manager.close()
