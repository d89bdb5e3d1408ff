"""Code written for huggingface_hub keeps working after switching the import."""

from __future__ import annotations

import json

import pytest

from hf_endpoint_widgets import (
    EndpointsClient,
    InferenceEndpoint,
    InferenceEndpointType,
    errors,
)

from .conftest import mock_only
from .fake_api import FakeAPI
from .sandbox_api import SandboxAPI

Backend = FakeAPI | SandboxAPI
VLLM = {"vLLM": {"url": "vllm/vllm-openai:v0.10", "port": 80}}


@pytest.fixture
def anonymous(api: Backend) -> EndpointsClient:
    """A client without a token of its own: only a per-call token gets through."""
    return EndpointsClient(
        False, api_url=api.api_url, hub_url=api.hub_url, transport=api.transport()
    )


def auth(api: Backend) -> list[str | None]:
    return [r.headers.get("authorization") for r in api.requests]


def test_a_per_call_token_is_sent_and_kept_by_the_endpoint(
    api: Backend, anonymous: EndpointsClient
) -> None:
    with pytest.raises(errors.AuthenticationError):
        anonymous.get_inference_endpoint("alice/my-bert")

    endpoint = anonymous.get_inference_endpoint("alice/my-bert", token=api.token)
    endpoint.pause()

    assert auth(api) == [None, f"Bearer {api.token}", f"Bearer {api.token}"]
    assert endpoint.status == "paused"


def test_a_per_call_token_resolves_its_own_namespace(
    api: Backend, anonymous: EndpointsClient
) -> None:
    listed = anonymous.list_inference_endpoints(token=api.token)

    assert [e.id for e in listed] == ["alice/my-bert"]
    assert [r.url.path for r in api.requests] == [
        "/api/whoami-v2",
        "/v2/endpoint/alice",
    ]
    assert set(auth(api)) == {f"Bearer {api.token}"}


def test_from_raw_takes_api_and_token(api: Backend, anonymous: EndpointsClient) -> None:
    raw = anonymous.get_inference_endpoint("alice/my-bert", token=api.token).raw

    via_api = InferenceEndpoint.from_raw(raw, namespace="alice", api=anonymous)
    with pytest.raises(errors.AuthenticationError):
        via_api.fetch()
    with_token = InferenceEndpoint.from_raw(
        raw, namespace="alice", api=anonymous, token=api.token
    )

    assert with_token.fetch().status == "running"
    assert auth(api)[-2:] == [None, f"Bearer {api.token}"]


def test_public_has_huggingface_hubs_spelling_too() -> None:
    assert InferenceEndpointType.PUBlIC is InferenceEndpointType.PUBLIC
    assert InferenceEndpointType("public") is InferenceEndpointType.PUBlIC


def test_parallelism_is_set_inside_the_current_image(
    api: Backend, client: EndpointsClient
) -> None:
    api.add("alice", "vllm-one", image=VLLM)
    image = client.get_inference_endpoint("alice/vllm-one").raw["model"]["image"]

    client.update_inference_endpoint(
        "vllm-one", tensor_parallel_size=2, data_parallel_size=2
    )

    assert [r.method for r in api.requests[-2:]] == ["GET", "PUT"]
    sizes = {"tensorParallelSize": 2, "dataParallelSize": 2}
    assert json.loads(api.sent("PUT")[0].content) == {
        "model": {"image": {"vLLM": {**image["vLLM"], **sizes}}}
    }


def test_parallelism_goes_into_a_given_image_without_a_fetch(
    api: Backend, client: EndpointsClient
) -> None:
    endpoint = client.get_inference_endpoint("alice/my-bert")
    before = len(api.requests)

    endpoint.update(custom_image=VLLM, tensor_parallel_size=4)

    assert [r.method for r in api.requests[before:]] == ["PUT"]
    image = json.loads(api.sent("PUT")[0].content)["model"]["image"]
    assert image == {"vLLM": {**VLLM["vLLM"], "tensorParallelSize": 4}}


def test_parallelism_refuses_to_send_back_redacted_credentials(
    api: Backend, client: EndpointsClient
) -> None:
    secret = {"username": "bot", "password": "registry-secret"}
    api.add(
        "alice", "private-img", image={"vLLM": {**VLLM["vLLM"], "credentials": secret}}
    )

    with pytest.raises(ValueError, match="alice/private-img.*credentials"):
        client.update_inference_endpoint("alice/private-img", tensor_parallel_size=2)

    assert api.sent("PUT") == []


@pytest.mark.parametrize("size", [0, -1, 1.5, True])
def test_parallelism_sizes_are_checked_before_sending(
    api: Backend, client: EndpointsClient, size: object
) -> None:
    with pytest.raises(ValueError, match="tensor_parallel_size"):
        client.update_inference_endpoint("my-bert", tensor_parallel_size=size)

    assert api.requests == []


@mock_only
def test_parallelism_on_an_image_without_it_warns(
    fake: FakeAPI, client: EndpointsClient
) -> None:
    with pytest.warns(UserWarning, match="'huggingface' image has no"):
        client.update_inference_endpoint("alice/my-bert", data_parallel_size=2)

    image = json.loads(fake.sent("PUT")[0].content)["model"]["image"]
    assert image == {"huggingface": {"dataParallelSize": 2}}
