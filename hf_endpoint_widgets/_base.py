"""What the sync and async clients share: configuration, and one :class:`Call` per
route that says what to send and how to read the answer. The clients only run them."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import httpx2

from ._config import resolve_api_url, resolve_hub_url, resolve_token
from ._http import DEFAULT_TIMEOUT, RetryPolicy, build_headers, unexpected_response
from ._models import InferenceEndpoint, InferenceEndpointHardware
from ._payloads import validate_name
from ._refs import EndpointLike, endpoint_ref
from .errors import BadRequestError

T = TypeVar("T")
C = TypeVar("C", bound="ClientBase")

_whoami_lock = threading.Lock()
_whoami_cache: dict[tuple[str, str], dict[str, Any]] = {}


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request to send, and how to turn its successful response into a value."""

    method: str
    url: str
    what: str
    parse: Callable[[httpx2.Response], T]
    endpoint: str | None = None
    json: Any = None

    def read(self, response: httpx2.Response) -> T:
        """The value of a successful response. A body that is not the JSON the
        route sends raises :class:`UnexpectedResponseError`."""
        try:
            return self.parse(response)
        except (ValueError, TypeError, AttributeError) as exc:
            error = unexpected_response(
                response, what=self.what, endpoint=self.endpoint
            )
            raise error from exc

    @property
    def retry(self) -> bool:
        """Only reads are retried: a lifecycle call is never sent twice."""
        return self.method == "GET"


def is_already_running(error: Exception) -> bool:
    """The API's answer to resuming a running endpoint: 400 with this wording."""
    message = getattr(error, "server_message", None) or ""
    return isinstance(error, BadRequestError) and "already running" in message.lower()


def _none(response: httpx2.Response) -> None:
    return None


