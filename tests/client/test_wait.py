from __future__ import annotations

import httpx2
import pytest

from hf_endpoint_widgets import EndpointsClient, errors

from .conftest import FakeClock, mock_only
from .fake_api import FakeAPI

# These tests script exact responses, which only the in-memory fake can give.
pytestmark = mock_only


def health_requests(fake: FakeAPI) -> list[httpx2.Request]:
    return [r for r in fake.requests if r.url.path == "/health"]


def test_running_and_healthy_returns_at_once(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    endpoint = client.get_inference_endpoint("my-bert")

    assert endpoint.wait(timeout=10) is endpoint

    assert clock.sleeps == []
    probe = health_requests(fake)[0]
    assert str(probe.url) == "https://my-bert.us-east-1.aws.endpoints.example/health"
    assert probe.headers["authorization"] == f"Bearer {fake.token}"


@pytest.mark.parametrize("start", ["pending", "initializing", "updating", "paused"])
def test_waits_through_transitions(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock, start: str
) -> None:
    fake.add("alice", "my-bert", start)
    endpoint = client.get_inference_endpoint("my-bert")
    fetches = 0
    original = fake._route

    def route(request, parts):
        nonlocal fetches
        fetches += 1
        if fetches == 2:
            fake.add("alice", "my-bert", "running")
        return original(request, parts)

    fake._route = route

    endpoint.wait(timeout=60, refresh_every=5)

    assert endpoint.status == "running"
    assert clock.sleeps == [5, 5]


def test_health_route_must_answer_200(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    endpoint = client.get_inference_endpoint("my-bert")
    answers = iter([503, 200])
    original = fake.handle

    def handle(request):
        if request.url.path == "/health":
            fake.requests.append(request)
            return httpx2.Response(next(answers))
        return original(request)

    fake.handle = handle
    client._http._transport = httpx2.MockTransport(handle)

    endpoint.wait(refresh_every=2)

    assert clock.sleeps == [2]
    assert len(health_requests(fake)) == 2


def test_connection_errors_during_the_probe_mean_not_ready(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    endpoint = client.get_inference_endpoint("my-bert")
    calls = 0
    original = fake.handle

    def handle(request):
        nonlocal calls
        if request.url.path == "/health":
            calls += 1
            if calls == 1:
                raise httpx2.ConnectError("not yet")
        return original(request)

    client._http._transport = httpx2.MockTransport(handle)

    endpoint.wait(refresh_every=1)

    assert calls == 2 and clock.sleeps == [1]


@pytest.mark.parametrize(
    ("state", "word"), [("failed", "deploy"), ("updateFailed", "update")]
)
def test_failures_raise_with_the_server_message(
    fake: FakeAPI, client: EndpointsClient, state: str, word: str
) -> None:
    fake.add("alice", "my-bert", state, message="CUDA out of memory")
    endpoint = client.get_inference_endpoint("my-bert")

    with pytest.raises(errors.InferenceEndpointFailedError) as info:
        endpoint.wait(timeout=5)

    message = str(info.value)
    assert "alice/my-bert" in message and word in message
    assert "CUDA out of memory" in message


def test_timeout_is_a_builtin_timeout_error(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    fake.add("alice", "my-bert", "initializing")
    endpoint = client.get_inference_endpoint("my-bert")

    with pytest.raises(TimeoutError) as info:
        endpoint.wait(timeout=12, refresh_every=5)

    assert isinstance(info.value, errors.InferenceEndpointTimeoutError)
    assert "alice/my-bert" in str(info.value) and "initializing" in str(info.value)
    assert clock.sleeps == [5, 5, 2]


@pytest.mark.parametrize(("timeout", "every"), [(-1, 5), (None, 0)])
def test_bad_arguments(client: EndpointsClient, timeout, every) -> None:
    endpoint = client.get_inference_endpoint("my-bert")

    with pytest.raises(ValueError):
        endpoint.wait(timeout=timeout, refresh_every=every)


def test_client_needs_a_url(fake: FakeAPI, client: EndpointsClient) -> None:
    fake.add("alice", "my-bert", "pending")
    endpoint = client.get_inference_endpoint("my-bert")

    with pytest.raises(errors.EndpointNotDeployedError, match="alice/my-bert.*wait"):
        endpoint.client  # noqa: B018
    with pytest.raises(errors.EndpointNotDeployedError):
        endpoint.async_client  # noqa: B018


def test_on_wait_sees_the_seconds_waited(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    fake.add("alice", "my-bert", "initializing")
    endpoint = client.get_inference_endpoint("my-bert")
    seen: list[float] = []

    with pytest.raises(TimeoutError):
        endpoint.wait(timeout=10, refresh_every=4, on_wait=seen.append)

    assert seen == [0, 4, 8, 10]


@pytest.mark.parametrize("state", ["scaledToZero", "paused", "building"])
def test_states_that_do_not_move_on_their_own_poll_until_timeout(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock, state: str
) -> None:
    fake.add("alice", "my-bert", state)
    endpoint = client.get_inference_endpoint("alice/my-bert")

    with pytest.raises(errors.InferenceEndpointTimeoutError, match=state):
        endpoint.wait(timeout=12, refresh_every=5)

    assert clock.sleeps == [5, 5, 2]
    assert len(fake.sent("GET")) == 1 + 3
    assert health_requests(fake) == []


def test_a_fetch_that_fails_once_is_retried_and_waiting_goes_on(
    fake: FakeAPI, client: EndpointsClient, clock: FakeClock
) -> None:
    fake.add("alice", "my-bert", "initializing")
    endpoint = client.get_inference_endpoint("my-bert")
    fake.add("alice", "my-bert", "running")
    fake.fail("503")
    fake.fail("drop")

    endpoint.wait(timeout=60, refresh_every=5)

    assert endpoint.status == "running"
    assert clock.sleeps[0] == 5 and len(clock.sleeps) == 3
    assert len(health_requests(fake)) == 1
