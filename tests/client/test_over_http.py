"""The client against the sandbox over real HTTP: the same behaviours as the
MockTransport tests, through uvicorn, with the lifecycle moved by the sandbox's
clock instead of real sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from hf_endpoint_widgets import AsyncEndpointsClient, EndpointsClient, errors

from . import payloads
from .conftest import FakeClock

pytest.importorskip("starlette")
pytestmark = pytest.mark.sandbox

CREATE_ARGS = {
    **payloads.CREATE_ARGS,
    "repository": "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    "task": "text-classification",
}


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    from hf_endpoint_widgets import sandbox

    with sandbox.start(speed=0.0) as running:
        yield running


@pytest.fixture
def api(sb: Any, clock: FakeClock) -> Iterator[EndpointsClient]:
    sb.reset()

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        sb.advance(seconds)

    with EndpointsClient(
        sb.token, api_url=sb.url, hub_url=sb.url, clock=clock, sleep=sleep
    ) as client:
        yield client


def test_whole_lifecycle(sb: Any, api: EndpointsClient) -> None:
    endpoint = api.create_inference_endpoint("life", **CREATE_ARGS)
    assert endpoint.status == "pending" and endpoint.url is None

    endpoint.wait(timeout=120, refresh_every=1)
    assert endpoint.status == "running" and endpoint.url
    assert endpoint.client.post({"inputs": "I love it"})[0]["label"]

    assert endpoint.pause().status == "paused"
    assert endpoint.resume().status in ("pending", "initializing")
    endpoint.wait(timeout=120, refresh_every=1)
    assert endpoint.scale_to_zero().status == "scaledToZero"
    assert endpoint.update(max_replica=3).status == "updating"
    endpoint.wait(timeout=120, refresh_every=1)
    assert endpoint.max_replica == 3

    assert [e.id for e in api.list_inference_endpoints()] == [endpoint.id]
    endpoint.delete()
    with pytest.raises(errors.NotFoundError, match=endpoint.id):
        endpoint.fetch()


def test_update_merges_and_keeps_env(sb: Any, api: EndpointsClient) -> None:
    sb.seed("merge", task="text-classification", env={"A": "1", "B": "2"})

    updated = api.update_inference_endpoint("merge", env={"B": "3"}, min_replica=0)

    assert updated.raw["model"]["env"]["B"] == "3"
    assert updated.min_replica == 0 and updated.repository


def test_error_codes_over_http(sb: Any, api: EndpointsClient) -> None:
    sb.seed("taken", task="text-classification")

    with pytest.raises(errors.ConflictError, match=f"{sb.namespace}/taken"):
        api.create_inference_endpoint("taken", **CREATE_ARGS)
    with pytest.raises(errors.NotFoundError):
        api.get_inference_endpoint("missing")
    with pytest.raises(errors.AuthenticationError):
        api.list_inference_endpoints("someone-else")
    with pytest.raises(errors.BadRequestError, match="already running"):
        api.resume_inference_endpoint("taken", running_ok=False)
    assert api.resume_inference_endpoint("taken").status == "running"


def test_invalid_token_is_401(sb: Any) -> None:
    with (
        EndpointsClient(
            "hf_wrong", api_url=sb.url, hub_url=sb.url, namespace=sb.namespace
        ) as client,
        pytest.raises(errors.AuthenticationError) as info,
    ):
        client.list_inference_endpoints()

    assert info.value.status_code == 401 and "hf_wrong" not in str(info.value)


def test_reads_survive_429_5xx_and_dropped_connections(
    sb: Any, api: EndpointsClient, clock: FakeClock
) -> None:
    sb.seed("sturdy", task="text-classification")
    sb.faults(target="management", rate_limit_next=1, retry_after=4)
    sb.faults(target="management", fail_next=1)

    assert [e.name for e in api.list_inference_endpoints()] == ["sturdy"]
    assert 4.0 in clock.sleeps

    sb.faults(target="management", drop_next=1)
    assert api.get_inference_endpoint("sturdy").status == "running"


def test_actions_are_not_retried_over_http(sb: Any, api: EndpointsClient) -> None:
    sb.seed("once", task="text-classification")
    api.get_inference_endpoint("once")
    sb.faults(target="management", drop_next=1)
    before = sb.requests.count(f"POST /v2/endpoint/{sb.namespace}/once/pause")

    with pytest.raises(errors.EndpointConnectionError):
        api.pause_inference_endpoint("once")

    after = sb.requests.count(f"POST /v2/endpoint/{sb.namespace}/once/pause")
    assert after - before <= 1
    assert api.get_inference_endpoint("once").status == "running"


def test_failed_deployment_raises_on_wait(sb: Any, api: EndpointsClient) -> None:
    endpoint = api.create_inference_endpoint(
        "doomed", **{**CREATE_ARGS, "repository": "acme/model-that-fails"}
    )

    with pytest.raises(errors.InferenceEndpointFailedError, match="doomed"):
        endpoint.wait(timeout=120, refresh_every=1)


def test_hardware_catalog(api: EndpointsClient) -> None:
    rows = api.list_inference_endpoints_hardware()

    assert {"aws", "azure", "gcp"} <= {r.vendor for r in rows}
    assert all(r.price_per_hour is not None for r in rows)


def test_async_client_over_http(sb: Any) -> None:
    sb.reset()
    sb.seed("async-one", task="text-classification")

    async def scenario() -> list[str]:
        async with AsyncEndpointsClient(
            sb.token, api_url=sb.url, hub_url=sb.url
        ) as client:
            paused = await client.pause_inference_endpoint("async-one")
            listed = await client.list_inference_endpoints("*")
            return [paused.status, *[e.id for e in listed]]

    assert asyncio.run(scenario()) == ["paused", f"{sb.namespace}/async-one"]
