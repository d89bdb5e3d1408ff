"""Pure ASGI middleware: request ids, the request log and injected faults."""

from __future__ import annotations

import asyncio
import json
import uuid
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._backend import Backend
from ._faults import RequestRecord

__all__ = ["ConnectionDropped", "SandboxMiddleware", "classify"]


class ConnectionDropped(ConnectionError):
    """Raised when the server cannot close the socket itself (e.g. in-memory
    transports), so the client still sees the request fail without a response."""


def classify(path: str) -> tuple[str, tuple[str, str] | None]:
    """Return ``(kind, (namespace, name) or None)`` of a request path.

    ``kind`` is ``"inference"`` for deployed endpoint URLs, else ``"management"``.
    """
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "endpoints":
        return "inference", (parts[2], parts[3])
    if len(parts) >= 5 and parts[1] == "v2" and parts[2] == "endpoint":
        return "management", (parts[3], parts[4])
    return "management", None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    content = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


class SandboxMiddleware:
    """Wrap the app: add ``X-Request-Id``, log each request, apply faults.

    Parameters
    ----------
    app : ASGI app
        The routed application.
    backend : Backend
        Holds the fault rules, the request log and the connection-drop hook.
    """

    def __init__(self, app: ASGIApp, backend: Backend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        backend = self.backend
        request_id = [(b"x-request-id", uuid.uuid4().hex.encode())]
        logged = False

        def log(status: int) -> None:
            # Logged before the answer leaves, so a client that counts requests
            # right after its own call always sees it.
            nonlocal logged
            if not logged:
                logged = True
                record = RequestRecord(
                    scope["method"], scope["path"], status, backend.clock.now()
                )
                backend.requests.add(record)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                log(message["status"])
                message = {
                    **message,
                    "headers": [*message.get("headers", ()), *request_id],
                }
            await send(message)

        kind, endpoint = classify(scope["path"])
        decision = backend.faults.decide(kind, endpoint)
        try:
            if decision.latency > 0:
                await asyncio.sleep(decision.latency)
            if decision.action == "drop":
                log(0)
                await self._drop(scope)
            elif decision.action == "rate_limit":
                log(429)
                retry = [(b"retry-after", str(decision.retry_after).encode())]
                message = "Too Many Requests: rate limit reached, retry later"
                await _send_json(send, 429, {"error": message}, retry + request_id)
            elif decision.action == "error":
                log(decision.status)
                body = {"error": f"{_phrase(decision.status)} (sandbox fault)"}
                await _send_json(send, decision.status, body, request_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            log(0)

    async def _drop(self, scope: Scope) -> None:
        hook = self.backend.drop_connection
        if hook is not None and hook(scope):
            # Let the server notice the closed socket before this request returns.
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            return
        raise ConnectionDropped("the sandbox dropped this connection (fault)")
