from __future__ import annotations

import json
import logging

import httpx2
import pytest

from hf_endpoint_widgets import EndpointsClient, InferenceEndpoint, errors
from hf_endpoint_widgets._payloads import name_problem

from .conftest import FakeClock, mock_only
from .fake_api import API, HUB, FakeAPI
from .payloads import CREATE_ARGS, endpoint_payload
from .sandbox_api import SandboxAPI

Backend = FakeAPI | SandboxAPI


def body(request: httpx2.Request) -> dict:
    return json.loads(request.content)


def test_list_uses_the_whoami_namespace(api: Backend, client: EndpointsClient) -> None:
    endpoints = client.list_inference_endpoints()

    assert [e.id for e in endpoints] == ["alice/my-bert"]
    assert [r.url.path for r in api.requests] == [
        "/api/whoami-v2",
        "/v2/endpoint/alice",
    ]
    assert all(
        r.headers["authorization"] == f"Bearer {api.token}" for r in api.requests
    )


def test_whoami_is_cached_per_token(api: Backend, client: EndpointsClient) -> None:
    client.list_inference_endpoints()
    client.list_inference_endpoints()

    assert len([r for r in api.requests if r.url.path == "/api/whoami-v2"]) == 1


@mock_only
def test_star_lists_user_and_orgs_and_skips_refusals(fake: FakeAPI) -> None:
    fake.orgs = ("acme", "locked")
    fake.add("acme", "org-model")
    client = EndpointsClient(
        fake.token, api_url=API, hub_url=HUB, transport=fake.transport()
    )
    original = fake._route

    def route(request, parts):
        if parts[1] == "locked":
            return httpx2.Response(403, json={"error": "no"})
        return original(request, parts)

    fake._route = route

    endpoints = client.list_inference_endpoints("*")

    assert sorted(e.id for e in endpoints) == ["acme/org-model", "alice/my-bert"]


def test_name_accepts_namespace_slash_name_and_objects(
    api: Backend, client: EndpointsClient
) -> None:
    api.add("acme", "shared")

    by_string = client.get_inference_endpoint("acme/shared")
    by_object = client.get_inference_endpoint(by_string)

    assert by_string.id == by_object.id == "acme/shared"
    assert api.requests[-1].url.path == "/v2/endpoint/acme/shared"


def test_create_sends_the_huggingface_hub_body(
    api: Backend, client: EndpointsClient
) -> None:
    endpoint = client.create_inference_endpoint("new-one", **CREATE_ARGS)

    sent = body(api.sent("POST")[0])
    assert sent == {
        "accountId": None,
        "compute": {
            "accelerator": "cpu",
            "instanceSize": "x2",
            "instanceType": "intel-icl",
            "scaling": {"minReplica": 1, "maxReplica": 1, "scaleToZeroTimeout": None},
        },
        "model": {
            "framework": "pytorch",
            "repository": "gpt2",
            "revision": None,
            "image": {"huggingface": {}},
        },
        "name": "new-one",
        "provider": {"region": "us-east-1", "vendor": "aws"},
        "type": "authenticated",
    }
    assert endpoint.status == "pending"


def test_create_optional_fields_and_custom_image(
    api: Backend, client: EndpointsClient
) -> None:
    client.create_inference_endpoint(
        "custom-one",
        **CREATE_ARGS,
        task="text-generation",
        custom_image={"url": "ghcr.io/org/img:1", "healthRoute": "/health"},
        env={"A": "1"},
        secrets={"S": "2"},
        min_replica=0,
        scale_to_zero_timeout=15,
        scaling_metric="pendingRequests",
        scaling_threshold=1.5,
        tags=["dev"],
        domain="x.example",
    )

    sent = body(api.sent("POST")[0])
    assert sent["model"]["task"] == "text-generation"
    assert sent["model"]["image"] == {
        "custom": {"url": "ghcr.io/org/img:1", "healthRoute": "/health"}
    }
    assert (sent["model"]["env"], sent["model"]["secrets"]) == ({"A": "1"}, {"S": "2"})
    assert sent["compute"]["scaling"] == {
        "minReplica": 0,
        "maxReplica": 1,
        "scaleToZeroTimeout": 15,
        "measure": {"pendingRequests": 1.5},
    }
    assert (sent["tags"], sent["route"]) == (["dev"], {"domain": "x.example"})


def test_image_variants_are_forwarded_as_keyed(
    api: Backend, client: EndpointsClient
) -> None:
    image = {"vLLM": {"url": "vllm/vllm-openai:latest", "tensorParallelSize": 2}}

    client.create_inference_endpoint("vllm-one", **CREATE_ARGS, custom_image=image)

    assert body(api.sent("POST")[0])["model"]["image"] == image


