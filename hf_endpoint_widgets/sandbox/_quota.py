"""Accelerator quotas: what a namespace holds, and refusing what goes over."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ._catalog import Compute, find_compute
from ._errors import ApiError
from ._lifecycle import EndpointRecord

__all__ = ["ACTIVE", "check_quota", "used_accelerators"]

# States that hold replicas, counted in the quota of the hardware listing.
ACTIVE = ("pending", "initializing", "updating", "running")
_Key = tuple[str, str, str]


def _held(spec: dict[str, Any]) -> tuple[Compute, int] | None:
    """The catalog row of ``spec`` and how many accelerators it holds when active.

    An endpoint holds its target replicas (``minReplica``, at least one). The real
    service may also reserve room for ``maxReplica``; the sandbox never scales up.
    """
    provider, compute = spec["provider"], spec["compute"]
    try:
        row = find_compute(
            provider["vendor"],
            provider["region"],
            compute["accelerator"],
            compute["instanceType"],
            compute["instanceSize"],
        )
    except ApiError:
        return None  # hardware withdrawn from the catalog since
    replicas = max(int(compute["scaling"]["minReplica"]), 1)
    return row, row.num_accelerators * replicas


def _key(row: Compute) -> _Key:
    return row.vendor, row.region, row.instance_type


def used_accelerators(records: Iterable[EndpointRecord]) -> dict[_Key, int]:
    """Accelerators held per ``(vendor, region, instance type)`` by ``records``."""
    used: dict[_Key, int] = defaultdict(int)
    for record in records:
        held = _held(record.spec) if record.state in ACTIVE else None
        if held is not None:
            used[_key(held[0])] += held[1]
    return dict(used)


def check_quota(
    namespace: str, spec: dict[str, Any], others: Iterable[EndpointRecord]
) -> None:
    """Refuse to run ``spec`` when the namespace's other endpoints leave no room.

    Raises
    ------
    ApiError
        400 naming the endpoint, the accelerators it needs and what is left.
    """
    held = _held(spec)
    if held is None:
        return
    row, needed = held
    free = row.max_accelerators - used_accelerators(others).get(_key(row), 0)
    if needed > free:
        raise ApiError(
            400,
            f"Quota exceeded for {namespace}/{spec['name']}: it needs {needed} "
            f"{row.instance_type} accelerators in {row.vendor}/{row.region} and "
            f"{max(free, 0)} of {row.max_accelerators} are free. Pause or delete "
            "another endpoint, or choose fewer replicas or a smaller instance.",
        )
