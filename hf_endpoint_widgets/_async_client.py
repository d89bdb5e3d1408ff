"""The asynchronous client of the Inference Endpoints API."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx2

from ._base import Call, ClientBase, is_already_running
from ._client import EndpointsClient
from ._http import connection_error, error_from_response, retry_after
from ._models import InferenceEndpoint, InferenceEndpointHardware
from ._payloads import create_body, update_body
from ._refs import EndpointLike
from .errors import InferenceEndpointError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class AsyncEndpointsClient(ClientBase):
    """The asynchronous twin of :class:`EndpointsClient`, with the same methods as
    coroutines and the same parameters (``sleep`` is an async function here).

    Endpoints it returns carry a synchronous client with the same configuration, so
    ``endpoint.pause()`` and friends work on them too.

    Examples
    --------
    >>> async with AsyncEndpointsClient() as client:  # doctest: +SKIP
    ...     endpoints = await client.list_inference_endpoints()
    """

    def __init__(
        self,
        token: str | bool | None = None,
        *,
        api_url: str | None = None,
        hub_url: str | None = None,
        namespace: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        max_retries: int = 3,
        transport: httpx2.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(
            token,
            api_url=api_url,
            hub_url=hub_url,
            namespace=namespace,
            timeout=timeout,
            max_retries=max_retries,
            clock=clock,
        )
        self.sleep = sleep
        self._transport = transport
        self._sync: EndpointsClient | None = None
        self._http = httpx2.AsyncClient(
            headers=self._headers(),
            timeout=self._timeout,
            transport=transport,
            follow_redirects=True,
        )

    async def __aenter__(self) -> AsyncEndpointsClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()
        if self._sync is not None:
            self._sync.close()

    def _sync_owner(self) -> EndpointsClient:
        if self._sync is None:
            sync_transport = self._transport
            if not isinstance(sync_transport, httpx2.BaseTransport):
                sync_transport = None
            self._sync = EndpointsClient(
                self._token or False,
                api_url=self.api_url,
                hub_url=self.hub_url,
                namespace=self._namespace,
                timeout=self._timeout,
                transport=sync_transport,
            )
        return self._sync

    async def _send(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.request(
                    call.method, call.url, json=call.json
                )
            except httpx2.TransportError as exc:
                if call.retry and self._retry.should_retry(attempt, None):
                    await self._backoff(call, attempt, type(exc).__name__, None)
                    continue
                raise connection_error(
                    exc, what=call.what, endpoint=call.endpoint
                ) from exc

            if response.is_success:
                return call.parse(response)
            if call.retry and self._retry.should_retry(attempt, response):
                await self._backoff(
                    call, attempt, response.status_code, retry_after(response)
                )
                continue
            raise error_from_response(response, what=call.what, endpoint=call.endpoint)

    async def _backoff(
        self, call: Call[Any], attempt: int, why: object, hint: float | None
    ) -> None:
        delay = self._retry.delay(attempt, hint)
        logger.warning(
            "Retrying %s in %.1f s (attempt %d, got %s)", call.what, delay, attempt, why
        )
        await self.sleep(delay)

    async def whoami(self) -> dict[str, Any]:
        """The token's owner as the Hub describes it (cached per token)."""
        cached = self._cached_whoami()
        if cached is not None:
            return cached
        return self._store_whoami(await self._send(self.call_whoami()))

    async def get_namespace(self) -> str:
        """The default namespace: the one given, else the token's user name."""
        return self._namespace or self._user_name(await self.whoami())

    async def _target(
        self, name: EndpointLike, namespace: str | None
    ) -> tuple[str, str]:
        ns, endpoint_name = self._split(name, namespace)
        return ns or await self.get_namespace(), endpoint_name

    async def list_inference_endpoints(
        self, namespace: str | None = None
    ) -> list[InferenceEndpoint]:
        """See :meth:`EndpointsClient.list_inference_endpoints`."""
        if namespace != "*":
            ns = namespace or await self.get_namespace()
            return await self._send(self.call_list(ns))

        me = await self.whoami()
        endpoints = await self._send(self.call_list(self._user_name(me)))
        for org in me.get("orgs") or []:
            try:
                more = await self._send(self.call_list(org["name"]))
            except InferenceEndpointError as exc:
                logger.info("Skipping organization %s: %s", org.get("name"), exc)
                continue
            endpoints.extend(more)
        return endpoints

    async def get_inference_endpoint(
        self, name: EndpointLike, *, namespace: str | None = None
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.get_inference_endpoint`."""
        return await self._send(self.call_get(*await self._target(name, namespace)))

    async def create_inference_endpoint(
        self, name: str, *, namespace: str | None = None, **fields: Any
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.create_inference_endpoint` (same keywords)."""
        ns, endpoint_name = self._split(name, namespace)
        body = create_body(endpoint_name, **fields)
        ns = ns or await self.get_namespace()
        return await self._send(self.call_create(ns, endpoint_name, body))

    async def update_inference_endpoint(
        self, name: EndpointLike, *, namespace: str | None = None, **fields: Any
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.update_inference_endpoint`."""
        ns, endpoint_name = self._split(name, namespace)
        body = update_body(endpoint_name, **fields)
        ns = ns or await self.get_namespace()
        return await self._send(self.call_update(ns, endpoint_name, body))

    async def delete_inference_endpoint(
        self, name: EndpointLike, *, namespace: str | None = None
    ) -> None:
        """See :meth:`EndpointsClient.delete_inference_endpoint`."""
        await self._send(self.call_delete(*await self._target(name, namespace)))

    async def pause_inference_endpoint(
        self, name: EndpointLike, *, namespace: str | None = None
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.pause_inference_endpoint`."""
        target = await self._target(name, namespace)
        return await self._send(self.call_action(*target, "pause"))

    async def resume_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        running_ok: bool = True,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.resume_inference_endpoint`."""
        ns, endpoint_name = await self._target(name, namespace)
        try:
            return await self._send(self.call_action(ns, endpoint_name, "resume"))
        except InferenceEndpointError as exc:
            if running_ok and is_already_running(exc):
                return await self._send(self.call_get(ns, endpoint_name))
            raise

    async def scale_to_zero_inference_endpoint(
        self, name: EndpointLike, *, namespace: str | None = None
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.scale_to_zero_inference_endpoint`."""
        target = await self._target(name, namespace)
        return await self._send(self.call_action(*target, "scale-to-zero"))

    async def list_inference_endpoints_hardware(
        self, namespace: str | None = None
    ) -> list[InferenceEndpointHardware]:
        """See :meth:`EndpointsClient.list_inference_endpoints_hardware`."""
        ns = namespace or await self.get_namespace()
        return await self._send(self.call_hardware(ns))
