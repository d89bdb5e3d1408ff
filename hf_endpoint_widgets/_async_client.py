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
from ._payloads import (
    create_body,
    needs_current_image,
    update_body,
    with_current_image,
)
from ._refs import EndpointLike
from .errors import InferenceEndpointError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class AsyncEndpointsClient(ClientBase):
    """The asynchronous twin of :class:`EndpointsClient`, with the same methods as
    coroutines and the same parameters (``sleep`` is an async function here).

    Endpoints it returns carry a synchronous client with the same configuration, so
    ``endpoint.pause()``, ``endpoint.wait()`` and friends work on them too, even
    after this client is closed. That twin has its own pool and sleeps with
    ``sync_sleep``, which must move the same ``clock`` as ``sleep`` does.

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
        sync_sleep: Callable[[float], None] = time.sleep,
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
        self.sync_sleep = sync_sleep
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
        """Close the connection pool, and those of the per-token clients.

        The synchronous twin that endpoints act through stays open, so endpoints
        fetched here keep working; its pool closes when they are garbage collected.
        """
        await self._http.aclose()
        for child in self._children.values():
            await child.aclose()

    def _spawn(self, token: str | bool) -> AsyncEndpointsClient:
        return AsyncEndpointsClient(
            token,
            transport=self._transport,
            sleep=self.sleep,
            sync_sleep=self.sync_sleep,
            **self._settings(),
        )

    def _sync_owner(self) -> EndpointsClient:
        if self._sync is None:
            sync_transport = self._transport
            if not isinstance(sync_transport, httpx2.BaseTransport):
                sync_transport = None
            self._sync = EndpointsClient(
                self._token or False,
                transport=sync_transport,
                sleep=self.sync_sleep,
                **self._settings(),
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
                return call.read(response)
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

    async def whoami(self, *, token: str | bool | None = None) -> dict[str, Any]:
        """The token's owner as the Hub describes it (cached per token)."""
        api = self._with_token(token)
        cached = api._cached_whoami()
        if cached is not None:
            return cached
        return api._store_whoami(await api._send(api.call_whoami()))

    async def get_namespace(self) -> str:
        """The default namespace: the one given, else the token's user name."""
        return self._namespace or self._user_name(await self.whoami())

    async def _ns(self, namespace: str | None) -> str:
        return namespace or await self.get_namespace()

    async def _target(
        self, name: EndpointLike, namespace: str | None
    ) -> tuple[str, str]:
        ns, endpoint_name = self._split(name, namespace)
        return await self._ns(ns), endpoint_name

    async def list_inference_endpoints(
        self, namespace: str | None = None, *, token: str | bool | None = None
    ) -> list[InferenceEndpoint]:
        """See :meth:`EndpointsClient.list_inference_endpoints`."""
        api = self._with_token(token)
        if namespace != "*":
            return await api._send(api.call_list(await api._ns(namespace)))

        me = await api.whoami()
        endpoints = await api._send(api.call_list(api._user_name(me)))
        for org in me.get("orgs") or []:
            try:
                more = await api._send(api.call_list(org["name"]))
            except InferenceEndpointError as exc:
                logger.info("Skipping organization %s: %s", org.get("name"), exc)
                continue
            endpoints.extend(more)
        return endpoints

    async def get_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.get_inference_endpoint`."""
        api = self._with_token(token)
        return await api._send(api.call_get(*await api._target(name, namespace)))

    async def create_inference_endpoint(
        self,
        name: str,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
        **fields: Any,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.create_inference_endpoint` (same keywords)."""
        api = self._with_token(token)
        ns, endpoint_name = api._split_new(name, namespace)
        body = create_body(endpoint_name, **fields)
        ns = await api._ns(ns)
        return await api._send(api.call_create(ns, endpoint_name, body))

    async def update_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
        **fields: Any,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.update_inference_endpoint`."""
        api = self._with_token(token)
        ns, endpoint_name = api._split(name, namespace)
        body = update_body(endpoint_name, **fields)
        ns = await api._ns(ns)

        if needs_current_image(fields):
            current = await api._send(api.call_get(ns, endpoint_name))
            body = with_current_image(current.id, body, current.raw, **fields)
        return await api._send(api.call_update(ns, endpoint_name, body))

    async def delete_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> None:
        """See :meth:`EndpointsClient.delete_inference_endpoint`."""
        api = self._with_token(token)
        await api._send(api.call_delete(*await api._target(name, namespace)))

    async def pause_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.pause_inference_endpoint`."""
        api = self._with_token(token)
        target = await api._target(name, namespace)
        return await api._send(api.call_action(*target, "pause"))

    async def resume_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        running_ok: bool = True,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.resume_inference_endpoint`."""
        api = self._with_token(token)
        ns, endpoint_name = await api._target(name, namespace)
        try:
            return await api._send(api.call_action(ns, endpoint_name, "resume"))
        except InferenceEndpointError as exc:
            if running_ok and is_already_running(exc):
                return await api._send(api.call_get(ns, endpoint_name))
            raise

    async def scale_to_zero_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """See :meth:`EndpointsClient.scale_to_zero_inference_endpoint`."""
        api = self._with_token(token)
        target = await api._target(name, namespace)
        return await api._send(api.call_action(*target, "scale-to-zero"))

    async def list_inference_endpoints_hardware(
        self, namespace: str | None = None, *, token: str | bool | None = None
    ) -> list[InferenceEndpointHardware]:
        """See :meth:`EndpointsClient.list_inference_endpoints_hardware`."""
        api = self._with_token(token)
        return await api._send(api.call_hardware(await api._ns(namespace)))
