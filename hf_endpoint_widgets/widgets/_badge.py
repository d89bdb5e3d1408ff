"""``StatusBadge``: the live status of one endpoint, and a blocking ``wait_for``."""

from __future__ import annotations

import logging
import math
import threading
from typing import TYPE_CHECKING, Any

import traitlets

from hf_endpoint_widgets._poller import PollState
from hf_endpoint_widgets._refs import endpoint_ref
from hf_endpoint_widgets._tables import (
    as_endpoint,
    endpoint_row,
    status_value,
    style_endpoints,
)
from hf_endpoint_widgets.errors import (
    InferenceEndpointError,
    InferenceEndpointTimeoutError,
)
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import PolledWidget, resolve_client

if TYPE_CHECKING:
    import pandas as pd

    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpoint

__all__ = ["StatusBadge"]

logger = logging.getLogger(__name__)

_FAILED = {"failed": "failed to deploy", "updateFailed": "failed to update"}
_ROW_TRAITS = ("status", "message", "ready_replica", "target_replica")


def _permanent(exc: BaseException | None) -> bool:
    code = getattr(exc, "status_code", None)
    return code is not None and 400 <= code < 500 and code != 429


class StatusBadge(PolledWidget):
    """A coloured dot and status word that follows one endpoint.

    Parameters
    ----------
    endpoint
        ``"name"``, ``"namespace/name"``, an ``InferenceEndpoint`` (ours or
        huggingface_hub's).
    client
        An ``EndpointsClient``; the default client if None.
    push
        As for :class:`EndpointManager`.

    Examples
    --------
    >>> badge = StatusBadge("gpt2-demo")
    >>> badge  # doctest: +SKIP
    >>> endpoint = badge.wait_for("running", timeout=600)
    """

    _esm = asset("badge.js")
    _css = asset("widgets.css")

    name = traitlets.Unicode("", help="Endpoint name.").tag(sync=True)
    status = traitlets.Unicode("", help="Wire status, e.g. scaledToZero.").tag(
        sync=True
    )
    message = traitlets.Unicode("", help="Server message (tooltip).").tag(sync=True)
    ready_replica = traitlets.Int(None, allow_none=True).tag(sync=True)
    target_replica = traitlets.Int(None, allow_none=True).tag(sync=True)

    _sleep = staticmethod(threading.Event().wait)

    def __init__(
        self,
        endpoint: object,
        client: EndpointsClient | None = None,
        *,
        push: bool | None = None,
    ) -> None:
        client = resolve_client(client)
        namespace, name = endpoint_ref(endpoint)
        namespace = namespace or client.namespace
        self._id = f"{namespace}/{name}"
        self._seed = (
            endpoint_row(as_endpoint(endpoint))
            if hasattr(endpoint, "status") and hasattr(endpoint, "name")
            else None
        )
        super().__init__(client, namespace, push, name=name)

    @property
    def id(self) -> str:
        """``"namespace/name"`` of the endpoint followed."""
        return self._id

    def __repr__(self) -> str:
        replicas = f" {self.ready_replica}/{self.target_replica}"
        shown = replicas if self.target_replica is not None else ""
        return f"StatusBadge({self._id!r}: {self.status or 'unknown'}{shown})"

    def _static_html(self) -> str:
        return str(style_endpoints(self._frame()).to_html())

    def _frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [{"endpoint": self._id, "status": self.status, "message": self.message}]
        )

    def wait_for(
        self,
        status: str = "running",
        timeout: float | None = None,
        refresh_every: float = 5.0,
    ) -> InferenceEndpoint:
        """Block until the endpoint reaches ``status``, updating the badge meanwhile.

        Like ``InferenceEndpoint.wait``: refreshes every ``refresh_every`` seconds
        and raises when the endpoint fails. The badge's traits are set from the
        calling thread, so it moves on Colab too.

        Raises
        ------
        InferenceEndpointError
            When the endpoint is ``failed``/``updateFailed`` (unless that was
            asked for), is no longer listed, or the API refuses the request.
        InferenceEndpointTimeoutError
            After ``timeout`` seconds (also a builtin ``TimeoutError``).

        Examples
        --------
        >>> StatusBadge("gpt2-demo").wait_for("running", timeout=900)
        """
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be 0 or more seconds (or None)")
        if refresh_every <= 0:
            raise ValueError("refresh_every must be more than 0 seconds")
        target = status_value(status)
        clock = self._poller._clock
        start = clock()
        state = self._live.state
        if state.generation == 0:
            state = self._poller.refresh_now()

        while True:
            self._sync(state)
            endpoint = self._check(state, target)
            if endpoint is not None and self._serving(endpoint, target):
                return endpoint
            waited = clock() - start
            if timeout is not None and waited >= timeout:
                raise InferenceEndpointTimeoutError(
                    f"Timeout after {waited:.0f} s while waiting for {self._id} to be "
                    f"{target} (it is {self.status or 'unknown'}). Call wait_for "
                    "again to keep waiting."
                )
            left = math.inf if timeout is None else timeout - waited
            self._sleep(min(refresh_every, left))
            state = self._poller.refresh_now(fast=False)

    def _serving(self, endpoint: InferenceEndpoint, target: str) -> bool:
        """For ``running``, also what ``InferenceEndpoint.wait`` checks: that the
        health route answers 200, so the endpoint really serves."""
        if target != "running":
            return True
        return bool(endpoint.url) and self._client.probe_health(endpoint.health_url())

    def _check(self, state: PollState, target: str) -> InferenceEndpoint | None:
        if _permanent(state.exception):
            assert state.exception is not None
            raise state.exception
        endpoint = state.endpoint(self._id)
        if endpoint is None:
            if state.generation and not state.error:
                raise InferenceEndpointError(
                    f"{self._id} is not listed in {self.namespace}; it may have been "
                    "deleted. Check the name with EndpointManager()."
                )
            return None
        current = status_value(endpoint.status)
        if current == target:
            return endpoint
        if current in _FAILED and target not in _FAILED:
            raise InferenceEndpointError(
                f"{self._id} {_FAILED[current]}: {endpoint.message or 'no message'}. "
                "Check its logs in the Inference Endpoints UI, fix the spec, then "
                "update or recreate it."
            )
        return None

    def _values(self, state: PollState) -> dict[str, Any]:
        values = super()._values(state)
        row = state.rows.get(self._id) or (None if state.generation else self._seed)
        if row is None:
            row = {key: None for key in _ROW_TRAITS}
            if state.generation and not values["error"]:
                values["error"] = (
                    f"{self._id} is not listed in {self._id.split('/')[0]}."
                )
        values.update({key: row[key] for key in _ROW_TRAITS})
        values["status"] = values["status"] or ""
        values["message"] = values["message"] or ""
        return values
