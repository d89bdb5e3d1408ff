"""Lifecycle methods of :class:`~hf_endpoint_widgets.InferenceEndpoint`.

Kept apart from the dataclass so the model module stays about data. Each method goes
through the client that built the endpoint and updates the endpoint in place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._payloads import validate_update_scaling
from .errors import (
    EndpointNotDeployedError,
    InferenceEndpointFailedError,
    InferenceEndpointTimeoutError,
)

if TYPE_CHECKING:
    from typing_extensions import Self

    from ._client import EndpointsClient
    from ._inference import AsyncInferenceClient, InferenceClient

logger = logging.getLogger(__name__)


class EndpointLifecycleMixin:
    """Methods that act on the endpoint through its client."""

    name: str
    namespace: str
    status: str
    url: str | None
    message: str | None
    health_route: str
    min_replica: int | None
    max_replica: int | None
    raw: dict[str, Any]
    _client: EndpointsClient | None

    def _populate(self, raw: dict[str, Any]) -> None:
        raise NotImplementedError

    @property
    def id(self) -> str:
        raise NotImplementedError

    def _api(self) -> EndpointsClient:
        if self._client is None:
            from ._api import default_client

            self._client = default_client()
        return self._client

    def _replace(self, other: Any) -> Self:
        self._populate(other.raw)
        return self

    def fetch(self) -> Self:
        """Fetch the latest state from the API."""
        api = self._api()
        return self._replace(
            api.get_inference_endpoint(self.name, namespace=self.namespace)
        )

    def update(self, **fields: Any) -> Self:
        """Change the given fields (see ``update_inference_endpoint``).

        The scaling is also checked against this endpoint's current replicas (as
        last fetched), so ``update(scale_to_zero_timeout=15)`` with
        ``min_replica=1`` raises ``ValueError`` and sends nothing.
        """
        validate_update_scaling(self.id, fields, self.min_replica, self.max_replica)
        api = self._api()
        new = api.update_inference_endpoint(
            self.name, namespace=self.namespace, **fields
        )
        return self._replace(new)

    def pause(self) -> Self:
        """Pause the endpoint: no replica runs and nothing is billed."""
        api = self._api()
        return self._replace(
            api.pause_inference_endpoint(self.name, namespace=self.namespace)
        )

    def resume(self, running_ok: bool = True) -> Self:
        """Resume a paused or scaled-to-zero endpoint.

        Parameters
        ----------
        running_ok : bool
            If True (default), resuming a running endpoint is not an error.
        """
        api = self._api()
        new = api.resume_inference_endpoint(
            self.name, namespace=self.namespace, running_ok=running_ok
        )
        return self._replace(new)

    def scale_to_zero(self) -> Self:
        """Scale to zero replicas; the next request wakes the endpoint."""
        api = self._api()
        new = api.scale_to_zero_inference_endpoint(self.name, namespace=self.namespace)
        return self._replace(new)

    def delete(self) -> None:
        """Delete the endpoint. This cannot be undone."""
        self._api().delete_inference_endpoint(self.name, namespace=self.namespace)

    def wait(
        self,
        timeout: float | None = None,
        refresh_every: float = 5,
        *,
        on_wait: Callable[[float], None] | None = None,
    ) -> Self:
        """Block until the endpoint is running and its health route answers 200.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most; None waits for ever.
        refresh_every : float
            Seconds between two fetches of the endpoint.
        on_wait : callable, optional
            Called with the seconds waited so far before each pause (a progress
            bar, for instance).

        Raises
        ------
        InferenceEndpointFailedError
            The endpoint is ``failed`` or ``updateFailed``.
        InferenceEndpointTimeoutError
            ``timeout`` passed first; it is also a builtin ``TimeoutError``.

        Examples
        --------
        >>> endpoint.resume().wait(timeout=600)  # doctest: +SKIP
        """
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be None or >= 0 seconds.")
        if refresh_every <= 0:
            raise ValueError("refresh_every must be > 0 seconds.")

        api = self._api()
        start = api.clock()
        while True:
            self._raise_if_failed()
            if (
                self.status == "running"
                and self.url
                and api.probe_health(self.health_url())
            ):
                return self

            waited = api.clock() - start
            if on_wait is not None:
                on_wait(waited)
            if timeout is not None and waited >= timeout:
                raise InferenceEndpointTimeoutError(
                    f"{self.id} is still {self.status} after {timeout:g} s. Wait "
                    "longer with wait(timeout=...), or look at its status message.",
                    endpoint=self.id,
                )

            pause = refresh_every
            if timeout is not None:
                pause = min(pause, timeout - waited)
            api.sleep(pause)
            self.fetch()

    def _raise_if_failed(self) -> None:
        if self.status == "failed":
            raise InferenceEndpointFailedError(
                f"{self.id} failed to deploy ({self.message or 'no message'}). Read its"
                " logs, fix the configuration, then create it again.",
                endpoint=self.id,
                server_message=self.message,
            )
        if self.status == "updateFailed":
            raise InferenceEndpointFailedError(
                f"{self.id} failed to update ({self.message or 'no message'}). Update "
                "it again with a working configuration.",
                endpoint=self.id,
                server_message=self.message,
            )

    def health_url(self) -> str:
        """``{url}/{healthRoute}``, where ``wait`` checks that the endpoint serves."""
        base = (self.url or "").rstrip("/")
        return f"{base}/{self.health_route.lstrip('/')}"

    def _require_url(self) -> str:
        if not self.url:
            raise EndpointNotDeployedError(
                f"{self.id} has no URL yet (status {self.status or 'unknown'}). Wait "
                "for it with endpoint.wait(), then try again.",
                endpoint=self.id,
            )
        return self.url

    @property
    def client(self) -> InferenceClient:
        """An :class:`InferenceClient` that sends requests to this endpoint."""
        url = self._require_url()
        return self._api().inference_client(url, endpoint=self.id, task=self._task())

    @property
    def async_client(self) -> AsyncInferenceClient:
        """An :class:`AsyncInferenceClient` that sends requests to this endpoint."""
        url = self._require_url()
        return self._api().async_inference_client(
            url, endpoint=self.id, task=self._task()
        )

    def _task(self) -> str | None:
        task = getattr(self, "task", None)
        return task if isinstance(task, str) else None
