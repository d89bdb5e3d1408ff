from __future__ import annotations

import asyncio
import json

import httpx2
import pytest

from hf_endpoint_widgets import AsyncEndpointsClient, errors

from .conftest import FakeClock, mock_only
from .fake_api import API, HUB, FakeAPI
from .payloads import CREATE_ARGS

# These tests script exact responses, which only the in-memory fake can give.
pytestmark = mock_only


def run(coro):
    return asyncio.run(coro)


def make(fake: FakeAPI, sleeps: list[float]) -> AsyncEndpointsClient:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return AsyncEndpointsClient(
        fake.token, api_url=API, hub_url=HUB, transport=fake.transport(), sleep=sleep
    )


def test_async_lifecycle(fake: FakeAPI) -> None:
    async def scenario():
        async with make(fake, []) as client:
            listed = await client.list_inference_endpoints()
            paused = await client.pause_inference_endpoint("my-bert")
            resumed = await client.resume_inference_endpoint("my-bert")
            again = await client.resume_inference_endpoint("my-bert")
            await client.delete_inference_endpoint("my-bert")
            return listed, paused, resumed, again

    fake.add("alice", "my-bert")
    listed, paused, resumed, again = run(scenario())

    assert [e.id for e in listed] == ["alice/my-bert"]
    assert (paused.status, resumed.status) == ("paused", "initializing")
    assert again.status == "initializing"
    assert "my-bert" not in fake.store["alice"]


def test_async_retries_reads_not_actions(fake: FakeAPI) -> None:
    sleeps: list[float] = []
    fake.script.append(
        httpx2.Response(429, json={"error": "x"}, headers={"retry-after": "2"})
    )

    async def scenario():
        async with make(fake, sleeps) as client:
            endpoint = await client.get_inference_endpoint("alice/my-bert")
            fake.script.append(httpx2.Response(500, json={"error": "boom"}))
            with pytest.raises(errors.ServerError):
                await client.pause_inference_endpoint("alice/my-bert")
            return endpoint

    endpoint = run(scenario())

    assert endpoint.status == "running"
    assert sleeps == [2.0]
    assert len(fake.sent("POST")) == 1


def test_async_endpoints_act_through_a_sync_twin(fake: FakeAPI) -> None:
    async def scenario():
        async with make(fake, []) as client:
            endpoint = await client.get_inference_endpoint("alice/my-bert")
            return endpoint.pause()

    assert run(scenario()).status == "paused"


@pytest.mark.parametrize(
    ("method", "name", "fields", "rule"),
    [
        ("create_inference_endpoint", "Bad Name", CREATE_ARGS, "lowercase"),
        ("update_inference_endpoint", "my-bert", {"max_replica": 0}, "at least 1"),
    ],
)
def test_async_validation_sends_nothing(
    fake: FakeAPI, method: str, name: str, fields: dict, rule: str
) -> None:
    async def scenario():
        async with make(fake, []) as client:
            await getattr(client, method)(name, **fields)

    with pytest.raises(ValueError, match=rule):
        run(scenario())
    assert fake.requests == []


def test_async_methods_take_a_per_call_token(fake: FakeAPI) -> None:
    async def scenario():
        async with AsyncEndpointsClient(
            False, api_url=API, hub_url=HUB, transport=fake.transport()
        ) as client:
            return await client.scale_to_zero_inference_endpoint(
                "my-bert", token=fake.token
            )

    assert run(scenario()).status == "scaledToZero"
    assert {r.headers.get("authorization") for r in fake.requests} == {
        f"Bearer {fake.token}"
    }
    assert fake.requests[0].url.path == "/api/whoami-v2"


def test_async_endpoints_keep_working_after_the_client_closes(fake: FakeAPI) -> None:
    async def scenario():
        async with make(fake, []) as client:
            return await client.get_inference_endpoint("alice/my-bert")

    endpoint = run(scenario())

    assert endpoint.pause().status == "paused"


def test_the_sync_twin_keeps_retries_and_clock(fake: FakeAPI, clock: FakeClock) -> None:
    fake.add("alice", "my-bert", "initializing")

    async def scenario():
        async with AsyncEndpointsClient(
            fake.token,
            api_url=API,
            hub_url=HUB,
            transport=fake.transport(),
            max_retries=0,
            clock=clock,
            sync_sleep=clock.sleep,
        ) as client:
            return await client.get_inference_endpoint("alice/my-bert")

    endpoint = run(scenario())
    with pytest.raises(TimeoutError):
        endpoint.wait(timeout=10, refresh_every=5)
    assert clock.sleeps == [5, 5]

    fake.fail("503")
    with pytest.raises(errors.ServerError):
        endpoint.fetch()
    assert clock.sleeps == [5, 5]


def test_async_update_and_scale_to_zero(fake: FakeAPI) -> None:
    async def scenario():
        async with make(fake, []) as client:
            updated = await client.update_inference_endpoint(
                "alice/my-bert", max_replica=4
            )
            scaled = await client.scale_to_zero_inference_endpoint("alice/my-bert")
            return updated, scaled

    updated, scaled = run(scenario())

    assert (updated.status, scaled.status) == ("updating", "scaledToZero")
    put = fake.sent("PUT")[0]
    assert json.loads(put.content) == {"compute": {"scaling": {"maxReplica": 4}}}
    assert fake.sent("POST")[0].url.path == "/v2/endpoint/alice/my-bert/scale-to-zero"


def test_async_reads_retry_connection_errors_and_actions_do_not(
    fake: FakeAPI,
) -> None:
    sleeps: list[float] = []
    fake.fail("drop", count=2)

    async def scenario():
        async with make(fake, sleeps) as client:
            endpoint = await client.get_inference_endpoint("alice/my-bert")
            fake.fail("drop")
            with pytest.raises(errors.EndpointConnectionError, match="api.test"):
                await client.pause_inference_endpoint("alice/my-bert")
            fake.fail("drop", count=4)
            with pytest.raises(errors.EndpointConnectionError):
                await client.get_inference_endpoint("alice/my-bert")
            return endpoint

    assert run(scenario()).status == "running"
    assert len(sleeps) == 2 + 3
    assert len(fake.sent("POST")) == 1
    assert len(fake.sent("GET")) == 3 + 4
