"""Domain objects: endpoint statuses and types, endpoints, hardware rows.

They keep the wire vocabulary of the Inference Endpoints API and the raw payload they
were built from, so fields we do not model are still at hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any

from ._lifecycle import EndpointLifecycleMixin

if TYPE_CHECKING:
    from ._client import EndpointsClient

__all__ = [
    "InferenceEndpoint",
    "InferenceEndpointHardware",
    "InferenceEndpointStatus",
    "InferenceEndpointType",
    "parse_datetime",
]


class InferenceEndpointStatus(str, Enum):
    """The ``status.state`` of an endpoint, with the API's own values."""

    PENDING = "pending"
    INITIALIZING = "initializing"
    UPDATING = "updating"
    UPDATE_FAILED = "updateFailed"
    RUNNING = "running"
    PAUSED = "paused"
    FAILED = "failed"
    SCALED_TO_ZERO = "scaledToZero"

    def __str__(self) -> str:
        return self.value

    @property
    def is_transitional(self) -> bool:
        """True while the endpoint is on its way to another state."""
        return self in _TRANSITIONAL


_TRANSITIONAL = frozenset(
    {
        InferenceEndpointStatus.PENDING,
        InferenceEndpointStatus.INITIALIZING,
        InferenceEndpointStatus.UPDATING,
    }
)


class InferenceEndpointType(str, Enum):
    """Who may call an endpoint. ``protected`` is the older name of
    ``authenticated``, still returned for old endpoints."""

    PUBLIC = "public"
    PUBlIC = "public"  # noqa: PIE796 - huggingface_hub's spelling, an alias
    PROTECTED = "protected"
    AUTHENTICATED = "authenticated"
    PRIVATE = "private"

    def __str__(self) -> str:
        return self.value


_FRACTION = re.compile(r"\.(\d+)")


def parse_datetime(value: Any) -> datetime | None:
    """Parse an API timestamp (``Z`` suffix, up to nanoseconds) as aware UTC; None
    when it is missing or unreadable.

    Examples
    --------
    >>> parse_datetime("2023-10-26T12:41:53.263078506Z").microsecond
    263078
    """
    if not value or not isinstance(value, str):
        return None
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _status(value: Any) -> str:
    try:
        return InferenceEndpointStatus(value)
    except ValueError:
        return str(value) if value is not None else ""


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


def _get(raw: Mapping[str, Any], *keys: str) -> Any:
    node: Any = raw
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


