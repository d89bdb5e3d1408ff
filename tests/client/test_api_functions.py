"""The module-level functions, on the default client, against the sandbox over HTTP.

The environment names the sandbox but holds no token, so each call passes its own
``token=`` as huggingface_hub code does."""

from __future__ import annotations

from typing import Any

import pytest

import hf_endpoint_widgets as hew
from hf_endpoint_widgets import errors

from .fake_api import TOKEN
from .payloads import CREATE_ARGS

pytestmark = pytest.mark.sandbox


@pytest.fixture
def sb(sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    sandbox_server.reset()
    monkeypatch.setenv("HF_INFERENCE_ENDPOINTS_API", sandbox_server.url)
    monkeypatch.setenv("HF_ENDPOINT", sandbox_server.url)
    return sandbox_server


def test_every_function_reaches_the_api(sb: Any) -> None:
    sb.seed("fn-idle", task="text-classification")

    created = hew.create_inference_endpoint("fn-new", **CREATE_ARGS, token=TOKEN)
    assert created.id == "alice/fn-new" and created.status == "pending"
    listed = hew.list_inference_endpoints(token=TOKEN)
    assert sorted(e.name for e in listed) == ["fn-idle", "fn-new"]
    assert hew.get_inference_endpoint("fn-idle", token=TOKEN).status == "running"

    updated = hew.update_inference_endpoint("fn-idle", max_replica=2, token=TOKEN)
    assert updated.max_replica == 2
    assert hew.pause_inference_endpoint("fn-new", token=TOKEN).status == "paused"
    resumed = hew.resume_inference_endpoint("fn-new", token=TOKEN)
    assert resumed.status in ("pending", "initializing")
    sb.advance(600)  # the update finishes
    idle = hew.scale_to_zero_inference_endpoint("alice/fn-idle", token=TOKEN)
    assert idle.status == "scaledToZero"

    hew.delete_inference_endpoint("fn-new", namespace="alice", token=TOKEN)
    with pytest.raises(errors.NotFoundError, match="alice/fn-new"):
        hew.get_inference_endpoint("alice/fn-new", token=TOKEN)
    rows = hew.list_inference_endpoints_hardware("alice", token=TOKEN)
    assert {"aws", "azure", "gcp"} <= {r.vendor for r in rows}


def test_without_a_token_the_functions_are_refused(sb: Any) -> None:
    sb.seed("fn-idle", task="text-classification")

    with pytest.raises(errors.AuthenticationError):
        hew.get_inference_endpoint("alice/fn-idle")

    assert hew.get_inference_endpoint("alice/fn-idle", token=TOKEN).status


def test_the_endpoint_keeps_the_token_of_its_call(sb: Any) -> None:
    sb.seed("fn-idle", task="text-classification")

    endpoint = hew.get_inference_endpoint("alice/fn-idle", token=TOKEN)

    assert endpoint.pause().status == "paused"
