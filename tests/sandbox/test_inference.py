"""Deployed endpoints: health, every task's output, TGI routes, SSE, auth, states."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox

pytestmark = pytest.mark.sandbox


def _url(sb: Sandbox, task: str, **fields: object) -> str:
    name = task.replace("-", "")[:32]
    sb.seed(name, task=task, **fields)
    return sb.endpoint_url(name)


def _events(response: httpx2.Response) -> list[str]:
    lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    return [line.removeprefix("data: ") for line in lines]


def test_health_only_when_running(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")

    assert api.get(f"{url}/health").status_code == 200
    assert api.head(f"{url}/health").status_code == 200
    sb.set_status("textgeneration", "initializing")
    assert api.get(f"{url}/health").status_code == 503
    sb.set_status("textgeneration", "updating")
    assert api.get(f"{url}/health").status_code == 503


def test_custom_health_route(api: httpx2.Client, sb: Sandbox) -> None:
    image = {"tgi": {"url": "ghcr.io/huggingface/tgi:3", "healthRoute": "/ready"}}
    url = _url(sb, "text-generation", custom_image=image)

    assert api.get(f"{url}/ready").status_code == 200


def test_text_generation(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    body = {"inputs": "Once upon a time", "parameters": {"max_new_tokens": 8}}

    first = api.post(url, json=body).json()
    again = api.post(f"{url}/", json=body).json()
    assert first == again
    assert isinstance(first, list) and set(first[0]) == {"generated_text"}
    assert len(first[0]["generated_text"].split()) == 8
    full = api.post(url, json={**body, "parameters": {"return_full_text": True}})
    assert full.json()[0]["generated_text"].startswith("Once upon a time")


def test_tgi_generate_with_details(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    body = {"inputs": "Hi", "parameters": {"max_new_tokens": 3, "details": True}}

    out = api.post(f"{url}/generate", json=body).json()
    assert out["details"] == {
        "finish_reason": "length",
        "generated_tokens": 3,
        "seed": None,
    }
    assert isinstance(out["generated_text"], str)


def test_generate_stream_sse(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    body = {"inputs": "Stream me", "parameters": {"max_new_tokens": 4}}

    with api.stream("POST", f"{url}/generate_stream", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [json.loads(data) for data in _events(response)]
    assert len(events) == 4
    for event in events[:-1]:
        assert event["generated_text"] is None and event["details"] is None
    token = events[0]["token"]
    assert set(token) == {"id", "text", "logprob", "special"}
    assert token["special"] is False and token["logprob"] <= 0
    final = "".join(e["token"]["text"] for e in events)
    assert events[-1]["generated_text"] == final


def test_stream_flag_on_the_root_route(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    body = {"inputs": "x", "parameters": {"max_new_tokens": 2}, "stream": True}

    with api.stream("POST", url, json=body) as response:
        assert len(_events(response)) == 2


def test_chat_completions(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    body = {"model": "tgi", "messages": [{"role": "user", "content": "Hello!"}]}

    out = api.post(f"{url}/v1/chat/completions", json={**body, "max_tokens": 5}).json()
    assert out["object"] == "chat.completion"
    choice = out["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert len(choice["message"]["content"].split()) == 5
    assert choice["finish_reason"] == "length"
    assert out["usage"]["completion_tokens"] == 5

    with api.stream(
        "POST", f"{url}/v1/chat/completions", json={**body, "stream": True}
    ) as r:
        data = _events(r)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"]["content"] for c in chunks)
    assert (
        text
        == api.post(f"{url}/v1/chat/completions", json=body).json()["choices"][0][
            "message"
        ]["content"]
    )


def test_text_classification(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-classification")

    good = api.post(url, json={"inputs": "I love this, it is great"}).json()
    assert [row["label"] for row in good] == ["POSITIVE", "NEGATIVE"]
    assert good[0]["score"] >= good[1]["score"]
    assert abs(sum(row["score"] for row in good) - 1) < 1e-3
    bad = api.post(url, json={"inputs": "terrible, awful and broken"}).json()
    assert bad[0]["label"] == "NEGATIVE"
    batch = api.post(
        url, json={"inputs": ["a", "b"], "parameters": {"top_k": 1}}
    ).json()
    assert [len(rows) for rows in batch] == [1, 1]


def test_token_classification(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "token-classification")
    text = "My name is Sarah Jones and I live in London."

    entities = api.post(url, json={"inputs": text}).json()
    assert [(e["word"], e["entity_group"]) for e in entities] == [
        ("Sarah Jones", "PER"),
        ("London", "LOC"),
    ]
    for entity in entities:
        assert text[entity["start"] : entity["end"]] == entity["word"]
        assert 0 < entity["score"] <= 1


def test_zero_shot_classification(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "zero-shot-classification")
    labels = ["sports", "politics", "cooking"]
    body = {"inputs": "The pasta recipe needs basil", "parameters": {}}

    missing = api.post(url, json=body)
    assert missing.status_code == 400
    body["parameters"] = {"candidate_labels": labels}
    out = api.post(url, json=body).json()
    assert out["sequence"] == body["inputs"]
    assert sorted(out["labels"]) == sorted(labels)
    assert out["scores"] == sorted(out["scores"], reverse=True)
    assert abs(sum(out["scores"]) - 1) < 1e-3


def test_fill_mask(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "fill-mask")

    out = api.post(url, json={"inputs": "The weather is [MASK] today."}).json()
    assert len(out) == 5
    assert set(out[0]) == {"score", "token", "token_str", "sequence"}
    assert out[0]["sequence"] == f"The weather is {out[0]['token_str']} today."
    assert [r["score"] for r in out] == sorted((r["score"] for r in out), reverse=True)
    roberta = api.post(url, json={"inputs": "Paris is <mask>."})
    assert roberta.status_code == 200
    assert api.post(url, json={"inputs": "no mask here"}).status_code == 400


def test_question_answering(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "question-answering")
    context = "My name is Clara and I live in Berkeley. I work as a baker."
    body = {"inputs": {"question": "Where do I live?", "context": context}}

    out = api.post(url, json=body).json()
    assert set(out) == {"answer", "score", "start", "end"}
    assert context[out["start"] : out["end"]] == out["answer"]
    assert "Berkeley" in out["answer"]
    assert api.post(url, json={"inputs": "just a string"}).status_code == 400


def test_summarization_and_translation(api: httpx2.Client, sb: Sandbox) -> None:
    text = "The city library opens early on weekdays. It closes at six. Bring a card."

    summary = api.post(_url(sb, "summarization"), json={"inputs": text}).json()
    assert summary == [{"summary_text": "The city library opens early on weekdays."}]
    translated = api.post(
        _url(sb, "translation"), json={"inputs": "Hello world"}
    ).json()
    assert translated == [{"translation_text": "Bonjour monde"}]


def test_feature_extraction(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "feature-extraction")

    vector = api.post(url, json={"inputs": "hello world"}).json()
    assert len(vector) == 384 and all(isinstance(v, float) for v in vector)
    assert abs(sum(v * v for v in vector) - 1) < 1e-3
    assert api.post(url, json={"inputs": "hello world"}).json() == vector
    batch = api.post(url, json={"inputs": ["hello world", "other"]}).json()
    assert len(batch) == 2 and batch[0] == vector


def test_sentence_similarity(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "sentence-similarity")
    inputs = {
        "source_sentence": "the cat sat on the mat",
        "sentences": ["the cat sat on a mat", "stock markets fell sharply"],
    }

    scores = api.post(url, json={"inputs": inputs}).json()
    assert len(scores) == 2 and scores[0] > scores[1]
    assert all(-1 <= s <= 1 for s in scores)


def test_image_classification(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "image-classification")
    image = b"\x89PNG fake image bytes"

    raw = api.post(url, content=image, headers={"content-type": "image/png"}).json()
    assert len(raw) == 5 and set(raw[0]) == {"label", "score"}
    assert [r["score"] for r in raw] == sorted((r["score"] for r in raw), reverse=True)
    encoded = {"inputs": base64.b64encode(image).decode(), "parameters": {"top_k": 2}}
    as_json = api.post(url, json=encoded).json()
    assert as_json == raw[:2]
    assert api.post(url, content=b"").status_code == 400


def test_automatic_speech_recognition(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "automatic-speech-recognition")

    out = api.post(url, content=b"RIFF....WAVEfmt fake audio").json()
    assert set(out) == {"text"} and out["text"]


def test_text_to_image_is_a_real_png(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-to-image")

    response = api.post(url, json={"inputs": "a red fox at dawn"})
    assert response.headers["content-type"] == "image/png"
    png = response.content
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (width, height, depth, colour) == (64, 64, 8, 2)
    crc = struct.unpack(">I", png[29:33])[0]
    assert crc == zlib.crc32(png[12:29]) & 0xFFFFFFFF
    assert png.endswith(b"IEND\xaeB`\x82")
    assert api.post(url, json={"inputs": "a red fox at dawn"}).content == png
    sized = api.post(
        url, json={"inputs": "x", "parameters": {"width": 16, "height": 8}}
    )
    assert struct.unpack(">II", sized.content[16:24]) == (16, 8)


@pytest.mark.parametrize(
    ("task", "body"),
    [
        ("text-generation", b"{not json"),
        ("text-generation", b'{"inputs": ""}'),
        ("text-generation", b'{"inputs": "x", "parameters": {"max_new_tokens": -1}}'),
        ("text-classification", b'{"no_inputs": 1}'),
        ("text-classification", b'{"inputs": 42}'),
        ("text-classification", b'{"inputs": "x", "parameters": 3}'),
        ("feature-extraction", b'{"inputs": {"source_sentence": 1}}'),
        ("text-to-image", b'{"inputs": "x", "parameters": {"width": 5000}}'),
        ("image-classification", b'{"inputs": "!!not base64!!"}'),
        (
            "zero-shot-classification",
            b'{"inputs": "x", "parameters": {"candidate_labels": 5}}',
        ),
        ("question-answering", b'{"inputs": {"question": "Who?", "context": " - "}}'),
        ("text-classification", b"[" * 100_000),
    ],
)
def test_malformed_payloads_get_4xx(
    api: httpx2.Client, sb: Sandbox, task: str, body: bytes
) -> None:
    url = _url(sb, task)
    headers = {"content-type": "application/json"}

    response = api.post(url, content=body, headers=headers)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]


def test_chat_needs_messages(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-generation")
    parts = [{"role": "user", "content": [{"type": "text", "text": None}]}]

    response = api.post(f"{url}/v1/chat/completions", json={"messages": []})
    assert response.status_code == 422
    response = api.post(f"{url}/v1/chat/completions", json={"messages": parts})
    assert response.status_code == 422
    assert "`text` of a `content` part" in response.json()["error"]


def test_inference_auth(
    anonymous: httpx2.Client, api: httpx2.Client, sb: Sandbox
) -> None:
    protected = _url(sb, "text-classification")
    public = sb.endpoint_url(sb.seed("open", task="fill-mask", type="public")["name"])
    foreign = sb.endpoint_url(
        sb.seed("theirs", namespace="stranger", type="private")["name"], "stranger"
    )

    assert anonymous.post(protected, json={"inputs": "x"}).status_code == 401
    assert anonymous.post(public, json={"inputs": "a [MASK]"}).status_code == 200
    assert api.post(foreign, json={"inputs": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("paused", 400),
        ("failed", 502),
        ("updateFailed", 502),
        ("pending", 503),
        ("initializing", 503),
        ("updating", 200),
    ],
)
def test_inference_by_state(
    api: httpx2.Client, sb: Sandbox, state: str, status: int
) -> None:
    url = _url(sb, "text-classification", status=state)

    response = api.post(url, json={"inputs": "x"})
    assert response.status_code == status
    if state == "paused":
        assert "Invalid state" in response.json()["error"]


def test_unknown_endpoint_and_route(api: httpx2.Client, sb: Sandbox) -> None:
    url = _url(sb, "text-classification")

    assert (
        api.post(f"{sb.url}/endpoints/{sb.namespace}/ghost", json={}).status_code == 404
    )
    assert api.post(f"{url}/generate", json={"inputs": "x"}).status_code == 404
    assert api.get(f"{url}/nothing").status_code == 404


def test_requests_are_recorded_for_idle_tracking(
    api: httpx2.Client, sb: Sandbox
) -> None:
    url = _url(sb, "text-classification")
    api.post(url, json={"inputs": "x"})
    api.get(f"{url}/health")

    assert sb.requests.count("POST", "/endpoints/**") == 1
    assert sb.requests.count(path="/endpoints/*/textclassification/*") == 1
    assert sb.requests[f"GET /endpoints/{sb.namespace}/textclassification/health"] == 1
