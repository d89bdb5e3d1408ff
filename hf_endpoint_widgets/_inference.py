"""Small clients that send inference requests to a deployed endpoint's URL.

Besides one-off POSTs they can wake a scaled-to-zero endpoint (``wake_timeout``),
stream generated text (:meth:`InferenceClient.stream`) and run many requests at once
(:meth:`InferenceClient.batch`, built on :mod:`._batch`).
"""

from __future__ import annotations

import json as jsonlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import httpx2

from ._config import resolve_token
from ._http import RetryPolicy, build_headers, connection_error, error_from_response
from ._http import retry_after as retry_after_header
from ._media_types import sniff
from .errors import (
    InferenceEndpointError,
    InferenceEndpointHTTPError,
    InferenceEndpointTimeoutError,
)

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

INFERENCE_TIMEOUT = httpx2.Timeout(60.0, connect=5.0)
WAKE_STEP = 10.0
CHAT_ROUTE = "v1/chat/completions"
GENERATE_STREAM_ROUTE = "generate_stream"

WaitCallback = Callable[[float, float], None]


def parse_body(response: httpx2.Response) -> Any:
    """JSON bodies as Python objects; images, audio and other bytes as bytes."""
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    if kind == "application/json" or kind.endswith("+json"):
        return response.json()
    if kind.startswith("text/"):
        return response.text
    return response.content


def stream_route(json: Any) -> str:
    """The streaming route for a payload: chat completions for ``messages``, else
    TGI's ``generate_stream``."""
    if isinstance(json, dict) and "messages" in json:
        return CHAT_ROUTE
    return GENERATE_STREAM_ROUTE


def stream_payload(json: Any, path: str) -> Any:
    """The payload to send to a streaming route (chat completions need a flag)."""
    if isinstance(json, dict) and path.strip("/").endswith("chat/completions"):
        return {**json, "stream": True}
    return json


def event_text(data: str) -> str | None:
    """The text one server-sent event adds, None when it adds nothing.

    Understands TGI's ``generate_stream`` events and OpenAI-style chat chunks; an
    ``error`` event raises.

    Examples
    --------
    >>> event_text('{"token": {"text": "Hi", "special": false}}')
    'Hi'
    >>> event_text('{"choices": [{"delta": {"content": " there"}}]}')
    ' there'
    """
    if data.strip() == "[DONE]":
        return None
    event = jsonlib.loads(data)
    if not isinstance(event, dict):
        return None
    if event.get("error"):
        raise InferenceEndpointError(
            f"The endpoint stopped streaming: {event['error']}"
        )
    token = event.get("token")
    if isinstance(token, dict):
        return None if token.get("special") else str(token.get("text") or "")
    for choice in event.get("choices") or []:
        delta = choice.get("delta") or {}
        if delta.get("content"):
            return str(delta["content"])
    return None