def test_update_sends_only_given_fields(api: Backend, client: EndpointsClient) -> None:
    endpoint = client.update_inference_endpoint(
        "my-bert", max_replica=4, env={"A": "2"}
    )

    assert body(api.sent("PUT")[0]) == {
        "compute": {"scaling": {"maxReplica": 4}},
        "model": {"env": {"A": "2"}},
    }
    assert endpoint.status == "updating"


def test_update_with_empty_container_args_clears_them(
    api: Backend, client: EndpointsClient
) -> None:
    client.update_inference_endpoint("my-bert", container_args=[])

    assert body(api.sent("PUT")[0]) == {"model": {"args": []}}


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"name": "Bad_Name"}, "lowercase"),
        ({"name": "x" * 33}, "32"),
        ({"name": "-dash"}, "starting"),
        ({"name": "abc\n"}, "lowercase"),
        ({"name": "abc\r\n"}, "lowercase"),
        ({"min_replica": 3, "max_replica": 2}, "min_replica"),
        ({"min_replica": 1, "scale_to_zero_timeout": 15}, "min_replica=0"),
        ({"accelerator": "tpu"}, "cpu, gpu, neuron"),
        ({"type": "secret"}, "public"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_invalid_create_sends_nothing(
    api: Backend, client: EndpointsClient, kwargs: dict, rule: str
) -> None:
    kwargs = dict(kwargs)
    name = kwargs.pop("name", "valid-name")
    args = {**CREATE_ARGS, **kwargs}
    before = len(api.requests)

    with pytest.raises((ValueError, TypeError), match=rule):
        client.create_inference_endpoint(name, **args)

    assert len(api.requests) == before


@pytest.mark.parametrize(
    ("name", "kwargs", "rule"),
    [
        ("my-bert", {"min_replica": 3, "max_replica": 2}, "min_replica"),
        ("my-bert", {"scale_to_zero_timeout": 0}, "minutes"),
        ("my-bert", {"accelerator": "tpu"}, "cpu, gpu, neuron"),
        ("acme/", {}, "namespace/name"),
    ],
)
def test_invalid_update_sends_nothing(
    api: Backend, client: EndpointsClient, name: str, kwargs: dict, rule: str
) -> None:
    with pytest.raises(ValueError, match=rule):
        client.update_inference_endpoint(name, **kwargs)

    assert api.requests == []


@pytest.mark.parametrize("name", ["abc\n", "abc\r\n", "ab c", "ab_c", "Abc", ""])
def test_name_rule_matches_the_whole_name(name: str) -> None:
    assert name_problem(name) is not None


def test_conflict_names_the_endpoint(api: Backend, client: EndpointsClient) -> None:
    with pytest.raises(errors.ConflictError, match="alice/my-bert"):
        client.create_inference_endpoint("my-bert", **CREATE_ARGS)


@pytest.mark.parametrize(
    ("method", "action", "state"),
    [
        ("pause_inference_endpoint", "pause", "paused"),
        ("scale_to_zero_inference_endpoint", "scale-to-zero", "scaledToZero"),
    ],
)
def test_lifecycle_routes(
    api: Backend, client: EndpointsClient, method: str, action: str, state: str
) -> None:
    endpoint = getattr(client, method)("my-bert")

    request = api.sent("POST")[0]
    assert request.url.path == f"/v2/endpoint/alice/my-bert/{action}"
    assert request.content == b""
    assert endpoint.status == state


def test_resume_running_ok_fetches_instead(
    api: Backend, client: EndpointsClient
) -> None:
    endpoint = client.resume_inference_endpoint("my-bert")

    assert endpoint.status == "running"
    assert [r.method for r in api.requests[-2:]] == ["POST", "GET"]
    with pytest.raises(errors.BadRequestError, match="already running"):
        client.resume_inference_endpoint("my-bert", running_ok=False)


def test_delete_then_get_is_not_found(api: Backend, client: EndpointsClient) -> None:
    client.delete_inference_endpoint("my-bert")

    with pytest.raises(errors.NotFoundError, match="alice/my-bert"):
        client.get_inference_endpoint("my-bert")


def test_hardware(client: EndpointsClient) -> None:
    rows = client.list_inference_endpoints_hardware()

    assert {"intel-icl", "nvidia-l4"} <= {r.instance_type for r in rows}


def test_reads_retry_429_honouring_retry_after(
    api: Backend, client: EndpointsClient, clock: FakeClock
) -> None:
    api.fail("429", retry_after=7)
    api.fail("503")
    api.fail("drop")

    endpoint = client.get_inference_endpoint("my-bert", namespace="alice")

    assert endpoint.status == "running"
    assert 7.0 in clock.sleeps
    assert len(clock.sleeps) == 3
    assert len(api.requests) == 4


def test_reads_give_up_after_max_retries(
    api: Backend, client: EndpointsClient, clock: FakeClock
) -> None:
    api.fail("500", count=10)

    with pytest.raises(errors.ServerError, match="HTTP 500"):
        client.get_inference_endpoint("my-bert", namespace="alice")

    assert len(api.requests) == 4
    assert clock.sleeps == sorted(clock.sleeps)
    assert max(clock.sleeps) <= 8.0


@pytest.mark.parametrize("failure", ["503", "drop", "429"])
@pytest.mark.parametrize(
    ("method", "verb", "fields"),
    [
        ("pause_inference_endpoint", "POST", {}),
        ("update_inference_endpoint", "PUT", {"max_replica": 3}),
        ("delete_inference_endpoint", "DELETE", {}),
    ],
)
def test_lifecycle_calls_are_never_retried(
    api: Backend,
    client: EndpointsClient,
    clock: FakeClock,
    failure: str,
    method: str,
    verb: str,
    fields: dict,
) -> None:
    api.fail(failure, retry_after=1)

    with pytest.raises(errors.InferenceEndpointError):
        getattr(client, method)("my-bert", namespace="alice", **fields)

    assert len(api.sent(verb)) == 1
    assert clock.sleeps == []
    assert api.has("alice", "my-bert")


def test_token_never_in_repr_or_logs(
    api: Backend, client: EndpointsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="hf_endpoint_widgets")
    api.fail("500")

    endpoint = client.get_inference_endpoint("my-bert", namespace="alice")
    endpoint.wait(timeout=1)

    assert "Retrying" in caplog.text
    for text in (repr(client), repr(endpoint), repr(endpoint.client), caplog.text):
        assert api.token not in text


@mock_only
def test_organization_token_needs_an_explicit_namespace(fake: FakeAPI) -> None:
    fake.script.append(httpx2.Response(200, json={"type": "org", "name": "acme"}))
    client = EndpointsClient(
        fake.token, api_url=API, hub_url=HUB, transport=fake.transport()
    )

    with pytest.raises(ValueError, match="namespace="):
        client.list_inference_endpoints()


def test_to_dataframe_is_available(client: EndpointsClient) -> None:
    assert hasattr(client, "to_dataframe")


def test_endpoint_objects_act_through_their_client(
    api: Backend, client: EndpointsClient
) -> None:
    endpoint = client.get_inference_endpoint("my-bert")

    assert endpoint.scale_to_zero() is endpoint and endpoint.status == "scaledToZero"
    assert endpoint.update(min_replica=0).status == "updating"
    assert endpoint.pause().status == "paused"
    assert endpoint.resume().status in ("pending", "initializing")
    assert isinstance(endpoint.fetch(), InferenceEndpoint)
    endpoint.delete()
    assert not api.has("alice", "my-bert")


def with_scaling(client: EndpointsClient, **scaling: int) -> InferenceEndpoint:
    raw = endpoint_payload()
    raw["compute"]["scaling"] = scaling
    return InferenceEndpoint.from_raw(raw, namespace="alice", client=client)


@pytest.mark.parametrize(
    ("scaling", "fields", "rule"),
    [
        ({"minReplica": 1}, {"scale_to_zero_timeout": 15}, "min_replica=0 .got 1"),
        ({"maxReplica": 2}, {"min_replica": 3}, r"min_replica \(3\).*\(2\)"),
        ({"minReplica": 2, "maxReplica": 4}, {"max_replica": 1}, r"\(2\).*\(1\)"),
    ],
)
def test_endpoint_update_is_checked_against_its_replicas(
    api: Backend, client: EndpointsClient, scaling: dict, fields: dict, rule: str
) -> None:
    endpoint = with_scaling(client, **scaling)

    with pytest.raises(ValueError, match=f"alice/my-bert: .*{rule}"):
        endpoint.update(**fields)

    assert api.requests == []


@pytest.mark.parametrize(
    ("scaling", "fields"),
    [
        ({"minReplica": 1, "maxReplica": 2}, {"min_replica": 0, "max_replica": 3}),
        ({"minReplica": 1}, {"min_replica": 0, "scale_to_zero_timeout": 15}),
        ({"maxReplica": 0}, {"min_replica": 1}),
        ({}, {"max_replica": 3}),
    ],
)
def test_endpoint_update_within_its_replicas_is_sent(
    api: Backend, client: EndpointsClient, scaling: dict, fields: dict
) -> None:
    with_scaling(client, **scaling).update(**fields)

    assert len(api.sent("PUT")) == 1


def test_accepts_huggingface_hub_endpoint_objects(
    api: Backend, client: EndpointsClient
) -> None:
    hub = pytest.importorskip("huggingface_hub")
    api.add("acme", "shared")
    theirs = hub.InferenceEndpoint.from_raw(
        client.get_inference_endpoint("acme/shared").raw,
        namespace="acme",
        token="hf_unused",
    )

    ours = client.pause_inference_endpoint(theirs)

    assert ours.id == "acme/shared" and ours.status == "paused"
    assert api.sent("POST")[-1].url.path == "/v2/endpoint/acme/shared/pause"
