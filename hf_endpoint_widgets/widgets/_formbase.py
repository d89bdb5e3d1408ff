"""What the creation and update forms share: the hardware catalog, field errors, and
one request at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import traitlets

from hf_endpoint_widgets._poller import Poller, describe_error, pollers_showing
from hf_endpoint_widgets.widgets._base import MessageWidget

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpointHardware

__all__ = ["FormWidget", "hardware_row"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

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


class FormWidget(MessageWidget):
    """A form offering the hardware catalog and sending one request at a time.

    Subclasses set ``_client`` (and ``_poller`` when a manager shares its own)
    before calling ``__init__``, and choose the catalog rows they show with
    :meth:`_shows`.
    """

    hardware = traitlets.List(traitlets.Dict(), help="Hardware catalog rows.").tag(
        sync=True
    )
    catalog_state = traitlets.Unicode(
        "", help='"", "loading", "ready" or "failed".'
    ).tag(sync=True)
    busy = traitlets.Unicode("", help="The request in flight, or empty.").tag(sync=True)
    field_errors = traitlets.Dict(help="Problem of each invalid field.").tag(sync=True)

    _client: EndpointsClient
    _poller: Poller | None = None

    def __init__(self, **kwargs: Any) -> None:
        self._request_lock = threading.Lock()
        super().__init__(**kwargs)

    @property
    def _catalog_namespace(self) -> str:
        raise NotImplementedError

    def _shows(self, hardware: InferenceEndpointHardware) -> bool:
        """Whether the page offers ``hardware``."""
        return hardware.status not in ("deprecated", "not_available")

    def _catalog_poller(self) -> Poller:
        """The poller caching the catalog: the manager's, a shared one of the
        namespace, or else one of this form's own (it lists nothing)."""
        if self._poller is None:
            namespace = self._catalog_namespace
            shared = pollers_showing(self._client, namespace)
            own = [p for p in shared if p.own == namespace]
            self._poller = own[0] if own else Poller(self._client, namespace)
        return self._poller

    def _refresh_pollers(self, namespace: str) -> None:
        """Refresh every widget that lists ``namespace`` after a change there."""
        for poller in pollers_showing(self._client, namespace):
            poller.refresh_now()

    def load_hardware(self, *, refresh: bool = False) -> list[dict[str, Any]]:
        """Fetch the hardware catalog (once, shared with the other widgets)."""
        namespace = self._catalog_namespace
        poller = self._catalog_poller()
        with self._writing():
            self.catalog_state = "loading"
        try:
            catalog = poller.hardware(refresh=refresh)
        except Exception as exc:
            logger.warning("Hardware catalog of %s failed: %s", namespace, exc)
            with self._writing():
                self.catalog_state = "failed"
                self.error = (
                    f"Could not load the hardware catalog of {namespace}: "
                    f"{describe_error(exc)}. Next: check your token, then reload it."
                )
            return []

        rows = [hardware_row(h) for h in catalog if self._shows(h)]
        with self._writing():
            if rows != self.hardware:
                self.hardware = rows
            self.catalog_state = "ready"
        return rows

    def _catalog(self) -> list[InferenceEndpointHardware] | None:
        """The catalog when the page has it, to check a spec against; else None."""
        if self.catalog_state != "ready":
            return None
        return self._catalog_poller().hardware()

    def _one_at_a_time(
        self, send: Callable[[], T | None], *, busy_message: str, page: bool
    ) -> T | None:
        """Run ``send`` unless another request of this form is running.

        From the page a second request is answered with a notice; from Python it
        raises ``RuntimeError``.
        """
        if not self._request_lock.acquire(blocking=False):
            if page:
                with self._writing():
                    self.notice = busy_message
                return None
            raise RuntimeError(busy_message)
        try:
            return send()
        finally:
            with self._writing():
                self.busy = ""
            self._request_lock.release()

    def _refuse(self, fields: Mapping[str, str], error: str) -> None:
        """Show invalid fields and an error; nothing was sent."""
        with self._writing():
            self.field_errors = dict(fields)
            self.error = error

    def _start(self, busy: str) -> None:
        """Mark the form busy and clear what the last request showed."""
        with self._writing():
            self.busy = busy
            self.field_errors = {}
            self.error = ""
            self.notice = ""

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "catalog":
            self.load_hardware(refresh=bool(content.get("refresh")))
        else:
            super()._handle_page_msg(kind, content)
