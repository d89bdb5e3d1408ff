"""Routes of the deployed endpoints: ``{status.url}`` and everything below it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from ._backend import Backend
from ._errors import ApiError
from ._generation import (
    GENERATIVE_TASKS,
    chat_completion,
    chat_events,
    generate,
    generate_events,
    generated_text,
    prompt_of_messages,
    sse,
)
from ._state import Deployed
from ._tasks import parse_json, parse_object, run_task

__all__ = ["deployed_endpoint"]

# Bounds of the X-Scale-Up-Timeout wait, in real seconds, and its polling step.
MAX_SCALE_UP_WAIT = 30.0
_POLL = 0.01
# Virtual seconds per streamed token (30 ms at speed 1, capped in real time).
TOKEN_SECONDS = 0.03
_MAX_TOKEN_DELAY = 0.05
_STARTING = ("pending", "initializing")


def _authorize(backend: Backend, request: Request, deployed: Deployed) -> None:
    if deployed.type == "public":
        return
    account = backend.authenticate(request.headers.get("authorization"))
    if account is None:
        raise ApiError(
            401,
            "Unauthorized: send a valid Hugging Face token as a Bearer",
        )
    if deployed.type == "private" and not account.may_use(deployed.namespace):
        raise ApiError(403, f"This endpoint is private to '{deployed.namespace}'")


def _scale_up_timeout(request: Request) -> float:
    header = request.headers.get("x-scale-up-timeout")
    if header is None:
        return 0.0
    try:
        return max(float(header), 0.0)
    except ValueError:
        raise ApiError(400, "X-Scale-Up-Timeout must be a number of seconds") from None


async def _ready(
    backend: Backend, request: Request, deployed: Deployed, *, health: bool
) -> Deployed:
    """Return the endpoint once it may answer, or raise the proxy's error."""
    serving = ("running",) if health else ("running", "updating")
    if deployed.state in serving:
        return deployed
    if deployed.state == "paused":
        # What the real proxy answers for a paused endpoint.
        raise ApiError(400, "Bad Request: Invalid state")
    if deployed.state in ("failed", "updateFailed"):
        raise ApiError(502, f"Bad Gateway: the endpoint is in state {deployed.state}")

    timeout = _scale_up_timeout(request)
    if timeout > 0 and deployed.state in _STARTING:
        # The proxy holds the request until a replica is ready or the timeout hits.
        clock, speed = backend.clock, backend.clock.speed
        deadline = clock.now() + timeout
        budget = min(timeout / speed if speed > 0 else timeout, MAX_SCALE_UP_WAIT)
        give_up = time.monotonic() + budget
        while clock.now() < deadline and time.monotonic() < give_up:
            await asyncio.sleep(_POLL)
            deployed = backend.store.deployed(
                deployed.namespace, deployed.name, touch=False
            )
            if deployed.state in serving:
                return deployed
            if deployed.state not in _STARTING:
                break

    if deployed.state == "scaledToZero":
        raise ApiError(
            503,
            "Service Unavailable: the endpoint is scaled to zero, a request wakes it",
        )
    raise ApiError(
        503,
        f"Service Unavailable: the endpoint is starting ({deployed.state})",
    )


async def _paced(backend: Backend, chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk
        speed = backend.clock.speed
        # A frozen clock (speed 0) streams without pauses.
        if speed > 0:
            await asyncio.sleep(min(TOKEN_SECONDS / speed, _MAX_TOKEN_DELAY))


def _stream(backend: Backend, events: Iterator[dict[str, Any]], done: bool) -> Response:
    chunks: Iterator[bytes] = (sse(event) for event in events)
    if done:
        chunks = itertools.chain(chunks, [sse("[DONE]")])
    return StreamingResponse(
        _paced(backend, chunks),
        media_type="text/event-stream",
        headers={"cache-control": "no-cache"},
    )


def _generative(
    backend: Backend, deployed: Deployed, route: str, body: bytes
) -> Response:
    """Answer a TGI route: ``/``, ``/generate``, ``/generate_stream`` or chat.

    Chat is the OpenAI-compatible ``/v1/chat/completions``.
    """
    if route == "/v1/chat/completions":
        payload = parse_object(body)
        options = {key: payload.get(key) for key in ("max_tokens", "seed", "stop")}
        prompt = prompt_of_messages(payload.get("messages"))
        generation = generate(prompt, options, limit_key="max_tokens")
        if payload.get("stream"):
            return _stream(backend, chat_events(generation, deployed.repository), True)
        return JSONResponse(chat_completion(generation, deployed.repository))
    if route not in ("/", "/generate", "/generate_stream"):
        raise ApiError(404, f"Route POST {route} not found")

    payload = parse_json(body)
    parameters = payload["parameters"]
    generation = generate(payload["inputs"], parameters)
    if route == "/generate_stream" or payload.get("stream") is True:
        return _stream(backend, generate_events(generation, parameters), False)
    row: dict[str, Any] = {"generated_text": generated_text(generation, parameters)}
    if parameters.get("details"):
        row["details"] = generation.details()
    return JSONResponse(row if route == "/generate" else [row])


async def deployed_endpoint(request: Request) -> Response:
    """Serve ``GET {url}{healthRoute}``, inference on ``POST {url}`` and TGI routes."""
    backend: Backend = request.app.state.backend
    namespace = request.path_params["namespace"]
    name = request.path_params["name"]
    route = "/" + request.path_params.get("path", "")

    deployed = backend.store.deployed(namespace, name, touch=False)
    _authorize(backend, request, deployed)
    health = request.method in ("GET", "HEAD")
    # Only inference counts as traffic: GETs are the readiness probes of wait() and
    # of status widgets, and polling them must not keep an endpoint from scaling
    # to zero, nor wake it up.
    deployed = backend.store.deployed(namespace, name, touch=not health)
    deployed = await _ready(backend, request, deployed, health=health)

    if health:
        if route in (deployed.health_route, "/health"):
            return Response(status_code=200)
        if route == "/info" and deployed.task in GENERATIVE_TASKS:
            return JSONResponse(
                {"model_id": deployed.repository, "model_pipeline_tag": deployed.task}
            )
        raise ApiError(404, f"Route GET {route} not found")

    body = await request.body()
    if deployed.task in GENERATIVE_TASKS:
        return _generative(backend, deployed, route, body)
    if route != "/":
        raise ApiError(404, f"Route POST {route} not found for task {deployed.task}")
    result = run_task(
        deployed.task,
        body,
        request.headers.get("content-type", ""),
        deployed.repository,
    )
    if result.media_type == "application/json":
        return JSONResponse(result.body)
    return Response(result.body, media_type=result.media_type)
