"""Malformed payloads never answer 500: every task, route and management field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox
from hf_endpoint_widgets.sandbox._tasks import TASKS

from .bodies import create_body

pytestmark = pytest.mark.sandbox

JUNK: tuple[Any, ...] = (
    None, True, 0, -1, 1.5, 10**400, "", " - ", [], [None], [1, "a"], {},
    {"a": {"b": [None]}}, [[[[[]]]]],
)  # fmt: skip
PARAMETERS = (
    "top_k", "candidate_labels", "multi_label", "max_length", "tgt_lang", "width",
    "height", "max_new_tokens", "max_tokens", "seed", "stop", "details",
    "return_full_text", "stream",
)  # fmt: skip
RAW_BODIES = (
    b"", b"null", b"5", b'"x"', b"[]", b"{}", b"{not json", b"\xff\xfe",
    b"[" * 100_000, b"{" * 100_000, b'{"a":' * 900 + b"1" + b"}" * 900,
    b'{"inputs": NaN}', b'{"inputs": "x", "parameters": {"seed": Infinity}}',
    b'{"inputs": "x", "parameters": {"seed": 1e400, "details": true}}',
    b'{"messages": [{"role": "user", "content": "x"}], "seed": NaN}',
)  # fmt: skip
GENERATIVE_ROUTES = ("/", "/generate", "/generate_stream", "/v1/chat/completions")


def _hostile_json() -> Iterator[Any]:
    for junk in JUNK:
        yield {"inputs": junk}
        yield {"inputs": "x", "parameters": junk}
        yield {"inputs": {"question": junk, "context": junk}}
        yield {"inputs": {"question": "Where?", "context": junk}}
        yield {"inputs": {"source_sentence": junk, "sentences": junk}}
        yield {"messages": junk}
        yield {"messages": [junk]}
        yield {"messages": [{"role": "user", "content": junk}]}
        yield {
            "messages": [{"role": junk, "content": [{"type": "text", "text": junk}]}]
        }
        for key in PARAMETERS:
            yield {"inputs": "a [MASK] b", "parameters": {key: junk}, key: junk}


def _bodies() -> Iterator[tuple[bytes, str]]:
    for raw in RAW_BODIES:
        yield raw, "application/json"
    yield b"", "application/octet-stream"
    yield b"\x00" * 64, "application/octet-stream"
    for body in _hostile_json():
        yield json.dumps(body).encode(), "application/json"


def _never_500(
    api: httpx2.Client, method: str, url: str, content: bytes, kind: str
) -> httpx2.Response:
    response = api.request(method, url, content=content, headers={"content-type": kind})
    assert response.status_code < 500, (url, content[:200], response.text[:200])
    if response.status_code >= 400:
        assert isinstance(response.json()["error"], str)
    return response


@pytest.mark.parametrize("task", TASKS)
def test_inference_never_answers_500(
    api: httpx2.Client, sb: Sandbox, task: str
) -> None:
    sb.seed("hostile", task=task)
    url = sb.endpoint_url("hostile")
    routes = GENERATIVE_ROUTES if task == "text-generation" else ("/",)

    for route in routes:
        for content, kind in _bodies():
            _never_500(api, "POST", url + route.rstrip("/"), content, kind)


def _paths(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple]:
    for key, value in tree.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _paths(value, (*prefix, key))


def _with(body: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = json.loads(json.dumps(body))
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def _still_serves(api: httpx2.Client, sb: Sandbox) -> None:
    sb.advance(3600)
    assert api.get(f"/v2/endpoint/{sb.namespace}").status_code == 200
    assert api.get(f"/v2/provider/{sb.namespace}").status_code == 200
    sb.reset()


def test_create_never_answers_500(api: httpx2.Client, sb: Sandbox) -> None:
    url = f"/v2/endpoint/{sb.namespace}"
    body = create_body("hostile")
    values = (*JUNK, "/", "hc", {"huggingface": {"healthRoute": 5}})

    for content in RAW_BODIES:
        _never_500(api, "POST", url, content, "application/json")
    for path in [*_paths(body), ("unknown",), ("model", "image", "huggingface", "x")]:
        for value in values:
            content = json.dumps(_with(body, path, value)).encode()
            response = _never_500(api, "POST", url, content, "application/json")
            if response.is_success:
                _still_serves(api, sb)


def test_update_never_answers_500(api: httpx2.Client, sb: Sandbox) -> None:
    url = f"/v2/endpoint/{sb.namespace}/hostile"
    body = create_body("hostile")

    for content in RAW_BODIES:
        sb.seed("hostile")
        _never_500(api, "PUT", url, content, "application/json")
    for path in [*_paths(body), ("unknown",)]:
        for value in JUNK:
            sb.seed("hostile", status="running")
            patch: Any = value
            for key in reversed(path):
                patch = {key: patch}
            content = json.dumps(patch).encode()
            response = _never_500(api, "PUT", url, content, "application/json")
            if response.is_success:
                _still_serves(api, sb)
