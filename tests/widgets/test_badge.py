from __future__ import annotations

import json

import pytest

from hf_endpoint_widgets import InferenceEndpoint
from hf_endpoint_widgets.errors import (
    AuthenticationError,
    InferenceEndpointError,
    InferenceEndpointTimeoutError,
    ServerError,
)
from hf_endpoint_widgets.widgets import StatusBadge

from .conftest import updates
from .fakes import FakeClient, raw_endpoint


def badge(client: FakeClient, name: str = "embedder") -> StatusBadge:
    return StatusBadge(name, client, push=False)  # type: ignore[arg-type]


def test_traits(client: FakeClient) -> None:
    b = badge(client, "alice/chat-llm")
    assert (b.namespace, b.name, b.status) == ("alice", "chat-llm", "running")
    assert b.message == "Endpoint is ready"
    assert (b.ready_replica, b.target_replica) == (1, 1)
    assert client.token not in json.dumps(b.get_state(), default=str)


def test_accepts_endpoint_objects(client: FakeClient) -> None:
    endpoint = InferenceEndpoint.from_raw(raw_endpoint("embedder", "paused"), "alice")
    assert badge(client, endpoint).status == "paused"  # type: ignore[arg-type]


def test_accepts_huggingface_hub_endpoints_before_any_fetch(
    client: FakeClient,
) -> None:
    hub = pytest.importorskip("huggingface_hub")
    endpoint = hub.InferenceEndpoint.from_raw(
        raw_endpoint("chat-llm"), namespace="alice", token=False
    )
    client.fail = ServerError("down", status_code=503, server_message="unavailable")
    b = badge(client, endpoint)
    assert (b.status, b.message) == ("running", "Endpoint is ready")
    assert (b.ready_replica, b.target_replica) == (1, 1)


def test_missing_endpoint_shows_an_error(client: FakeClient) -> None:
    b = badge(client, "nope")
    assert b.status == ""
    assert "alice/nope is not listed" in b.error


def fake_sleep(client: FakeClient, script: dict[int, str]) -> list[float]:
    naps: list[float] = []

    def sleep(seconds: float) -> bool:
        naps.append(seconds)
        client.clock.advance(seconds)
        if len(naps) in script:
            client.set_status("embedder", script[len(naps)])
        return False

    StatusBadge._sleep = staticmethod(sleep)  # type: ignore[assignment]
    return naps


@pytest.fixture(autouse=True)
def _restore_sleep():
    original = StatusBadge.__dict__["_sleep"]
    yield
    StatusBadge._sleep = original


def test_wait_for_running_updates_the_badge(client: FakeClient) -> None:
    client.set_status("embedder", "pending")
    b = badge(client)
    naps = fake_sleep(client, {1: "initializing", 3: "running"})
    sent = len(updates(b))

    endpoint = b.wait_for("running", refresh_every=5)

    assert endpoint.id == "alice/embedder" and endpoint.status == "running"
    assert naps == [5, 5, 5]
    assert b.status == "running"
    statuses = [u["status"] for u in updates(b)[sent:] if "status" in u]
    assert statuses == ["initializing", "running"]


def test_wait_for_raises_when_failed(client: FakeClient) -> None:
    client.set_status("embedder", "initializing")
    b = badge(client)
    fake_sleep(client, {1: "failed"})
    with pytest.raises(InferenceEndpointError, match="alice/embedder failed to deploy"):
        b.wait_for()
    assert b.status == "failed"


def test_wait_for_timeout_is_a_timeout_error(client: FakeClient) -> None:
    b = badge(client)
    naps = fake_sleep(client, {})
    with pytest.raises(TimeoutError) as info:
        b.wait_for("running", timeout=12, refresh_every=5)
    assert isinstance(info.value, InferenceEndpointTimeoutError)
    assert naps == [5, 5, 2]  # the last nap ends at the timeout
    assert "it is paused" in str(info.value)


def test_wait_for_stops_on_permanent_api_errors(client: FakeClient) -> None:
    b = badge(client)
    fake_sleep(client, {})
    client.fail = AuthenticationError("no", status_code=401, server_message="bad token")
    with pytest.raises(AuthenticationError):
        b.wait_for("running", timeout=100)


def test_wait_for_validates_arguments(client: FakeClient) -> None:
    b = badge(client)
    with pytest.raises(ValueError):
        b.wait_for(timeout=-1)
    with pytest.raises(ValueError):
        b.wait_for(refresh_every=0)


def test_wait_for_running_also_waits_for_the_health_route(client: FakeClient) -> None:
    client.set_status("embedder", "running")
    client.healthy = False
    b = badge(client)
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        client.clock.advance(seconds)
        client.healthy = len(naps) >= 2

    StatusBadge._sleep = staticmethod(sleep)  # type: ignore[assignment]

    b.wait_for("running", refresh_every=5)

    assert naps == [5, 5]
    assert (
        client.probes == ["https://embedder.us-east-1.aws.endpoints.example/health"] * 3
    )
