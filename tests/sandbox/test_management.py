"""The management API over HTTP: routes, payload shapes, validation, error codes."""

from __future__ import annotations

import re

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox

from .bodies import create_body

pytestmark = pytest.mark.sandbox

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _error(response: httpx2.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["error"]
    assert isinstance(message, str) and message
    return message


def test_whoami(api: httpx2.Client, sb: Sandbox) -> None:
    me = api.get("/api/whoami-v2").json()

    assert me["type"] == "user"
    assert me["name"] == sb.namespace == "sandbox-user"
    assert [org["name"] for org in me["orgs"]] == ["sandbox-org"]
    assert sb.token.startswith("hf_sandbox_")


def test_create_returns_202_with_the_real_shape(
    api: httpx2.Client, sb: Sandbox
) -> None:
    response = api.post(f"/v2/endpoint/{sb.namespace}", json=create_body())

    assert response.status_code == 202
    raw = response.json()
    assert "namespace" not in raw
    assert set(raw) >= {"name", "type", "accountId", "provider", "healthRoute"}
    assert raw["healthRoute"] == "/health"
    assert raw["compute"]["id"] == "aws-us-east-1-intel-icl-x2"
    assert raw["compute"]["scaling"]["minReplica"] == 1
    assert raw["model"]["task"] == "text-generation"
    assert re.fullmatch(r"[0-9a-f]{40}", raw["model"]["revision"])
    status = raw["status"]
    assert status["state"] == "pending"
    assert status["message"] == "Endpoint waiting to be scheduled"
    assert "url" not in status
    assert (status["readyReplica"], status["targetReplica"]) == (0, 1)
    assert ISO_Z.match(status["createdAt"]) and ISO_Z.match(status["updatedAt"])
    assert status["createdBy"]["name"] == sb.namespace


def test_list_get_delete(api: httpx2.Client, sb: Sandbox) -> None:
    base = f"/v2/endpoint/{sb.namespace}"
    api.post(base, json=create_body("first"))
    api.post(base, json=create_body("second"))

    assert [e["name"] for e in api.get(base).json()["items"]] == ["first", "second"]
    assert api.get(f"{base}/first").json()["name"] == "first"
    deleted = api.delete(f"{base}/first")
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert [e["name"] for e in api.get(base).json()["items"]] == ["second"]
    _error(api.get(f"{base}/first"), 404)
    _error(api.delete(f"{base}/first"), 404)


def test_org_namespace_is_separate(api: httpx2.Client, sb: Sandbox) -> None:
    api.post(f"/v2/endpoint/{sb.org}", json=create_body("team"))

    assert api.get(f"/v2/endpoint/{sb.namespace}").json() == {"items": []}
    assert len(api.get(f"/v2/endpoint/{sb.org}").json()["items"]) == 1


def test_every_response_has_a_request_id(api: httpx2.Client, sb: Sandbox) -> None:
    responses = [
        api.get("/api/whoami-v2"),
        api.get(f"/v2/endpoint/{sb.namespace}/missing"),
        api.get("/no/such/route"),
        api.post("/api/whoami-v2"),
    ]

    ids = [r.headers["x-request-id"] for r in responses]
    assert len(set(ids)) == len(ids)
    assert [r.status_code for r in responses] == [200, 404, 404, 405]
    assert responses[2].json() == {"error": "Not Found"}


def test_put_is_a_deep_merge(api: httpx2.Client, sb: Sandbox) -> None:
    base = f"/v2/endpoint/{sb.namespace}/merge-me"
    body = create_body("merge-me")
    body["model"]["env"] = {"A": "1"}
    body["model"]["secrets"] = {"TOKEN": "s3cret"}
    api.post(f"/v2/endpoint/{sb.namespace}", json=body)
    sb.advance(10)

    raw = api.put(base, json={"compute": {"scaling": {"maxReplica": 3}}}).json()
    assert raw["compute"]["scaling"] == {
        "minReplica": 1,
        "maxReplica": 3,
        "scaleToZeroTimeout": None,
        "metric": "hardwareUsage",
        "measure": {"hardwareUsage": None},
    }
    assert raw["model"]["env"] == {"A": "1"}
    assert raw["model"]["secrets"] == {"TOKEN": ""}
    assert raw["status"]["state"] == "updating"
    assert raw["status"]["url"].endswith(f"/endpoints/{sb.namespace}/merge-me")
    assert api.put(base, json={}).status_code == 200


def test_image_credentials_are_redacted(api: httpx2.Client, sb: Sandbox) -> None:
    image = {
        "custom": {
            "url": "ghcr.io/acme/server:1",
            "healthRoute": "/ready",
            "credentials": {"username": "bob", "password": "pw"},
        }
    }
    body = create_body("private-image", model__image=image)
    raw = api.post(f"/v2/endpoint/{sb.namespace}", json=body).json()

    assert raw["healthRoute"] == "/ready"
    custom = raw["model"]["image"]["custom"]
    assert custom["credentials"] == {"username": "", "password": None}
    assert custom["url"] == "ghcr.io/acme/server:1"


def test_unknown_fields_are_ignored(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body("extra", somethingNew={"a": 1}, health_route="/x")
    raw = api.post(f"/v2/endpoint/{sb.namespace}", json=body).json()

    assert "somethingNew" not in raw and raw["healthRoute"] == "/health"


def test_omitted_task_is_inferred(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body("whisper")
    del body["model"]["task"]
    body["model"]["repository"] = "openai/whisper-large-v3"

    raw = api.post(f"/v2/endpoint/{sb.namespace}", json=body).json()
    assert raw["model"]["task"] == "automatic-speech-recognition"


def test_401_without_a_valid_token(anonymous: httpx2.Client, sb: Sandbox) -> None:
    bad = {"authorization": "Bearer hf_wrong"}
    for response in (
        anonymous.get(f"/v2/endpoint/{sb.namespace}"),
        anonymous.get(f"/v2/endpoint/{sb.namespace}", headers=bad),
        anonymous.post(f"/v2/endpoint/{sb.namespace}", json=create_body()),
        anonymous.get(f"/v2/provider/{sb.namespace}"),
    ):
        assert "sent as a Bearer, is required" in _error(response, 401)
    _error(anonymous.get("/api/whoami-v2"), 401)


def test_403_for_a_foreign_namespace(api: httpx2.Client) -> None:
    _error(api.get("/v2/endpoint/someone-else"), 403)
    _error(api.post("/v2/endpoint/someone-else", json=create_body()), 403)
    _error(api.get("/v2/provider/someone-else"), 403)


def test_409_on_a_taken_name(api: httpx2.Client, sb: Sandbox) -> None:
    api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("taken"))

    response = api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("taken"))
    assert "already exists" in _error(response, 409)


@pytest.mark.parametrize(
    ("overrides", "status", "fragment"),
    [
        ({"type": "secret"}, 422, "unknown variant `secret`"),
        ({"type": "protected"}, 422, "unknown variant `protected`"),
        ({"compute__accelerator": "tpu"}, 422, "unknown variant `tpu`"),
        ({"compute__instanceSize": 2}, 422, "invalid type"),
        ({"model__image": {"vLLM": {}}}, 422, "missing field `url`"),
        ({"model__image": {"docker": {"url": "x"}}}, 422, "unknown variant `docker`"),
        ({"model__task": None}, 400, "model.task: expected value"),
        ({"name": "Bad_Name"}, 400, "lowercase alphanumeric"),
        ({"name": "a" * 33}, 400, "32 characters"),
        ({"name": "-edge"}, 400, "lowercase alphanumeric"),
        ({"provider": {"vendor": "ibm", "region": "x"}}, 400, "Vendor 'ibm'"),
        ({"provider": {"vendor": "aws", "region": "mars-1"}}, 400, "Region"),
        (
            {"compute__instanceType": "nvidia-l4", "compute__instanceSize": "x1"},
            400,
            "accelerator 'gpu'",
        ),
        ({"compute__instanceSize": "x64"}, 400, "not offered"),
        (
            {"compute__scaling": {"minReplica": 3, "maxReplica": 1}},
            400,
            "lower than or equal",
        ),
        (
            {
                "compute__scaling": {
                    "minReplica": 1,
                    "maxReplica": 1,
                    "scaleToZeroTimeout": 15,
                }
            },
            400,
            "minReplica must be 0",
        ),
    ],
)
def test_validation(
    api: httpx2.Client, sb: Sandbox, overrides: dict, status: int, fragment: str
) -> None:
    response = api.post(f"/v2/endpoint/{sb.namespace}", json=create_body(**overrides))

    assert fragment in _error(response, status)


def test_missing_required_field_and_bad_json(api: httpx2.Client, sb: Sandbox) -> None:
    body = create_body()
    del body["model"]["repository"]
    url = f"/v2/endpoint/{sb.namespace}"

    assert "missing field `repository`" in _error(api.post(url, json=body), 422)
    assert "parse" in _error(api.post(url, content=b"{not json"), 400)
    assert "parse" in _error(api.post(url, content=b""), 400)
    _error(api.post(url, json=["a", "list"]), 422)


def test_update_validation(api: httpx2.Client, sb: Sandbox) -> None:
    api.post(f"/v2/endpoint/{sb.namespace}", json=create_body("upd"))
    url = f"/v2/endpoint/{sb.namespace}/upd"

    _error(api.put(url, json={"compute": {"scaling": {"minReplica": 5}}}), 400)
    _error(api.put(url, json={"type": "everyone"}), 422)
    _error(api.put(f"/v2/endpoint/{sb.namespace}/nope", json={}), 404)


def test_hardware_catalog(
    api: httpx2.Client, anonymous: httpx2.Client, sb: Sandbox
) -> None:
    sb.seed("gpu-a", accelerator="gpu", instance_type="nvidia-l4", instance_size="x4")
    sb.seed("gpu-b", status="paused", accelerator="gpu", instance_type="nvidia-l4",
            instance_size="x1")  # fmt: skip

    vendors = api.get(f"/v2/provider/{sb.namespace}").json()["vendors"]
    assert [v["name"] for v in vendors] == ["aws", "azure", "gcp"]
    assert all(len(v["regions"]) >= 2 for v in vendors)
    computes = {
        c["id"]: c for v in vendors for r in v["regions"] for c in r["computes"]
    }
    l4 = computes["aws-us-east-1-nvidia-l4-x1"]
    assert set(l4) >= {
        "id", "accelerator", "numAccelerators", "numCpus", "memoryGb", "gpuMemoryGb",
        "instanceType", "instanceSize", "architecture", "status", "pricePerHour",
    }  # fmt: skip
    assert l4["quota"] == {"maxAccelerators": 16, "usedAccelerators": 4}
    assert computes["aws-us-east-1-intel-icl-x2"]["gpuMemoryGb"] is None
    assert {c["accelerator"] for c in computes.values()} >= {"cpu", "gpu"}

    public = anonymous.get("/v2/provider").json()["vendors"]
    public_l4 = public[0]["regions"][0]["computes"]
    assert public_l4 and all("quota" not in c for c in public_l4)
