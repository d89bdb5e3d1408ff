"""``CreateEndpointForm``: create an endpoint from the hardware catalog's pickers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import traitlets

from hf_endpoint_widgets._poller import describe_error, get_poller
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import MessageWidget, resolve_client
from hf_endpoint_widgets.widgets._spec import (
    FRAMEWORKS,
    NAME_RULE,
    TASKS,
    TYPES,
    SpecError,
    validate_spec,
)

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpoint, InferenceEndpointHardware

__all__ = ["CreateEndpointForm"]

logger = logging.getLogger(__name__)

_HIDDEN_COMPUTE = frozenset({"deprecated", "not_available"})
_HARDWARE_FIELDS = (
    "id",
    "vendor",
    "region",
    "accelerator",
    "instance_type",
    "instance_size",
    "architecture",
    "num_accelerators",
    "num_cpus",
    "memory_gb",
    "gpu_memory_gb",
    "price_per_hour",
    "status",
)


def hardware_row(hardware: InferenceEndpointHardware) -> dict[str, Any]:
    """Return one catalog row as a JSON-safe dict for the page."""
    return {key: getattr(hardware, key, None) for key in _HARDWARE_FIELDS}


class CreateEndpointForm(MessageWidget):
    """A form that creates an Inference Endpoint.

    The page validates the name live and fills the vendor, region and instance
    pickers from the hardware catalog (with prices); Python validates the spec
    again, creates the endpoint, and refreshes the shared poller so every
    ``EndpointManager`` of the namespace shows it.

    Parameters
    ----------
    client
        An ``EndpointsClient``; the default client if None.
    namespace
        Namespace to create in; the client's namespace if None.

    Examples
    --------
    >>> form = CreateEndpointForm()
    >>> form  # doctest: +SKIP
    >>> form.submit({"name": "gpt2-demo", "repository": "gpt2", "vendor": "aws",
    ...              "region": "us-east-1", "instance_type": "intel-icl",
    ...              "instance_size": "x2"})
    """

    _esm = asset("forms.js")
    _css = asset("widgets.css")
    _kind = traitlets.Unicode("create", help="Which form forms.js renders.").tag(
        sync=True
    )

    namespace = traitlets.Unicode("", help="Namespace to create in.").tag(sync=True)
    hardware = traitlets.List(traitlets.Dict(), help="Hardware catalog rows.").tag(
        sync=True
    )
    catalog_state = traitlets.Unicode(
        "", help='"", "loading", "ready" or "failed".'
    ).tag(sync=True)
    busy = traitlets.Unicode("", help='"create" while a creation runs.').tag(sync=True)
    created = traitlets.Unicode("", help='"namespace/name" once created.').tag(
        sync=True
    )
    field_errors = traitlets.Dict(help="Problem of each invalid field.").tag(sync=True)
    tasks = traitlets.List(traitlets.Unicode()).tag(sync=True)
    frameworks = traitlets.List(traitlets.Unicode()).tag(sync=True)
    types = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _name_rule = traitlets.Dict().tag(sync=True)

    def __init__(
        self, client: EndpointsClient | None = None, *, namespace: str | None = None
    ) -> None:
        self._client = resolve_client(client)
        self._create_lock = threading.Lock()
        super().__init__(
            namespace=namespace or self._client.namespace,
            tasks=list(TASKS),
            frameworks=list(FRAMEWORKS),
            types=list(TYPES),
            _name_rule=dict(NAME_RULE),
        )

    def load_hardware(self, *, refresh: bool = False) -> list[dict[str, Any]]:
        """Fetch the hardware catalog (once, shared with the managers) into the form."""
        poller = get_poller(self._client, self.namespace)
        self.catalog_state = "loading"
        try:
            catalog = poller.hardware(refresh=refresh)
        except Exception as exc:
            logger.warning("Hardware catalog of %s failed: %s", self.namespace, exc)
            with self.hold_sync():
                self.catalog_state = "failed"
                self.error = (
                    f"Could not load the hardware catalog of {self.namespace}: "
                    f"{describe_error(exc)}. Next: check your token, then reload it."
                )
            return []
        rows = [hardware_row(h) for h in catalog if h.status not in _HIDDEN_COMPUTE]
        with self.hold_sync():
            if rows != self.hardware:
                self.hardware = rows
            self.catalog_state = "ready"
        return rows

    def submit(self, spec: Mapping[str, Any]) -> InferenceEndpoint:
        """Validate ``spec`` and create the endpoint.

        Raises
        ------
        SpecError
            When a field is invalid (also shown in ``field_errors``).
        InferenceEndpointError
            When the API refuses the creation (also shown in ``error``).
        RuntimeError
            When another creation from this form is still running.
        """
        endpoint = self._create(spec, page=False)
        assert endpoint is not None
        return endpoint

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "create":
            spec = content.get("spec")
            self._create(spec if isinstance(spec, Mapping) else {}, page=True)
        elif kind == "catalog":
            self.load_hardware(refresh=bool(content.get("refresh")))
        else:
            super()._handle_page_msg(kind, content)

    def _create(
        self, spec: Mapping[str, Any], *, page: bool
    ) -> InferenceEndpoint | None:
        if not self._create_lock.acquire(blocking=False):
            message = "A creation is already running; wait for it to finish."
            if page:
                self.notice = message
                return None
            raise RuntimeError(message)
        try:
            return self._create_locked(spec, page)
        finally:
            self.busy = ""
            self._create_lock.release()

    def _create_locked(
        self, spec: Mapping[str, Any], page: bool
    ) -> InferenceEndpoint | None:
        poller = get_poller(self._client, self.namespace)
        catalog = poller.hardware() if self.catalog_state == "ready" else None
        try:
            name, kwargs = validate_spec(spec, catalog)
        except SpecError as exc:
            with self.hold_sync():
                self.field_errors = exc.fields
                self.error = f"Fix the highlighted fields: {exc}"
            if page:
                return None
            raise
        kwargs.setdefault("namespace", self.namespace)

        with self.hold_sync():
            self.busy = "create"
            self.field_errors = {}
            self.error = ""
            self.notice = ""
        try:
            endpoint = self._client.create_inference_endpoint(name, **kwargs)
        except Exception as exc:
            logger.warning("Creating %s/%s failed: %s", kwargs["namespace"], name, exc)
            self.error = (
                f"Could not create {kwargs['namespace']}/{name}: "
                f"{describe_error(exc)}. Next: fix the spec or pick another "
                "instance, then submit again."
            )
            if page:
                return None
            raise

        endpoint_id = f"{endpoint.namespace}/{endpoint.name}"
        logger.info("%s: created", endpoint_id)
        get_poller(self._client, endpoint.namespace).refresh_now()
        with self.hold_sync():
            self.created = endpoint_id
            self.notice = (
                f"Created {endpoint_id}. It starts as pending; follow it with "
                f"StatusBadge({endpoint_id!r})."
            )
        return endpoint
