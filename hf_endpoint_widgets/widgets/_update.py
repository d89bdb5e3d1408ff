"""``UpdateEndpointForm``: change an endpoint's model, instance or scaling in place."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import traitlets

from hf_endpoint_widgets._models import InferenceEndpoint
from hf_endpoint_widgets._poller import describe_error, get_poller
from hf_endpoint_widgets._refs import EndpointLike, endpoint_ref
from hf_endpoint_widgets._tables import endpoint_row
from hf_endpoint_widgets.widgets import _actions
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import MessageWidget, resolve_client
from hf_endpoint_widgets.widgets._form import hardware_row
from hf_endpoint_widgets.widgets._spec import SpecError, validate_update

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient

__all__ = ["UpdateEndpointForm"]

logger = logging.getLogger(__name__)


class UpdateEndpointForm(MessageWidget):
    """A form that updates one Inference Endpoint.

    The page shows the endpoint's current repository, revision, instance (from the
    hardware catalog of its vendor and region, with prices), replicas and
    scale-to-zero timeout, and sends only the fields that changed: the API merges
    an update into the endpoint, which then rolls it out as ``updating``.

    Parameters
    ----------
    endpoint
        A name, ``"namespace/name"``, or an endpoint object (ours or
        huggingface_hub's). A name or a foreign object is fetched once.
    client
        An ``EndpointsClient``; the default client if None.
    namespace
        Namespace of ``endpoint`` when it names none; the client's if None.

    Examples
    --------
    >>> form = UpdateEndpointForm("my-namespace/gpt2-demo")
    >>> form  # doctest: +SKIP
    >>> form.submit({"max_replica": 2, "instance_size": "x2"})
    """

    _esm = asset("forms.js")
    _css = asset("widgets.css")
    _kind = traitlets.Unicode("update", help="Which form forms.js renders.").tag(
        sync=True
    )

    endpoint = traitlets.Dict(help="The endpoint's current values (a table row).").tag(
        sync=True
    )
    hardware = traitlets.List(
        traitlets.Dict(), help="Catalog rows of the endpoint's vendor and region."
    ).tag(sync=True)
    catalog_state = traitlets.Unicode(
        "", help='"", "loading", "ready" or "failed".'
    ).tag(sync=True)
    busy = traitlets.Unicode("", help='"update" while an update runs.').tag(sync=True)
    field_errors = traitlets.Dict(help="Problem of each invalid field.").tag(sync=True)

    def __init__(
        self,
        endpoint: EndpointLike,
        client: EndpointsClient | None = None,
        *,
        namespace: str | None = None,
    ) -> None:
        self._client = resolve_client(client)
        self._update_lock = threading.Lock()
        if not isinstance(endpoint, InferenceEndpoint):
            own, name = endpoint_ref(endpoint, namespace or self._client.namespace)
            endpoint = self._client.get_inference_endpoint(name, namespace=own)
        self._current: InferenceEndpoint = endpoint
        super().__init__(endpoint=self._row(endpoint))

    @property
    def endpoint_id(self) -> str:
        """The endpoint this form updates, as ``namespace/name``."""
        return f"{self._current.namespace}/{self._current.name}"

    def _row(self, endpoint: InferenceEndpoint) -> dict[str, Any]:
        prices = get_poller(self._client, endpoint.namespace).prices
        return endpoint_row(endpoint, prices.price(endpoint) if prices else None)

    def load_hardware(self, *, refresh: bool = False) -> list[dict[str, Any]]:
        """Fetch the hardware catalog (shared) and keep the endpoint's region."""
        current = self._current
        poller = get_poller(self._client, current.namespace)
        self.catalog_state = "loading"
        try:
            catalog = poller.hardware(refresh=refresh)
        except Exception as exc:
            logger.warning("Hardware catalog of %s failed: %s", current.namespace, exc)
            with self.hold_sync():
                self.catalog_state = "failed"
                self.error = (
                    f"Could not load the hardware catalog of {current.namespace}: "
                    f"{describe_error(exc)}. Next: check your token, then reload it."
                )
            return []
        rows = [
            hardware_row(h)
            for h in catalog
            if (h.vendor, h.region) == (current.vendor, current.region)
            and h.status != "deprecated"
        ]
        with self.hold_sync():
            if rows != self.hardware:
                self.hardware = rows
            self.catalog_state = "ready"
        return rows

    def submit(self, changes: Mapping[str, Any]) -> InferenceEndpoint:
        """Check ``changes`` and send those that differ from the current values.

        Parameters
        ----------
        changes
            Any of ``repository, revision, instance_type, instance_size,
            min_replica, max_replica, scale_to_zero_timeout`` (minutes).

        Returns
        -------
        InferenceEndpoint
            The endpoint as the API returned it (unchanged, and nothing sent, when
            no field differs).

        Raises
        ------
        SpecError
            When a field is invalid (also shown in ``field_errors``).
        InferenceEndpointError
            When the API refuses the update (also shown in ``error``).
        RuntimeError
            When another update from this form is still running.
        """
        endpoint = self._update(changes, page=False)
        assert endpoint is not None
        return endpoint

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "update":
            changes = content.get("changes")
            self._update(changes if isinstance(changes, Mapping) else {}, page=True)
        elif kind == "catalog":
            self.load_hardware(refresh=bool(content.get("refresh")))
        else:
            super()._handle_page_msg(kind, content)

    def _update(
        self, changes: Mapping[str, Any], *, page: bool
    ) -> InferenceEndpoint | None:
        if not self._update_lock.acquire(blocking=False):
            message = f"An update of {self.endpoint_id} is already running; wait."
            if page:
                self.notice = message
                return None
            raise RuntimeError(message)
        try:
            return self._update_locked(changes, page)
        finally:
            self.busy = ""
            self._update_lock.release()

    def _update_locked(
        self, changes: Mapping[str, Any], page: bool
    ) -> InferenceEndpoint | None:
        current = self._current
        poller = get_poller(self._client, current.namespace)
        catalog = poller.hardware() if self.catalog_state == "ready" else None
        try:
            row = poller.state.rows.get(self.endpoint_id, self.endpoint)
            refusal = _actions.refusal("update", [row])
            if refusal is not None:
                raise SpecError({"status": refusal})
            kwargs = validate_update(changes, current, catalog)
        except SpecError as exc:
            with self.hold_sync():
                self.field_errors = exc.fields
                self.error = exc.fields.get("status") or f"Fix the fields: {exc}"
            if page:
                return None
            raise
        if not kwargs:
            with self.hold_sync():
                self.field_errors = {}
                self.error = ""
                self.notice = f"Nothing changed: no update sent to {self.endpoint_id}."
            return current

        with self.hold_sync():
            self.busy = "update"
            self.field_errors = {}
            self.error = ""
            self.notice = ""
        try:
            endpoint = self._client.update_inference_endpoint(
                current.name, namespace=current.namespace, **kwargs
            )
        except Exception as exc:
            logger.warning("Updating %s failed: %s", self.endpoint_id, exc)
            self.error = (
                f"Could not update {self.endpoint_id}: {describe_error(exc)}. "
                "Next: refresh, check the values, then apply again."
            )
            if page:
                return None
            raise

        logger.info("%s: update requested (%s)", self.endpoint_id, ", ".join(kwargs))
        poller.refresh_now()
        self._current = endpoint
        summary = ", ".join(f"{key} {value}" for key, value in kwargs.items())
        with self.hold_sync():
            self.endpoint = self._row(endpoint)
            self.notice = (
                f"Update sent to {self.endpoint_id} ({summary}); it is "
                f"{self.endpoint['status']} while the change rolls out."
            )
        return endpoint