@dataclass
class InferenceEndpoint(EndpointLifecycleMixin):
    """An Inference Endpoint, as the API last described it.

    Build it with :meth:`from_raw`; methods such as :meth:`pause` or :meth:`wait`
    talk to the API through the client that fetched it and update it in place.

    Examples
    --------
    >>> endpoint = client.get_inference_endpoint("my-endpoint")  # doctest: +SKIP
    >>> endpoint.resume().wait(timeout=600).client.post(json={"inputs": "Hi"})
    ... # doctest: +SKIP
    """

    name: str
    namespace: str
    repository: str | None = None
    status: str = ""
    url: str | None = None
    framework: str | None = None
    revision: str | None = None
    task: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    type: str | None = None
    vendor: str | None = None
    region: str | None = None
    accelerator: str | None = None
    instance_type: str | None = None
    instance_size: str | None = None
    min_replica: int | None = None
    max_replica: int | None = None
    ready_replica: int | None = None
    target_replica: int | None = None
    scale_to_zero_timeout: int | None = None
    message: str | None = None
    health_route: str = "/health"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    _client: EndpointsClient | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_raw(
        cls,
        raw: Mapping[str, Any],
        namespace: str,
        client: EndpointsClient | None = None,
        *,
        token: str | bool | None = None,
        api: EndpointsClient | None = None,
    ) -> InferenceEndpoint:
        """Build an endpoint from the API's JSON; unknown keys are kept in ``raw``.

        Parameters
        ----------
        raw : Mapping
            One endpoint as the API returns it.
        namespace : str
            The namespace it was listed or fetched from (the payload has none).
        client : EndpointsClient, optional
            The client later calls (``fetch``, ``pause``...) go through; the
            default client when None.
        token : str, bool or None
            A token for those calls instead of the client's (False: none).
        api : EndpointsClient, optional
            huggingface_hub's name for ``client``.
        """
        owner = client or api
        if token is not None:
            if owner is None:
                from ._api import default_client

                owner = default_client()
            owner = owner._with_token(token)

        endpoint = cls(name=str(raw.get("name", "")), namespace=namespace)
        endpoint._client = owner
        endpoint._populate(raw)
        return endpoint

    def _populate(self, raw: Mapping[str, Any]) -> None:
        self.raw = dict(raw)
        self.name = str(raw.get("name", self.name))
        self.type = raw.get("type")
        self.health_route = raw.get("healthRoute") or "/health"

        # Model
        self.repository = _get(raw, "model", "repository")
        self.framework = _get(raw, "model", "framework")
        self.revision = _get(raw, "model", "revision")
        self.task = _get(raw, "model", "task")

        # Provider and compute
        self.vendor = _get(raw, "provider", "vendor")
        self.region = _get(raw, "provider", "region")
        self.accelerator = _get(raw, "compute", "accelerator")
        self.instance_type = _get(raw, "compute", "instanceType")
        self.instance_size = _get(raw, "compute", "instanceSize")
        self.min_replica = _int(_get(raw, "compute", "scaling", "minReplica"))
        self.max_replica = _int(_get(raw, "compute", "scaling", "maxReplica"))
        timeout = _get(raw, "compute", "scaling", "scaleToZeroTimeout")
        self.scale_to_zero_timeout = _int(timeout)

        # Status
        self.status = _status(_get(raw, "status", "state"))
        self.url = _get(raw, "status", "url") or None
        self.message = _get(raw, "status", "message")
        self.ready_replica = _int(_get(raw, "status", "readyReplica"))
        self.target_replica = _int(_get(raw, "status", "targetReplica"))
        self.created_at = parse_datetime(_get(raw, "status", "createdAt"))
        self.updated_at = parse_datetime(_get(raw, "status", "updatedAt"))

    @property
    def id(self) -> str:
        """``namespace/name``, the endpoint's identity across namespaces."""
        return f"{self.namespace}/{self.name}"

    @property
    def is_transitional(self) -> bool:
        """True while pending, initializing or updating."""
        return self.status in _TRANSITIONAL


@dataclass(frozen=True)
class InferenceEndpointHardware:
    """One compute offer of the hardware catalog (``/v2/provider/{namespace}``)."""

    vendor: str
    region: str
    id: str
    accelerator: str
    instance_type: str
    instance_size: str
    architecture: str | None = None
    num_accelerators: int | None = None
    num_cpus: int | None = None
    memory_gb: float | None = None
    gpu_memory_gb: float | None = None
    price_per_hour: float | None = None
    status: str | None = None
    max_accelerators: int | None = None
    used_accelerators: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def list_from_raw(cls, raw: Mapping[str, Any]) -> list[InferenceEndpointHardware]:
        """Flatten ``vendors[].regions[].computes[]`` into rows."""
        rows = []
        for vendor in raw.get("vendors") or []:
            for region in vendor.get("regions") or []:
                for compute in region.get("computes") or []:
                    rows.append(cls._from_compute(vendor, region, compute))
        return rows

    @classmethod
    def _from_compute(
        cls, vendor: Mapping[str, Any], region: Mapping[str, Any], c: Mapping[str, Any]
    ) -> InferenceEndpointHardware:
        quota = c.get("quota") or {}
        return cls(
            vendor=str(vendor.get("name", "")),
            region=str(region.get("name", "")),
            id=str(c.get("id", "")),
            accelerator=str(c.get("accelerator", "")),
            instance_type=str(c.get("instanceType", "")),
            instance_size=str(c.get("instanceSize", "")),
            architecture=c.get("architecture"),
            num_accelerators=_int(c.get("numAccelerators")),
            num_cpus=_int(c.get("numCpus")),
            memory_gb=c.get("memoryGb"),
            gpu_memory_gb=c.get("gpuMemoryGb"),
            price_per_hour=c.get("pricePerHour"),
            status=c.get("status"),
            max_accelerators=_int(quota.get("maxAccelerators")),
            used_accelerators=_int(quota.get("usedAccelerators")),
            raw=dict(c),
        )
