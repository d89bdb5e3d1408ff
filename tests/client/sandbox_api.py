"""The sandbox behind the same small interface as :class:`FakeAPI`, so the client's
tests run against it over real HTTP too. A recording transport keeps every request
the client sends, bodies included, before it goes on the wire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2

from .fake_api import TOKEN

_FAULTS = {
    "429": lambda n, after: {"rate_limit_next": n, "retry_after": after or 1},
    "500": lambda n, after: {"fail_next": n, "error_status": 500},
    "503": lambda n, after: {"fail_next": n, "error_status": 503},
    "drop": lambda n, after: {"drop_next": n},
}


class RecordingTransport(httpx2.BaseTransport):
    """Forward requests over the network, keeping a copy of each."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.requests: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class SandboxAPI:
    """A running sandbox, reset, with the namespaces and token of the fake."""

    user = "alice"
    orgs = ("acme",)
    token = TOKEN

    def __init__(self, sandbox: Any) -> None:
        self.sb = sandbox
        self.api_url = self.hub_url = sandbox.url
        self.recorder = RecordingTransport()
        sandbox.reset()

    @property
    def requests(self) -> list[httpx2.Request]:
        return self.recorder.requests

    def transport(self) -> httpx2.BaseTransport:
        return self.recorder

    def sleeper(self, clock: Any) -> Callable[[float], None]:
        def sleep(seconds: float) -> None:
            clock.sleep(seconds)
            self.sb.advance(seconds)

        return sleep

    def add(
        self,
        ns: str,
        name: str,
        state: str = "running",
        image: dict[str, Any] | None = None,
        **status: Any,
    ) -> None:
        extra = {} if image is None else {"custom_image": image}
        self.sb.seed(
            name,
            namespace=ns,
            task="text-classification",
            status=state,
            message=status.get("message"),
            **extra,
        )

    def has(self, ns: str, name: str) -> bool:
        try:
            self.sb.get(name, ns)
        except KeyError:
            return False
        return True

    def sent(self, method: str | None = None) -> list[httpx2.Request]:
        return [r for r in self.requests if method in (None, r.method)]

    def fail(self, kind: str, count: int = 1, retry_after: int | None = None) -> None:
        """Make the next ``count`` management requests fail with ``kind``."""
        self.sb.faults(target="management", **_FAULTS[kind](count, retry_after))
