"""A small in-memory fake of the Inference Endpoints API, served through
``httpx2.MockTransport``. It routes on method and path like the real service and
records every request, so tests can assert what was sent."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from .payloads import PROVIDERS, endpoint_payload

API = "https://api.test"
HUB = "https://hub.test"
TOKEN = "hf_fake_secret_token_123"


@dataclass
class FakeAPI:
    """State of the fake service, plus scripted failures.

    ``script`` holds responses (or exceptions) that are returned, in order, before
    the normal routing takes over.
    """

    user: str = "alice"
    orgs: tuple[str, ...] = ("acme",)
    token: str = TOKEN
    store: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[httpx2.Request] = field(default_factory=list)
    script: deque[httpx2.Response | Exception] = field(default_factory=deque)

    def add(
        self,
        ns: str,
        name: str,
        state: str = "running",
        image: dict[str, Any] | None = None,
        **status: Any,
    ) -> None:
        raw = endpoint_payload(name, state, **status)
        if image is not None:
            raw["model"]["image"] = image
        self.store.setdefault(ns, {})[name] = raw

    api_url = API
    hub_url = HUB

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def sleeper(self, clock: Any) -> Callable[[float], None]:
        return clock.sleep

    def has(self, ns: str, name: str) -> bool:
        return name in self.store.get(ns, {})

    def fail(self, kind: str, count: int = 1, retry_after: int | None = None) -> None:
        """Answer the next ``count`` requests with ``kind`` (a status or "drop")."""
        for _ in range(count):
            if kind == "drop":
                self.script.append(httpx2.RemoteProtocolError("dropped"))
                continue
            headers = {"retry-after": str(retry_after)} if retry_after else {}
            error = {"error": f"scripted {kind}"}
            self.script.append(httpx2.Response(int(kind), json=error, headers=headers))

    def sent(self, method: str | None = None) -> list[httpx2.Request]:
        return [r for r in self.requests if method in (None, r.method)]

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.script:
            scripted = self.script.popleft()
            if isinstance(scripted, Exception):
                raise scripted
            return scripted
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return _error(401, "A valid user or organization token is required")

        host, parts = request.url.host, request.url.path.strip("/").split("/")
        if host == "hub.test" and parts == ["api", "whoami-v2"]:
            orgs = [{"name": o} for o in self.orgs]
            return httpx2.Response(
                200, json={"type": "user", "name": self.user, "orgs": orgs}
            )
        if host.endswith(".endpoints.example"):
            return httpx2.Response(200, text="ok")
        return self._route(request, parts[1:])

    def _route(self, request: httpx2.Request, parts: list[str]) -> httpx2.Response:
        kind, ns, rest = parts[0], parts[1], parts[2:]
        if ns not in (self.user, *self.orgs):
            return _error(403, f"Namespace {ns} is not allowed for this token")
        if kind == "provider":
            return httpx2.Response(200, json=PROVIDERS)

        endpoints = self.store.setdefault(ns, {})
        if not rest:
            if request.method == "GET":
                return httpx2.Response(200, json={"items": list(endpoints.values())})
            body = json.loads(request.content)
            if body["name"] in endpoints:
                return _error(409, "An endpoint with the same name already exists")
            endpoints[body["name"]] = endpoint_payload(body["name"], "pending")
            return httpx2.Response(202, json=endpoints[body["name"]])

        name, action = rest[0], (rest[1] if len(rest) > 1 else None)
        if name not in endpoints:
            return _error(404, f"Endpoint '{name}' not found")
        raw = endpoints[name]
        handler = _ACTIONS.get((request.method, action))
        if handler is None:
            return _error(405, "method not allowed")
        return handler(endpoints, raw)


def _error(code: int, message: str, **headers: str) -> httpx2.Response:
    return httpx2.Response(code, json={"error": message}, headers=headers)


def _state(raw: dict[str, Any], state: str) -> httpx2.Response:
    raw["status"]["state"] = state
    return httpx2.Response(200, json=raw)


def _resume(endpoints: dict[str, Any], raw: dict[str, Any]) -> httpx2.Response:
    if raw["status"]["state"] == "running":
        return _error(400, "Endpoint is already running")
    return _state(raw, "initializing")


def _delete(endpoints: dict[str, Any], raw: dict[str, Any]) -> httpx2.Response:
    del endpoints[raw["name"]]
    return httpx2.Response(200, json={})


_ACTIONS: dict[tuple[str, str | None], Callable[..., httpx2.Response]] = {
    ("GET", None): lambda e, raw: httpx2.Response(200, json=raw),
    ("PUT", None): lambda e, raw: _state(raw, "updating"),
    ("DELETE", None): _delete,
    ("POST", "pause"): lambda e, raw: _state(raw, "paused"),
    ("POST", "resume"): _resume,
    ("POST", "scale-to-zero"): lambda e, raw: _state(raw, "scaledToZero"),
}
