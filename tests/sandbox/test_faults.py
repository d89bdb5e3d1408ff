"""Faults on demand: latency, 5xx (counter and rate), 429 bursts, drops, deletes."""

from __future__ import annotations

import asyncio
import time

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox, create_app
from hf_endpoint_widgets.sandbox._faults import Faults

pytestmark = pytest.mark.sandbox


def _codes(api: httpx2.Client, url: str, count: int) -> list[int]:
    return [api.get(url).status_code for _ in range(count)]


def test_added_latency(api: httpx2.Client, sb: Sandbox) -> None:
    sb.faults(latency=0.15)

    started = time.perf_counter()
    assert api.get("/api/whoami-v2").status_code == 200
    assert time.perf_counter() - started >= 0.15
    sb.clear_faults()
    started = time.perf_counter()
    api.get("/api/whoami-v2")
    assert time.perf_counter() - started < 0.15


def test_next_requests_fail_then_recover(api: httpx2.Client, sb: Sandbox) -> None:
    rule = sb.faults(fail_next=2)

    responses = [api.get("/api/whoami-v2") for _ in range(3)]
    assert [r.status_code for r in responses] == [503, 503, 200]
    assert responses[0].json() == {"error": "Service Unavailable (sandbox fault)"}
    assert "x-request-id" in responses[0].headers
    assert rule.fail_next == 0
    sb.faults(fail_next=1, error_status=500)
    assert _codes(api, "/api/whoami-v2", 2) == [500, 200]


def test_error_rate_is_seeded(api: httpx2.Client, sb: Sandbox) -> None:
    sb.faults(error_rate=1.0)
    assert _codes(api, "/api/whoami-v2", 3) == [503, 503, 503]
    sb.faults(error_rate=0.0)
    assert _codes(api, "/api/whoami-v2", 3) == [200, 200, 200]

    first, second = Faults(seed=7), Faults(seed=7)
    for faults in (first, second):
        faults.set(error_rate=0.5)
    draws = [
        [f.decide("management", None).action for _ in range(50)]
        for f in (first, second)
    ]
    assert draws[0] == draws[1]
    assert 10 < draws[0].count("error") < 40


def test_rate_limit_burst(api: httpx2.Client, sb: Sandbox) -> None:
    sb.faults(rate_limit_next=2, retry_after=7)

    responses = [api.get(f"/v2/endpoint/{sb.namespace}") for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 200]
    assert responses[0].headers["retry-after"] == "7"
    assert "Too Many Requests" in responses[0].json()["error"]


def test_dropped_connections(api: httpx2.Client, sb: Sandbox) -> None:
    sb.faults(drop_next=2)

    for _ in range(2):
        with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):
            api.get("/api/whoami-v2")
    assert api.get("/api/whoami-v2").status_code == 200
    assert [r.status for r in sb.requests.entries] == [0, 0, 200]


def test_targets_management_or_inference(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("target", task="text-classification")
    url = sb.endpoint_url("target")

    sb.faults(target="inference", fail_next=1)
    assert api.get(f"/v2/endpoint/{sb.namespace}/target").status_code == 200
    assert api.post(url, json={"inputs": "x"}).status_code == 503
    sb.faults(target="management", fail_next=1)
    assert api.post(url, json={"inputs": "x"}).status_code == 200
    assert api.get(f"/v2/endpoint/{sb.namespace}").status_code == 503


def test_per_endpoint_faults(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("flaky", task="text-classification")
    sb.seed("solid", task="text-classification")

    sb.faults(endpoint="flaky", fail_next=5)
    assert api.post(sb.endpoint_url("solid"), json={"inputs": "x"}).status_code == 200
    assert api.get(f"/v2/endpoint/{sb.namespace}/solid").status_code == 200
    assert api.post(sb.endpoint_url("flaky"), json={"inputs": "x"}).status_code == 503
    assert api.get(f"/v2/endpoint/{sb.namespace}/flaky").status_code == 503
    assert api.get(f"/v2/endpoint/{sb.namespace}").status_code == 200


def test_endpoint_deleted_behind_the_back(api: httpx2.Client, sb: Sandbox) -> None:
    sb.seed("ghost", task="text-classification")
    url = sb.endpoint_url("ghost")
    assert api.post(url, json={"inputs": "x"}).status_code == 200

    sb.delete("ghost")
    assert api.post(url, json={"inputs": "x"}).status_code == 404
    assert api.post(f"/v2/endpoint/{sb.namespace}/ghost/pause").status_code == 404


def test_bad_fault_arguments(sb: Sandbox) -> None:
    with pytest.raises(ValueError):
        sb.faults(error_status=200)
    with pytest.raises(ValueError):
        sb.faults(error_rate=2)
    with pytest.raises(ValueError):
        sb.faults(target="everything")  # type: ignore[arg-type]


def test_app_without_a_server() -> None:
    app = create_app(speed=0)
    backend = app.state.backend
    transport = httpx2.ASGITransport(app=app)
    headers = {"authorization": f"Bearer {backend.account.token}"}

    async def scenario() -> None:
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://sb", headers=headers
        ) as client:
            me = await client.get("/api/whoami-v2")
            assert me.json()["name"] == "sandbox-user"
            backend.faults.set(drop_next=1)
            with pytest.raises(ConnectionError):
                await client.get("/api/whoami-v2")

    asyncio.run(scenario())
