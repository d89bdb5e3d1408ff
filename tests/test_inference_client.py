"""InferenceClient / AsyncInferenceClient against ``httpx2.MockTransport`` fakes:
waking from zero, streaming, and errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import pytest

from hf_endpoint_widgets import AsyncInferenceClient, InferenceClient
from hf_endpoint_widgets._inference import event_text, stream_route
from hf_endpoint_widgets.errors import (
    EndpointConnectionError,
    InferenceEndpointError,
    InferenceEndpointTimeoutError,
    ServerError,
)

from .support import FakeClock

URL = "https://ep.example/endpoints/acme/bert"
TOKEN = "hf_TestTokenThatMustStayHidden"


def on_fake_clock(cls: type, app: Any, token: str | bool = False) -> tuple[Any, Any]:
    """A ``cls`` client of ``app`` whose waits pass on a fake clock."""
    clock = FakeClock(0.0)
    client = cls(
        URL,
        token=token,
        transport=httpx2.MockTransport(app),
        clock=clock,
        sleep=clock.sleep,
    )
    return client, clock


def waking_app(busy: int, retry_after: str | None = None):
    """Answers 503 ``busy`` times (a replica starting), then labels."""
    seen: list[httpx2.Request] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if len(seen) <= busy:
            headers = {"retry-after": retry_after} if retry_after else {}
            return httpx2.Response(503, headers=headers, json={"error": "starting"})
        return httpx2.Response(200, json=[{"label": "POSITIVE", "score": 0.9}])

    return app, seen


def test_post_sends_token_and_json():
    app, seen = waking_app(0)
    client = InferenceClient(URL, token=TOKEN, transport=httpx2.MockTransport(app))

    assert client.post({"inputs": "hi"}) == [{"label": "POSITIVE", "score": 0.9}]
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(seen[0].content) == {"inputs": "hi"}
    assert TOKEN not in repr(client)


def test_wake_retries_503_with_scale_up_header_and_reports_progress():
    app, seen = waking_app(3, retry_after="2")
    client, clock = on_fake_clock(InferenceClient, app, token=TOKEN)
    waits: list[tuple[float, float]] = []

    answer = client.post(
        {"inputs": "hi"}, wake_timeout=60, on_wait=lambda e, d: waits.append((e, d))
    )

    assert answer[0]["label"] == "POSITIVE"
    assert len(seen) == 4 and clock.sleeps == [2.0, 2.0, 2.0]
    assert all(r.headers["x-scale-up-timeout"] for r in seen)
    assert [e for e, _ in waits] == [0.0, 2.0, 4.0]


def test_wake_gives_up_after_the_timeout():
    app, _ = waking_app(1000)
    client, clock = on_fake_clock(InferenceClient, app, token=False)

    with pytest.raises(
        InferenceEndpointTimeoutError, match="did not wake up within 30"
    ):
        client.post({"inputs": "hi"}, wake_timeout=30)
    assert sum(clock.sleeps) == pytest.approx(30)


def test_without_wake_a_503_is_a_server_error_with_the_message():
    app, _ = waking_app(1)
    client = InferenceClient(
        URL, token=TOKEN, endpoint="acme/bert", transport=httpx2.MockTransport(app)
    )

    with pytest.raises(ServerError, match="HTTP 503: starting") as caught:
        client.post({"inputs": "hi"})
    assert caught.value.status_code == 503 and TOKEN not in str(caught.value)


def test_dropped_connections_become_connection_errors():
    def app(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.RemoteProtocolError("closed", request=request)

    client = InferenceClient(URL, token=TOKEN, transport=httpx2.MockTransport(app))

    with pytest.raises(EndpointConnectionError, match="ep.example"):
        client.post({"inputs": "hi"})


def test_raw_bytes_are_sent_as_the_body():
    seen: list[httpx2.Request] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"text": "hello"})

    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    assert client.post(data=b"RIFF....") == {"text": "hello"}
    assert seen[0].content == b"RIFF...." and "authorization" not in seen[0].headers


def sse_app(events: list[str]):
    seen: list[httpx2.Request] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        body = "".join(f"data: {event}\n\n" for event in events)
        return httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=body.encode()
        )

    return app, seen


TGI_EVENTS = [
    json.dumps({"token": {"text": "Hello", "special": False}}),
    json.dumps({"token": {"text": " world", "special": False}}),
    json.dumps({"token": {"text": "</s>", "special": True}, "generated_text": "x"}),
]
CHAT_EVENTS = [
    json.dumps({"choices": [{"delta": {"role": "assistant"}}]}),
    json.dumps({"choices": [{"delta": {"content": "Hi"}}]}),
    json.dumps({"choices": [{"delta": {"content": " there"}}]}),
    "[DONE]",
]


def test_stream_reads_tgi_events_and_skips_special_tokens():
    app, seen = sse_app(TGI_EVENTS)
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    assert list(client.stream({"inputs": "Say"})) == ["Hello", " world"]
    assert seen[0].url.path.endswith("/generate_stream")


def test_stream_of_messages_goes_to_chat_completions_with_stream_true():
    app, seen = sse_app(CHAT_EVENTS)
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    assert "".join(client.stream({"messages": [{"role": "user", "content": "x"}]})) == (
        "Hi there"
    )
    assert seen[0].url.path.endswith("/v1/chat/completions")
    assert json.loads(seen[0].content)["stream"] is True


def test_async_stream_and_post():
    app, _ = sse_app(CHAT_EVENTS)
    client = AsyncInferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    async def collect() -> list[str]:
        return [piece async for piece in client.stream({"messages": []})]

    assert asyncio.run(collect()) == ["Hi", " there"]


def test_async_wake_retries_503():
    app, seen = waking_app(2, retry_after="0")
    client = AsyncInferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    answer = asyncio.run(client.post({"inputs": "hi"}, wake_timeout=10))

    assert answer[0]["label"] == "POSITIVE" and len(seen) == 3


def refusing_app(busy: int, status: int):
    """Answers 503 ``busy`` times, then ``status`` (an empty payload refused)."""
    seen: list[httpx2.Request] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        if len(seen) <= busy:
            return httpx2.Response(503, json={"error": "starting"})
        return httpx2.Response(status, json={"error": "inputs is required"})

    return app, seen


@pytest.mark.parametrize("status", [200, 400, 422])
def test_wake_ends_at_the_first_answer_but_a_503(status: int):
    app, seen = refusing_app(2, status)
    client, clock = on_fake_clock(InferenceClient, app, token=False)

    client.wake(wake_timeout=60)

    assert len(seen) == 3 and json.loads(seen[-1].content) == {}
    assert all(r.headers["x-scale-up-timeout"] for r in seen)


@pytest.mark.parametrize("status", [200, 422, 401])
def test_async_wake_is_the_same(status: int):
    app, seen = refusing_app(1, status)
    client, clock = on_fake_clock(AsyncInferenceClient, app, token=False)

    if status == 401:
        with pytest.raises(InferenceEndpointError, match="401"):
            asyncio.run(client.wake(wake_timeout=10))
    else:
        asyncio.run(client.wake(wake_timeout=10))
    assert len(seen) == 2 and len(clock.sleeps) == 1


def test_wake_refused_for_the_token_raises():
    app, _ = refusing_app(0, 403)
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    with pytest.raises(InferenceEndpointError, match="403"):
        client.wake(wake_timeout=10)


def test_stream_errors_raise():
    app, _ = sse_app([json.dumps({"error": "CUDA out of memory"})])
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    with pytest.raises(InferenceEndpointError, match="CUDA out of memory"):
        list(client.stream({"inputs": "x"}))


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ('{"token": {"text": "a", "special": false}}', "a"),
        ('{"choices": [{"delta": {}}]}', None),
        ("[DONE]", None),
    ],
)
def test_event_text(data, text):
    assert event_text(data) == text


def test_stream_route():
    assert stream_route({"messages": []}) == "v1/chat/completions"
    assert stream_route({"inputs": "x"}) == "generate_stream"
