"""The synchronous client of the Inference Endpoints API."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from ._base import Call, ClientBase, is_already_running
from ._http import connection_error, error_from_response, retry_after
from ._inference import AsyncInferenceClient, InferenceClient
from ._models import InferenceEndpoint, InferenceEndpointHardware
from ._payloads import (
    create_body,
    needs_current_image,
    update_body,
    with_current_image,
)
from ._refs import EndpointLike
from .errors import InferenceEndpointError

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)
T = TypeVar("T")


class EndpointsClient(ClientBase):
    """A client of the Inference Endpoints API, with one connection pool.

    Methods are named and behave like huggingface_hub's ``HfApi`` ones, so code can
    move between the two by changing an import. Like theirs, each takes ``token=``:
    a token for that call, which the endpoints it returns keep using.

    Parameters
    ----------
    token : str, bool or None
        The Hugging Face token. None looks it up like huggingface_hub does
        (``HF_TOKEN``, the token file, Colab secrets); False sends none.
    api_url : str, optional
        API root, e.g. ``https://api.endpoints.huggingface.cloud``. Defaults to
        ``HF_INFERENCE_ENDPOINTS_API``, then the real service.
    hub_url : str, optional
        Hub root used for ``whoami-v2``. Defaults to ``HF_ENDPOINT``, then the Hub.
    namespace : str, optional
        Default namespace (user or organization). Defaults to the token's user.
    timeout : float or httpx2.Timeout, optional
        Timeout of every request (10 s, 5 s to connect, by default).
    max_retries : int
        Retries of reads on 429, 5xx and connection errors. A ``Retry-After`` over
        60 s is not waited for: the error is raised with its ``retry_after``.
    transport : httpx2.BaseTransport, optional
        Transport to use instead of the network (tests use ``httpx2.MockTransport``).
    clock, sleep : callable
        Monotonic clock and sleep function, injectable for tests.

    Examples
    --------
    >>> with EndpointsClient() as client:  # doctest: +SKIP
    ...     for endpoint in client.list_inference_endpoints():
    ...         print(endpoint.id, endpoint.status)
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
        transport: httpx2.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
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
        self._http = httpx2.Client(
            headers=self._headers(),
            timeout=self._timeout,
            transport=transport,
            follow_redirects=True,
        )

    def __enter__(self) -> EndpointsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool, and those of the per-token clients."""
        self._http.close()
        for child in self._children.values():
            child.close()

    def _spawn(self, token: str | bool) -> EndpointsClient:
        return EndpointsClient(
            token, transport=self._transport, sleep=self.sleep, **self._settings()
        )

    def _send(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(call.method, call.url, json=call.json)
            except httpx2.TransportError as exc:
                if call.retry and self._retry.should_retry(attempt, None):
                    self._backoff(call, attempt, type(exc).__name__, None)
                    continue
                raise connection_error(
                    exc, what=call.what, endpoint=call.endpoint
                ) from exc

            if response.is_success:
                return call.read(response)
            if call.retry and self._retry.should_retry(attempt, response):
                self._backoff(
                    call, attempt, response.status_code, retry_after(response)
                )
                continue
            raise error_from_response(response, what=call.what, endpoint=call.endpoint)

    def _backoff(
        self, call: Call[Any], attempt: int, why: object, hint: float | None
    ) -> None:
        delay = self._retry.delay(attempt, hint)
        logger.warning(
            "Retrying %s in %.1f s (attempt %d, got %s)", call.what, delay, attempt, why
        )
        self.sleep(delay)

    # Identity

    def whoami(self, *, token: str | bool | None = None) -> dict[str, Any]:
        """The token's owner as the Hub describes it (cached per token)."""
        api = self._with_token(token)
        cached = api._cached_whoami()
        if cached is not None:
            return cached
        return api._store_whoami(api._send(api.call_whoami()))

    @property
    def namespace(self) -> str:
        """The default namespace: the one given, else the token's user name."""
        return self._namespace or self._user_name(self.whoami())

    def _ns(self, namespace: str | None) -> str:
        return namespace or self.namespace

    def _target(self, name: EndpointLike, namespace: str | None) -> tuple[str, str]:
        ns, endpoint_name = self._split(name, namespace)
        return self._ns(ns), endpoint_name

    # Endpoints

    def list_inference_endpoints(
        self, namespace: str | None = None, *, token: str | bool | None = None
    ) -> list[InferenceEndpoint]:
        """List the endpoints of a namespace; ``"*"`` lists the user's and every
        organization's they belong to (organizations that refuse are skipped)."""
        api = self._with_token(token)
        if namespace != "*":
            return api._send(api.call_list(api._ns(namespace)))

        me = api.whoami()
        endpoints = api._send(api.call_list(api._user_name(me)))
        for org in me.get("orgs") or []:
            try:
                more = api._send(api.call_list(org["name"]))
            except InferenceEndpointError as exc:
                logger.info("Skipping organization %s: %s", org.get("name"), exc)
                continue
            endpoints.extend(more)
        return endpoints

    def get_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """Get one endpoint (``name`` may also be ``"namespace/name"``)."""
        api = self._with_token(token)
        return api._send(api.call_get(*api._target(name, namespace)))

    def create_inference_endpoint(
        self,
        name: str,
        *,
        repository: str,
        framework: str,
        accelerator: str,
        instance_size: str,
        instance_type: str,
        region: str,
        vendor: str,
        namespace: str | None = None,
        token: str | bool | None = None,
        **fields: Any,
    ) -> InferenceEndpoint:
        """Create an endpoint; it starts ``pending``.

        Takes every keyword of huggingface_hub's ``create_inference_endpoint``:
        ``account_id, min_replica=1, max_replica=1, scaling_metric,
        scaling_threshold, scale_to_zero_timeout (minutes), revision, task,
        custom_image, container_command, container_args, env, secrets,
        type="authenticated", domain, path, cache_http_responses, tags``.

        Raises
        ------
        ValueError
            Invalid name or scaling; nothing was sent.
        ConflictError
            The name is taken in this namespace.
        """
        api = self._with_token(token)
        ns, endpoint_name = api._split_new(name, namespace)
        body = create_body(
            endpoint_name,
            repository=repository,
            framework=framework,
            accelerator=accelerator,
            instance_size=instance_size,
            instance_type=instance_type,
            region=region,
            vendor=vendor,
            **fields,
        )

        created: InferenceEndpoint = api._send(
            api.call_create(api._ns(ns), endpoint_name, body)
        )
        return created

    def update_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
        **fields: Any,
    ) -> InferenceEndpoint:
        """Change some fields; only those given are sent, and the server merges them.

        Keywords are those of ``create_inference_endpoint`` except ``account_id``,
        ``type`` and ``name``, plus ``tensor_parallel_size`` and
        ``data_parallel_size``. Without ``custom_image``, those two are set in the
        endpoint's current image, fetched first.

        Raises
        ------
        ValueError
            Invalid fields, or sizes for an image with registry credentials; nothing
            was updated.
        """
        api = self._with_token(token)
        ns, endpoint_name = api._split(name, namespace)
        body = update_body(endpoint_name, **fields)
        ns = api._ns(ns)

        if needs_current_image(fields):
            current = api._send(api.call_get(ns, endpoint_name))
            body = with_current_image(current.id, body, current.raw, **fields)
        return api._send(api.call_update(ns, endpoint_name, body))

    def delete_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> None:
        """Delete an endpoint. This cannot be undone."""
        api = self._with_token(token)
        api._send(api.call_delete(*api._target(name, namespace)))

    def pause_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """Pause an endpoint: no replica runs and nothing is billed."""
        api = self._with_token(token)
        return api._send(api.call_action(*api._target(name, namespace), "pause"))

    def resume_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        running_ok: bool = True,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """Resume a paused endpoint. With ``running_ok``, resuming a running one
        returns it instead of failing."""
        api = self._with_token(token)
        ns, endpoint_name = api._target(name, namespace)
        try:
            return api._send(api.call_action(ns, endpoint_name, "resume"))
        except InferenceEndpointError as exc:
            if running_ok and is_already_running(exc):
                return api._send(api.call_get(ns, endpoint_name))
            raise

    def scale_to_zero_inference_endpoint(
        self,
        name: EndpointLike,
        *,
        namespace: str | None = None,
        token: str | bool | None = None,
    ) -> InferenceEndpoint:
        """Scale an endpoint to zero replicas; its next request wakes it."""
        api = self._with_token(token)
        target = api._target(name, namespace)
        return api._send(api.call_action(*target, "scale-to-zero"))

    def list_inference_endpoints_hardware(
        self, namespace: str | None = None, *, token: str | bool | None = None
    ) -> list[InferenceEndpointHardware]:
        """The compute offers (vendor, region, instance, price, quota) one can use."""
        api = self._with_token(token)
        return api._send(api.call_hardware(api._ns(namespace)))

    def to_dataframe(self, namespace: str | None = None) -> pd.DataFrame:
        """The endpoints of a namespace as a typed DataFrame, with prices."""
        from ._tables import endpoints_dataframe

        return endpoints_dataframe(client=self, namespace=namespace)

    # Deployed endpoints

    def probe_health(self, url: str) -> bool:
        """Whether a deployed endpoint's health URL answers 200 now. A connection
        error means "not ready yet", not a failure."""
        try:
            response = self._http.get(url, timeout=5.0)
        except httpx2.TransportError as exc:
            logger.debug("Health probe of %s failed: %s", url, type(exc).__name__)
            return False
        logger.debug("Health probe of %s: %s", url, response.status_code)
        return response.status_code == 200

    def inference_client(
        self, url: str, *, endpoint: str | None = None, task: str | None = None
    ) -> InferenceClient:
        """An :class:`InferenceClient` for a deployed endpoint, sharing this pool."""
        return InferenceClient(
            url,
            token=self._token or False,
            endpoint=endpoint,
            task=task,
            http=self._http,
            transport=self._transport,
        )

    def async_inference_client(
        self, url: str, *, endpoint: str | None = None, task: str | None = None
    ) -> AsyncInferenceClient:
        """An :class:`AsyncInferenceClient` for a deployed endpoint."""
        return AsyncInferenceClient(
            url,
            token=self._token or False,
            endpoint=endpoint,
            task=task,
            transport=_async_capable(self._transport),
        )


def _async_capable(
    transport: httpx2.BaseTransport | None,
) -> httpx2.AsyncBaseTransport | None:
    """A transport that also serves async requests (``MockTransport`` does)."""
    return transport if isinstance(transport, httpx2.AsyncBaseTransport) else None