class _InferenceBase:
    def __init__(
        self,
        url: str,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        task: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.rstrip("/")
        self.endpoint = endpoint
        self.task = task
        self.clock = clock
        self._token = resolve_token(token)
        self._timeout = (
            INFERENCE_TIMEOUT if timeout is None else httpx2.Timeout(timeout)
        )
        self._wake_backoff = RetryPolicy(base=1.0, cap=5.0)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, task={self.task!r})"

    @property
    def _label(self) -> str:
        return self.endpoint or self.url

    def _url(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}" if path else self.url

    def _request_args(
        self,
        json: Any,
        data: bytes | None,
        headers: dict[str, str] | None,
        scale_up_timeout: float | None,
    ) -> dict[str, Any]:
        merged = build_headers(self._token)
        if scale_up_timeout is not None:
            merged["x-scale-up-timeout"] = str(max(1, int(scale_up_timeout)))
        merged.update(headers or {})
        if data is not None:
            merged.setdefault("content-type", sniff(data) or "application/octet-stream")
            return {"content": data, "headers": merged}
        return {"json": json, "headers": merged}

    def _timeout_for(self, timeout: float | None, hold: float | None) -> Any:
        base = httpx2.Timeout(timeout) if timeout else self._timeout
        if hold is None:
            return base
        read = max(base.read or 0.0, hold + 30.0)
        return httpx2.Timeout(read, connect=base.connect or 5.0)

    def _check(self, response: httpx2.Response, path: str) -> httpx2.Response:
        if response.is_success:
            return response
        what = f"run inference on {self._label}" + (f" ({path})" if path else "")
        raise error_from_response(response, what=what, endpoint=self.endpoint)

    def _transport_error(self, exc: httpx2.TransportError) -> InferenceEndpointError:
        what = f"run inference on {self._label}"
        return connection_error(exc, what=what, endpoint=self.endpoint)

    def _wake_hold(self, start: float, wake_timeout: float | None) -> float | None:
        if wake_timeout is None:
            return None
        remaining = wake_timeout - (self.clock() - start)
        return max(1.0, min(remaining, WAKE_STEP))

    def _wake_delay(
        self,
        start: float,
        attempt: int,
        wake_timeout: float,
        response: httpx2.Response | None,
    ) -> float:
        """Seconds before the next wake attempt; raises once the time is up."""
        elapsed = self.clock() - start
        if elapsed >= wake_timeout:
            status = f"HTTP {response.status_code}" if response else "no connection"
            raise InferenceEndpointTimeoutError(
                f"{self._label} did not wake up within {wake_timeout:g} s (still "
                f"{status}). Try again with a longer timeout, or look at its status.",
                endpoint=self.endpoint,
            )
        hint = retry_after_header(response) if response is not None else None
        delay = self._wake_backoff.delay(attempt, hint)
        return max(0.0, min(delay, wake_timeout - elapsed))

    def _batch_setup(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "token": self._token or False,
            "endpoint": self.endpoint,
            "timeout": self._timeout,
        }


def _waking(response: httpx2.Response | None, wake_timeout: float | None) -> bool:
    """Whether to try again: a 503 (or a dropped connection) while waking up."""
    if wake_timeout is None:
        return False
    return response is None or response.status_code == 503


