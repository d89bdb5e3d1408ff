"""Small clients that send inference requests to a deployed endpoint's URL."""

from __future__ import annotations

import logging
from typing import Any

import httpx2

from ._config import resolve_token
from ._http import build_headers, connection_error, error_from_response

logger = logging.getLogger(__name__)

INFERENCE_TIMEOUT = httpx2.Timeout(60.0, connect=5.0)


def parse_body(response: httpx2.Response) -> Any:
    """JSON bodies as Python objects; images, audio and other bytes as bytes."""
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    if kind == "application/json" or kind.endswith("+json"):
        return response.json()
    if kind.startswith("text/"):
        return response.text
    return response.content


class _InferenceBase:
    def __init__(
        self,
        url: str,
        *,
        token: str | bool | None = None,
        endpoint: str | None = None,
        task: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.endpoint = endpoint
        self.task = task
        self._token = resolve_token(token)
        self._timeout = (
            INFERENCE_TIMEOUT if timeout is None else httpx2.Timeout(timeout)
        )

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
            merged["x-scale-up-timeout"] = str(int(scale_up_timeout))
        merged.update(headers or {})
        if data is not None:
            merged.setdefault("content-type", "application/octet-stream")
            return {"content": data, "headers": merged}
        return {"json": json, "headers": merged}

    def _check(self, response: httpx2.Response, path: str) -> httpx2.Response:
        if response.is_success:
            return response
        what = f"run inference on {self._label}" + (f" ({path})" if path else "")
        raise error_from_response(response, what=what, endpoint=self.endpoint)


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

    Examples
    --------
    >>> endpoint.client.post({"inputs": "I love this!"})  # doctest: +SKIP
    [{'label': 'POSITIVE', 'score': 0.98}, ...]
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
    ) -> None:
        super().__init__(
            url, token=token, endpoint=endpoint, task=task, timeout=timeout
        )
        self._owns_http = http is None
        self._http = http or httpx2.Client(timeout=self._timeout, transport=transport)

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
    ) -> httpx2.Response:
        """POST and return the successful response; errors raise."""
        args = self._request_args(json, data, headers, scale_up_timeout)
        try:
            response = self._http.post(
                self._url(path), timeout=timeout or self._timeout, **args
            )
        except httpx2.TransportError as exc:
            what = f"run inference on {self._label}"
            raise connection_error(exc, what=what, endpoint=self.endpoint) from exc
        return self._check(response, path)

    def post(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
    ) -> Any:
        """POST a JSON payload (or raw ``data`` bytes) and return the parsed answer."""
        response = self.request(
            json,
            data=data,
            path=path,
            headers=headers,
            timeout=timeout,
            scale_up_timeout=scale_up_timeout,
        )
        return parse_body(response)


class AsyncInferenceClient(_InferenceBase):
    """The asynchronous twin of :class:`InferenceClient`."""

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
    ) -> None:
        super().__init__(
            url, token=token, endpoint=endpoint, task=task, timeout=timeout
        )
        self._owns_http = http is None
        self._http = http or httpx2.AsyncClient(
            timeout=self._timeout, transport=transport
        )

    async def aclose(self) -> None:
        """Close the connection pool, unless it is shared."""
        if self._owns_http:
            await self._http.aclose()

    async def request(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
    ) -> httpx2.Response:
        """POST and return the successful response; errors raise."""
        args = self._request_args(json, data, headers, scale_up_timeout)
        try:
            response = await self._http.post(
                self._url(path), timeout=timeout or self._timeout, **args
            )
        except httpx2.TransportError as exc:
            what = f"run inference on {self._label}"
            raise connection_error(exc, what=what, endpoint=self.endpoint) from exc
        return self._check(response, path)

    async def post(
        self,
        json: Any = None,
        *,
        data: bytes | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        scale_up_timeout: float | None = None,
    ) -> Any:
        """POST a JSON payload (or raw ``data`` bytes) and return the parsed answer."""
        response = await self.request(
            json,
            data=data,
            path=path,
            headers=headers,
            timeout=timeout,
            scale_up_timeout=scale_up_timeout,
        )
        return parse_body(response)