class ClientBase:
    """Configuration and route building, shared by both clients."""

    def __init__(
        self,
        token: str | bool | None = None,
        *,
        api_url: str | None = None,
        hub_url: str | None = None,
        namespace: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = resolve_api_url(api_url)
        self.hub_url = resolve_hub_url(hub_url)
        self._token = resolve_token(token)
        self._namespace = namespace
        self._timeout = DEFAULT_TIMEOUT if timeout is None else httpx2.Timeout(timeout)
        self._retry = RetryPolicy(max_retries=max_retries)
        self.clock = clock
        self._children: dict[str, Any] = {}
        self._children_lock = threading.Lock()

    def __repr__(self) -> str:
        ns = self._namespace or "<from whoami>"
        return f"{type(self).__name__}(api_url={self.api_url!r}, namespace={ns!r})"

    @property
    def has_token(self) -> bool:
        """Whether a token will be sent (the token itself is never exposed)."""
        return self._token is not None

    def _headers(self) -> dict[str, str]:
        return build_headers(self._token)

    def _whoami_key(self) -> tuple[str, str]:
        return self.hub_url, _digest(self._token)

    def _with_token(self: C, token: str | bool | None) -> C:
        """This client, or a client like it that sends ``token`` instead: the
        per-call ``token=`` of huggingface_hub. Endpoints it returns keep it."""
        if token is None:
            return self
        resolved = resolve_token(token)
        if resolved == self._token:
            return self
        key = _digest(resolved)
        with self._children_lock:
            if key not in self._children:
                self._children[key] = self._spawn(resolved or False)
            return cast(C, self._children[key])

    def _spawn(self, token: str | bool) -> Any:
        raise NotImplementedError

    def _settings(self) -> dict[str, Any]:
        """The constructor arguments, but the token and the transport, that make
        another client behave like this one."""
        return {
            "api_url": self.api_url,
            "hub_url": self.hub_url,
            "namespace": self._namespace,
            "timeout": self._timeout,
            "max_retries": self._retry.max_retries,
            "clock": self.clock,
        }

    def _cached_whoami(self) -> dict[str, Any] | None:
        with _whoami_lock:
            return _whoami_cache.get(self._whoami_key())

    def _store_whoami(self, me: dict[str, Any]) -> dict[str, Any]:
        with _whoami_lock:
            _whoami_cache[self._whoami_key()] = me
        return me

    @staticmethod
    def _user_name(me: dict[str, Any]) -> str:
        if me.get("type") != "user" or not me.get("name"):
            raise ValueError(
                "Cannot tell the default namespace: this token belongs to an "
                "organization. Pass namespace='...' explicitly."
            )
        return str(me["name"])

    def _split(
        self, endpoint: EndpointLike, namespace: str | None
    ) -> tuple[str | None, str]:
        return endpoint_ref(endpoint, namespace or self._namespace)

    def _split_new(self, name: str, namespace: str | None) -> tuple[str | None, str]:
        """:meth:`_split` for a name to create, checked as typed: a reference
        ignores surrounding whitespace, a new name may not have any."""
        if isinstance(name, str):
            validate_name(name.rpartition("/")[2])
        return self._split(name, namespace)

    # Routes

    def _v2(self, *parts: str) -> str:
        return "/".join([self.api_url, "v2", *parts])

    def _endpoint(self, ns: str, raw: Any) -> InferenceEndpoint:
        return InferenceEndpoint.from_raw(raw, namespace=ns, client=self._sync_owner())

    def _sync_owner(self) -> Any:
        return self

    def call_whoami(self) -> Call[dict[str, Any]]:
        return Call("GET", f"{self.hub_url}/api/whoami-v2", "read whoami-v2", _json)

    def call_list(self, ns: str) -> Call[list[InferenceEndpoint]]:
        def parse(r: httpx2.Response) -> list[InferenceEndpoint]:
            return [self._endpoint(ns, raw) for raw in r.json().get("items", [])]

        return Call("GET", self._v2("endpoint", ns), f"list endpoints of {ns}", parse)

    def call_get(self, ns: str, name: str) -> Call[InferenceEndpoint]:
        return self._one("GET", ns, name, f"get {ns}/{name}")

    def call_create(
        self, ns: str, name: str, body: dict[str, Any]
    ) -> Call[InferenceEndpoint]:
        def parse(r: httpx2.Response) -> InferenceEndpoint:
            return self._endpoint(ns, r.json())

        url = self._v2("endpoint", ns)
        return Call("POST", url, f"create {ns}/{name}", parse, f"{ns}/{name}", body)

    def call_update(
        self, ns: str, name: str, body: dict[str, Any]
    ) -> Call[InferenceEndpoint]:
        return self._one("PUT", ns, name, f"update {ns}/{name}", json=body)

    def call_delete(self, ns: str, name: str) -> Call[None]:
        url = self._v2("endpoint", ns, name)
        return Call("DELETE", url, f"delete {ns}/{name}", _none, f"{ns}/{name}")

    def call_action(self, ns: str, name: str, action: str) -> Call[InferenceEndpoint]:
        verb = action.replace("-", " ")
        return self._one("POST", ns, name, f"{verb} {ns}/{name}", suffix=action)

    def call_hardware(self, ns: str) -> Call[list[InferenceEndpointHardware]]:
        def parse(r: httpx2.Response) -> list[InferenceEndpointHardware]:
            return InferenceEndpointHardware.list_from_raw(r.json())

        url = self._v2("provider", ns)
        return Call("GET", url, f"list the hardware available to {ns}", parse)

    def _one(
        self,
        method: str,
        ns: str,
        name: str,
        what: str,
        *,
        suffix: str = "",
        json: Any = None,
    ) -> Call[InferenceEndpoint]:
        def parse(r: httpx2.Response) -> InferenceEndpoint:
            return self._endpoint(ns, r.json())

        parts = [p for p in ("endpoint", ns, name, suffix) if p]
        return Call(method, self._v2(*parts), what, parse, f"{ns}/{name}", json)


def _digest(token: str | None) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _json(response: httpx2.Response) -> Any:
    return response.json()
