"""huggingface_hub's own ``HfApi`` drives a whole lifecycle against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hf_endpoint_widgets.sandbox import Sandbox

hub = pytest.importorskip("huggingface_hub")
from huggingface_hub import HfApi, InferenceClient, constants  # noqa: E402
from huggingface_hub.errors import (  # noqa: E402
    HfHubHTTPError,
    InferenceEndpointError,
)

pytestmark = pytest.mark.sandbox

HARDWARE = {
    "accelerator": "cpu",
    "instance_size": "x2",
    "instance_type": "intel-icl",
    "region": "us-east-1",
    "vendor": "aws",
}


@pytest.fixture
def hf(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[HfApi]:
    # hf_api reads this constant at call time (since huggingface_hub 0.25).
    monkeypatch.setattr(constants, "INFERENCE_ENDPOINTS_ENDPOINT", sb.url + "/v2")
    # Endpoint objects re-fetch through a fresh HfApi(), which reads HF_TOKEN.
    sb.activate()
    sb.speed = 200.0
    yield HfApi(endpoint=sb.url, token=sb.token)
    sb.deactivate()


def test_whole_lifecycle(hf: HfApi, sb: Sandbox) -> None:
    ns = sb.namespace
    assert hf.whoami()["name"] == ns
    assert hf.list_inference_endpoints(namespace=ns) == []

    endpoint = hf.create_inference_endpoint(
        "hub-lifecycle",
        repository="openai-community/gpt2",
        framework="pytorch",
        task="text-generation",
        namespace=ns,
        **HARDWARE,
    )
    assert endpoint.status == "pending" and endpoint.url is None
    endpoint.wait(timeout=10, refresh_every=0.01)
    assert endpoint.status == "running"
    assert endpoint.url == sb.endpoint_url("hub-lifecycle")
    client = endpoint.client
    assert client.text_generation("Hello", max_new_tokens=4).count(" ") == 4
    streamed = list(client.text_generation("Hello", max_new_tokens=3, stream=True))
    assert len(streamed) == 3
    chat = client.chat_completion([{"role": "user", "content": "Hi"}], max_tokens=3)
    assert chat.choices[0].message.content

    endpoint.pause()
    assert endpoint.status == "paused" and endpoint.url is None
    endpoint.resume()
    assert endpoint.status == "initializing"
    endpoint.wait(timeout=10, refresh_every=0.01)
    endpoint.resume()  # running_ok: the 400 "already running" becomes a GET
    assert endpoint.status == "running"
    endpoint.scale_to_zero()
    assert endpoint.status == "scaledToZero" and endpoint.url is not None

    endpoint.update(min_replica=0, max_replica=2, scale_to_zero_timeout=30)
    assert endpoint.status == "updating"
    assert endpoint.raw["compute"]["scaling"]["scaleToZeroTimeout"] == 30
    endpoint.wait(timeout=10, refresh_every=0.01)

    hardware = hf.list_inference_endpoints_hardware(namespace=ns)
    assert any(h.instance_type == "intel-icl" for h in hardware)
    everything = hf.list_inference_endpoints(namespace="*")
    assert [e.name for e in everything] == ["hub-lifecycle"]

    endpoint.delete()
    assert hf.list_inference_endpoints(namespace=ns) == []
    with pytest.raises(HfHubHTTPError) as missing:
        hf.get_inference_endpoint("hub-lifecycle", namespace=ns)
    assert missing.value.response.status_code == 404


def test_failed_deployment_raises_in_wait(hf: HfApi, sb: Sandbox) -> None:
    endpoint = hf.create_inference_endpoint(
        "hub-fails",
        repository="acme/model-that-fails",
        framework="pytorch",
        task="text-generation",
        namespace=sb.namespace,
        **HARDWARE,
    )

    with pytest.raises(InferenceEndpointError, match="failed to deploy"):
        endpoint.wait(timeout=10, refresh_every=0.01)


def test_hub_sees_the_real_error_codes(hf: HfApi, sb: Sandbox) -> None:
    common = {"repository": "gpt2", "framework": "pytorch", "namespace": sb.namespace}
    hf.create_inference_endpoint("dupe", **common, **HARDWARE)

    with pytest.raises(HfHubHTTPError) as taken:
        hf.create_inference_endpoint("dupe", **common, **HARDWARE)
    assert taken.value.response.status_code == 409
    with pytest.raises(HfHubHTTPError) as bad_enum:
        hf.create_inference_endpoint(
            "x", **common, **{**HARDWARE, "accelerator": "tpu"}
        )
    assert bad_enum.value.response.status_code == 422
    with pytest.raises(HfHubHTTPError) as forbidden:
        hf.list_inference_endpoints(namespace="not-mine")
    assert forbidden.value.response.status_code == 403
    assert taken.value.request_id


@pytest.mark.parametrize(
    ("task", "call", "check"),
    [
        (
            "question-answering",
            lambda c: c.question_answering(
                question="Where do I live?", context="I live in Berkeley."
            ),
            lambda out: out.answer == "Berkeley",
        ),
        (
            "token-classification",
            lambda c: c.token_classification("Sarah Jones lives in London."),
            lambda out: (
                [(e.word, e.entity_group) for e in out]
                == [("Sarah Jones", "PER"), ("London", "LOC")]
            ),
        ),
        (
            "fill-mask",
            lambda c: c.fill_mask("The weather is [MASK] today."),
            lambda out: len(out) == 5 and out[0].token_str in out[0].sequence,
        ),
        (
            "summarization",
            lambda c: c.summarization("One sentence here. Another one there."),
            lambda out: out.summary_text == "One sentence here.",
        ),
        (
            "translation",
            lambda c: c.translation("Hello world"),
            lambda out: out.translation_text == "Bonjour monde",
        ),
        (
            "feature-extraction",
            lambda c: c.feature_extraction("hello"),
            lambda out: out.shape == (384,),
        ),
        (
            "image-classification",
            lambda c: c.image_classification(b"\x89PNG not really"),
            lambda out: out[0].score >= out[1].score,
        ),
        (
            "automatic-speech-recognition",
            lambda c: c.automatic_speech_recognition(b"RIFF not really"),
            lambda out: bool(out.text),
        ),
    ],
)
def test_inference_client_parses_every_task(
    hf: HfApi, sb: Sandbox, task: str, call: Any, check: Any
) -> None:
    sb.seed("task-under-test", task=task)
    client = InferenceClient(model=sb.endpoint_url("task-under-test"), token=sb.token)

    assert check(call(client))


def test_inference_client_text_to_image(hf: HfApi, sb: Sandbox) -> None:
    pytest.importorskip("PIL")
    sb.seed("painter", task="text-to-image")
    client = InferenceClient(model=sb.endpoint_url("painter"), token=sb.token)

    image = client.text_to_image("a fox at dawn", width=32, height=16)
    assert image.size == (32, 16)
