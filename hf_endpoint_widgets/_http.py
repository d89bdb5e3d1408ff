"""HTTP details shared by the sync and async clients: headers, retry policy, and
turning error responses into errors of :mod:`hf_endpoint_widgets.errors`."""

from __future__ import annotations

import email.utils
import math
import platform
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from typing import Any

import httpx2

from ._version import __version__
from .errors import (
    EndpointConnectionError,
    InferenceEndpointHTTPError,
    RequestTimeoutError,
    UnexpectedResponseError,
    error_for_status,
)

USER_AGENT = (
    f"hf-endpoint-widgets/{__version__}; python/{platform.python_version()}; "
    f"httpx2/{httpx2.__version__}"
)
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
DEFAULT_TIMEOUT = httpx2.Timeout(10.0, connect=5.0)
MAX_SERVER_MESSAGE = 500


def build_headers(token: str | None) -> dict[str, str]:
    """Headers for every request; the token only ever travels here."""
    headers = {"user-agent": USER_AGENT}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return headers


def server_message(response: httpx2.Response) -> str | None:
    """The error text of a response, as the API and the Hub send it."""
    parts = []
    header = response.headers.get("x-error-message")
    if header:
        parts.append(header)

    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, list):
            parts.extend(str(item) for item in error)
        elif error:
            parts.append(str(error))
        if body.get("error_description"):
            parts.append(str(body["error_description"]))
        for item in body.get("errors") or []:
            if isinstance(item, dict) and item.get("message"):
                parts.append(str(item["message"]))
    elif body is None and response.text and "<html" not in response.text.lower():
        parts.append(response.text.strip())

    unique = list(dict.fromkeys(p for p in parts if p))
    text = " ".join(unique)[:MAX_SERVER_MESSAGE]
    return text or None


def request_id(response: httpx2.Response) -> str | None:
    """The id the server gave the request, for support."""
    for name in ("x-request-id", "x-amzn-trace-id", "x-amz-cf-id"):
        if response.headers.get(name):
            return response.headers[name]
    return None


def retry_after(
    response: httpx2.Response, *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date), or None
    when it is missing or unreadable. A date without a zone is read as UTC."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now())
    if seconds is None or not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def _seconds_until(http_date: str, now: float) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp() - now


def error_from_response(
    response: httpx2.Response, *, what: str, endpoint: str | None = None
) -> InferenceEndpointHTTPError:
    """The error of :mod:`errors` that matches an error response."""
    return error_for_status(
        response.status_code,
        what=what,
        endpoint=endpoint,
        server_message=server_message(response),
        request_id=request_id(response),
        retry_after=retry_after(response),
    )


def unexpected_response(
    response: httpx2.Response, *, what: str, endpoint: str | None = None
) -> UnexpectedResponseError:
    """The error for a successful response whose body cannot be read."""
    kind = response.headers.get("content-type", "").split(";")[0] or "no content type"
    return UnexpectedResponseError(
        f"Could not {what}: {response.request.url.host} answered HTTP "
        f"{response.status_code} with {kind}, not the API's JSON. Check that api_url "
        "and hub_url point to the Inference Endpoints API and the Hub.",
        endpoint=endpoint,
        status_code=response.status_code,
        request_id=request_id(response),
    )


def connection_error(
    exc: httpx2.TransportError, *, what: str, endpoint: str | None = None
) -> EndpointConnectionError:
    """Wrap a transport failure; the message names the host, never headers. A
    timeout becomes a :class:`RequestTimeoutError` (also a ``TimeoutError``)."""
    host = exc.request.url.host if _has_request(exc) else "the server"
    if isinstance(exc, httpx2.TimeoutException):
        return RequestTimeoutError(
            f"Could not {what}: {host} did not answer in time "
            f"({type(exc).__name__}). Try again, or pass a longer timeout=.",
            endpoint=endpoint,
        )
    return EndpointConnectionError(
        f"Could not {what}: the connection to {host} failed ({type(exc).__name__}). "
        "Check your network, then try again.",
        endpoint=endpoint,
    )


def _has_request(exc: httpx2.TransportError) -> bool:
    try:
        exc.request  # noqa: B018 - raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter, honouring ``Retry-After``.

    Only idempotent requests (GET) are retried; lifecycle calls never are, so an
    action is never sent twice. A server that asks to wait longer than
    ``max_wait`` seconds is not retried: its error carries ``retry_after``.
    """

    max_retries: int = 3
    base: float = 0.5
    cap: float = 8.0
    max_wait: float = 60.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempt: int, server_hint: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (starting at 1): the
        server's ``Retry-After`` when it sent one, else the backoff."""
        if server_hint is not None:
            return min(server_hint, self.max_wait)
        backoff = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return backoff * (0.5 + self.jitter() / 2)

    def should_retry(self, attempt: int, response: httpx2.Response | None) -> bool:
        """Whether a failed attempt (a response, or None for a transport error)
        deserves another try."""
        if attempt > self.max_retries:
            return False
        if response is None:
            return True
        hint = retry_after(response)
        if hint is not None and hint > self.max_wait:
            return False
        return response.status_code in RETRYABLE_STATUS