class InferenceClient(_InferenceBase):
    """Send requests to a deployed endpoint.

    Parameters
    ----------
    url : str
        The endpoint's URL (``endpoint.url``).
    token : str, bool or None
        Token to send; None looks it up like huggingface_hub does.
    endpoint : str, optional
        ``namespace/name``, used in error messages.
    task : str, optional
        The endpoint's task, used to shape payloads and results.
    timeout : float or httpx2.Timeout, optional
        Per-request timeout (60 s by default).
    http : httpx2.Client, optional
        A client whose connection pool to share.
    transport : httpx2.BaseTransport, optional
        Transport to use instead of the network (tests use ``httpx2.MockTransport``).
    clock, sleep : callable
        Monotonic clock and sleep function used while waking an endpoint.

    Examples
    --------
    >>> endpoint.client.post({"inputs": "I love this!"})  # doctest: +SKIP
    [{'label': 'POSITIVE', 'score': 0.98}, ...]
    >>> "".join(endpoint.client.stream({"inputs": "Once upon"}))  # doctest: +SKIP
    ' a time, ...'
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        task: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        http: httpx2.Client | None = None,
        transport: httpx2.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            url, token=token, endpoint=endpoint, task=task, timeout=timeout, clock=clock
        )
        self.sleep = sleep
        self._owns_http = http is None
        self._http = http or httpx2.Client(timeout=self._timeout, transport=transport)
        self._transport = transport

    def close(self) -> None:
        """Close the connection pool, unless it is shared."""
        if self._owns_http:
            self._http.close()

    def request(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
        wake_timeout: float | None = None,
        on_wait: WaitCallback | None = None,
    ) -> httpx2.Response:
        """POST and return the successful response; errors raise.

        With ``wake_timeout``, a 503 (a scaled-to-zero endpoint starting a replica)
        is retried with backoff, each attempt asking the proxy to hold the request
        with ``X-Scale-Up-Timeout``, until that many seconds have passed.
        ``on_wait(elapsed, delay)`` is called before each new attempt.
        """
        start = self.clock()
        attempt = 0
        while True:
            attempt += 1
            hold = scale_up_timeout or self._wake_hold(start, wake_timeout)
            args = self._request_args(json, data, headers, hold)
            try:
                response: httpx2.Response | None = self._http.post(
                    self._url(path), timeout=self._timeout_for(timeout, hold), **args
                )
            except httpx2.TransportError as exc:
                if not _waking(None, wake_timeout):
                    raise self._transport_error(exc) from exc
                response = None

            if response is not None and not _waking(response, wake_timeout):
                return self._check(response, path)
            assert wake_timeout is not None
            delay = self._wake_delay(start, attempt, wake_timeout, response)
            if on_wait is not None:
                on_wait(self.clock() - start, delay)
            self.sleep(delay)

    def wake(self, *, wake_timeout: float, on_wait: WaitCallback | None = None) -> None:
        """Wake a scaled-to-zero endpoint without a payload of the caller's.

        POST an empty JSON object as :meth:`request` does with ``wake_timeout``,
        until a replica answers. Any answer but a 503 means it is awake, so a 4xx
        for the empty payload is fine; 401 and 403 raise.
        """
        try:
            self.request({}, wake_timeout=wake_timeout, on_wait=on_wait)
        except InferenceEndpointHTTPError as exc:
            if exc.status_code in (401, 403):
                raise
            logger.debug("%s is awake (HTTP %s)", self._label, exc.status_code)

    def post(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
        wake_timeout: float | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Any:
        """POST a JSON payload (or raw ``data`` bytes) and return the parsed answer."""
        response = self.request(
            json,
            data=data,
            path=path,
            headers=headers,
            timeout=timeout,
            scale_up_timeout=scale_up_timeout,
            wake_timeout=wake_timeout,
            on_wait=on_wait,
        )
        return parse_body(response)

    def stream(
        self,
        json: Any,
        *,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Iterator[str]:
        """Yield generated text as the server sends it (server-sent events).

        Parameters
        ----------
        json : dict
            ``{"inputs": ..., "parameters": ...}`` for TGI's ``generate_stream``, or
            ``{"messages": [...]}`` for ``v1/chat/completions``.
        path : str, optional
            The route; chosen from the payload when omitted.
        """
        route = stream_route(json) if path is None else path
        args = self._request_args(stream_payload(json, route), None, headers, None)
        args["headers"]["accept"] = "text/event-stream"
        url, limit = self._url(route), self._timeout_for(timeout, None)
        try:
            with self._http.stream("POST", url, timeout=limit, **args) as response:
                if not response.is_success:
                    response.read()
                    self._check(response, route)
                for event in httpx2.EventSource(response):
                    text = event_text(event.data)
                    if text:
                        yield text
        except httpx2.TransportError as exc:
            raise self._transport_error(exc) from exc

    def batch(
        self, items: Iterable[Any], *, concurrency: int = 8, **options: Any
    ) -> pd.DataFrame:
        """Send one request per item, ``concurrency`` at a time; return a DataFrame.

        Works inside a running event loop (a notebook): the requests run on a worker
        thread with its own loop. Interrupting returns the rows that finished; the
        others say ``cancelled``. Keywords are those of
        :func:`hf_endpoint_widgets._batch.run_batch`.

        Examples
        --------
        >>> df = endpoint.client.batch(["good", "bad"], concurrency=16)
        ... # doctest: +SKIP
        >>> df[["input", "output", "error"]]  # doctest: +SKIP
        """
        from ._batch import run_batch

        transport = self._transport
        if not isinstance(transport, httpx2.AsyncBaseTransport):
            transport = None
        return run_batch(
            items,
            concurrency=concurrency,
            transport=transport,
            **{**self._batch_setup(), **options},
        )


class AsyncInferenceClient(_InferenceBase):
    """The asynchronous twin of :class:`InferenceClient`.

    Examples
    --------
    >>> await endpoint.async_client.post({"inputs": "Hi"})  # doctest: +SKIP
    >>> df = await endpoint.async_client.batch(texts, concurrency=32)
    ... # doctest: +SKIP
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        task: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        http: httpx2.AsyncClient | None = None,
        transport: httpx2.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        super().__init__(
            url, token=token, endpoint=endpoint, task=task, timeout=timeout, clock=clock
        )
        self.sleep = sleep
        self._owns_http = http is None
        self._transport = transport
        self._http = http or httpx2.AsyncClient(
            timeout=self._timeout, transport=transport
        )

    async def aclose(self) -> None:
        """Close the connection pool, unless it is shared."""
        if self._owns_http:
            await self._http.aclose()

    async def _sleep(self, seconds: float) -> None:
        import asyncio

        if self.sleep is None:
            await asyncio.sleep(seconds)
            return
        outcome = self.sleep(seconds)
        if asyncio.iscoroutine(outcome):
            await outcome

    async def request(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
        wake_timeout: float | None = None,
        on_wait: WaitCallback | None = None,
    ) -> httpx2.Response:
        """POST and return the successful response; errors raise. ``wake_timeout``
        works as in :meth:`InferenceClient.request`."""
        start = self.clock()
        attempt = 0
        while True:
            attempt += 1
            hold = scale_up_timeout or self._wake_hold(start, wake_timeout)
            args = self._request_args(json, data, headers, hold)
            try:
                response: httpx2.Response | None = await self._http.post(
                    self._url(path), timeout=self._timeout_for(timeout, hold), **args
                )
            except httpx2.TransportError as exc:
                if not _waking(None, wake_timeout):
                    raise self._transport_error(exc) from exc
                response = None

            if response is not None and not _waking(response, wake_timeout):
                return self._check(response, path)
            assert wake_timeout is not None
            delay = self._wake_delay(start, attempt, wake_timeout, response)
            if on_wait is not None:
                on_wait(self.clock() - start, delay)
            await self._sleep(delay)

    async def wake(
        self, *, wake_timeout: float, on_wait: WaitCallback | None = None
    ) -> None:
        """Wake a scaled-to-zero endpoint, as :meth:`InferenceClient.wake` does."""
        try:
            await self.request({}, wake_timeout=wake_timeout, on_wait=on_wait)
        except InferenceEndpointHTTPError as exc:
            if exc.status_code in (401, 403):
                raise
            logger.debug("%s is awake (HTTP %s)", self._label, exc.status_code)

    async def post(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
        wake_timeout: float | None = None,
        on_wait: WaitCallback | None = None,
    ) -> Any:
        """POST a JSON payload (or raw ``data`` bytes) and return the parsed answer."""
        response = await self.request(
            json,
            data=data,
            path=path,
            headers=headers,
            timeout=timeout,
            scale_up_timeout=scale_up_timeout,
            wake_timeout=wake_timeout,
            on_wait=on_wait,
        )
        return parse_body(response)

    async def stream(
        self,
        json: Any,
        *,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[str]:
        """Yield generated text as the server sends it (see
        :meth:`InferenceClient.stream`)."""
        route = stream_route(json) if path is None else path
        args = self._request_args(stream_payload(json, route), None, headers, None)
        args["headers"]["accept"] = "text/event-stream"
        url, limit = self._url(route), self._timeout_for(timeout, None)
        try:
            async with self._http.stream(
                "POST", url, timeout=limit, **args
            ) as response:
                if not response.is_success:
                    await response.aread()
                    self._check(response, route)
                async for event in httpx2.EventSource(response):
                    text = event_text(event.data)
                    if text:
                        yield text
        except httpx2.TransportError as exc:
            raise self._transport_error(exc) from exc

    async def batch(
        self, items: Iterable[Any], *, concurrency: int = 8, **options: Any
    ) -> pd.DataFrame:
        """Send one request per item, ``concurrency`` at a time; return a DataFrame
        aligned with the items. Cancelling the awaiting task cancels the requests
        and propagates. Keywords are those of
        :func:`hf_endpoint_widgets._batch.run_batch_async`."""
        from ._batch import run_batch_async

        return await run_batch_async(
            items,
            concurrency=concurrency,
            transport=self._transport,
            **{**self._batch_setup(), **options},
        )
