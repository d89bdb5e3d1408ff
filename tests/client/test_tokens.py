"""Which token each request carries: explicit, from the environment, or none."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

from hf_endpoint_widgets import EndpointsClient, InferenceEndpoint

from .conftest import mock_only
from .fake_api import API, HUB, FakeAPI
from .payloads import endpoint_payload
from .sandbox_api import SandboxAPI

Backend = FakeAPI | SandboxAPI


def whoamis(api: Backend) -> int:
    return len([r for r in api.requests if r.url.path == "/api/whoami-v2"])


def test_token_false_sends_none_to_the_endpoint_either(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    seen: list[httpx2.Request] = []

    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=[{"label": "POSITIVE", "score": 0.9}])

    client = EndpointsClient(
        False, api_url=API, hub_url=HUB, transport=httpx2.MockTransport(handle)
    )
    endpoint = InferenceEndpoint.from_raw(
        endpoint_payload(), namespace="alice", client=client
    )

    endpoint.client.post({"inputs": "Hi"})
    asyncio.run(endpoint.async_client.post({"inputs": "Hi"}))

    assert len(seen) == 2
    assert all("authorization" not in r.headers for r in seen)


def test_explicit_token_beats_hf_token(
    api: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    client = EndpointsClient(
        api.token, api_url=api.api_url, hub_url=api.hub_url, transport=api.transport()
    )

    assert [e.id for e in client.list_inference_endpoints()] == ["alice/my-bert"]

    assert {r.headers["authorization"] for r in api.requests} == {f"Bearer {api.token}"}


def test_a_constructor_namespace_skips_whoami(api: Backend) -> None:
    client = EndpointsClient(
        api.token,
        api_url=api.api_url,
        hub_url=api.hub_url,
        namespace="alice",
        transport=api.transport(),
    )

    client.list_inference_endpoints()
    client.get_inference_endpoint("my-bert")

    assert whoamis(api) == 0


@mock_only
def test_whoami_is_asked_again_for_another_token(fake: FakeAPI) -> None:
    def make(token: str) -> EndpointsClient:
        return EndpointsClient(
            token, api_url=API, hub_url=HUB, transport=fake.transport()
        )

    make(fake.token).list_inference_endpoints()
    make(fake.token).list_inference_endpoints()
    assert whoamis(fake) == 1

    fake.token = "hf_second_token"
    make("hf_second_token").list_inference_endpoints()
    assert whoamis(fake) == 2
    assert fake.requests[-2].headers["authorization"] == "Bearer hf_second_token"
