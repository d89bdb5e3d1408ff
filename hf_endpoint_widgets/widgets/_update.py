"""``UpdateEndpointForm``: change an endpoint's model, instance or scaling in place."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import traitlets

from hf_endpoint_widgets._models import InferenceEndpoint
from hf_endpoint_widgets._poller import describe_error, pollers_showing
from hf_endpoint_widgets._refs import EndpointLike, endpoint_ref
from hf_endpoint_widgets._tables import endpoint_row
from hf_endpoint_widgets.widgets import _actions
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import resolve_client
from hf_endpoint_widgets.widgets._formbase import FormWidget
from hf_endpoint_widgets.widgets._spec import SpecError, validate_update

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpointHardware
    from hf_endpoint_widgets._poller import Poller

__all__ = ["UpdateEndpointForm"]

logger = logging.getLogger(__name__)


class UpdateEndpointForm(FormWidget):
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
    poller
        The poller whose hardware catalog to share (an ``EndpointManager`` passes
        its own); a shared one of the endpoint's namespace when None.

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

    def __init__(
        self,
        endpoint: EndpointLike,
        client: EndpointsClient | None = None,
        *,
        namespace: str | None = None,
        poller: Poller | None = None,
    ) -> None:
        self._client = resolve_client(client)
        self._poller = poller
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
        prices = self._catalog_poller().prices
        return endpoint_row(endpoint, prices.price(endpoint) if prices else None)

    def _listed_row(self) -> dict[str, Any] | None:
        """The endpoint's row as the widgets last listed it, if any lists it."""
        for poller in pollers_showing(self._client, self._current.namespace):
            row = poller.state.rows.get(self.endpoint_id)
            if row is not None:
                return row
        return None

    def _latest(self) -> InferenceEndpoint:
        """The endpoint as last seen: by a poller listing it, or by this form."""
        current = self._current
        for poller in pollers_showing(self._client, current.namespace):
            listed = poller.state.endpoint(self.endpoint_id)
            if listed is not None and _newer(listed, current):
                current = listed
        return current

    @property
    def _catalog_namespace(self) -> str:
        return self._current.namespace

    def _shows(self, hardware: InferenceEndpointHardware) -> bool:
        # An update changes the instance, never the vendor or the region.
        where = (self._current.vendor, self._current.region)
        return (hardware.vendor, hardware.region) == where and super()._shows(hardware)

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
        else:
            super()._handle_page_msg(kind, content)

    def _update(
        self, changes: Mapping[str, Any], *, page: bool
    ) -> InferenceEndpoint | None:
        return self._one_at_a_time(
            lambda: self._update_locked(changes, page),
            busy_message=f"An update of {self.endpoint_id} is already running; wait.",
            page=page,
        )

    def _update_locked(
        self, changes: Mapping[str, Any], page: bool
    ) -> InferenceEndpoint | None:
        current = self._current = self._latest()
        try:
            row = self._listed_row() or self.endpoint
            refusal = _actions.refusal("update", [row])
            if refusal is not None:
                raise SpecError({"status": refusal})
            kwargs = validate_update(changes, current, self._catalog())
        except SpecError as exc:
            self._refuse(
                exc.fields, exc.fields.get("status") or f"Fix the fields: {exc}"
            )
            if page:
                return None
            raise
        if not kwargs:
            with self._writing():
                self._refuse({}, "")
                self.notice = f"Nothing changed: no update sent to {self.endpoint_id}."
            return current

        self._start("update")
        try:
            endpoint = self._client.update_inference_endpoint(
                current.name, namespace=current.namespace, **kwargs
            )
        except Exception as exc:
            logger.warning("Updating %s failed: %s", self.endpoint_id, exc)
            with self._writing():
                self.error = (
                    f"Could not update {self.endpoint_id}: {describe_error(exc)}. "
                    "Next: refresh, check the values, then apply again."
                )
            if page:
                return None
            raise

        logger.info("%s: update requested (%s)", self.endpoint_id, ", ".join(kwargs))
        self._refresh_pollers(current.namespace)
        self._current = endpoint
        summary = ", ".join(f"{key} {value}" for key, value in kwargs.items())
        with self._writing():
            self.endpoint = self._row(endpoint)
            self.notice = (
                f"Update sent to {self.endpoint_id} ({summary}); it is "
                f"{self.endpoint['status']} while the change rolls out."
            )
        return endpoint


def _newer(listed: InferenceEndpoint, current: InferenceEndpoint) -> bool:
    """Whether a listed copy of an endpoint is more recent than ``current``."""
    if listed.updated_at is None or current.updated_at is None:
        return listed.updated_at is not None
    return listed.updated_at > current.updated_at
