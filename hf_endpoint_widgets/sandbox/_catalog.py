"""The hardware catalog served by ``GET /v2/provider[/{namespace}]``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import ApiError

__all__ = ["COMPUTES", "Compute", "find_compute", "providers_payload"]

# (size, accelerators, cpus, memory GB, GPU memory GB) per instance family.
_Size = tuple[str, int, int, float, float | None]
_CPU_SIZES: tuple[_Size, ...] = (
    ("x1", 1, 1, 2.0, None),
    ("x2", 2, 2, 4.0, None),
    ("x4", 4, 4, 8.0, None),
    ("x8", 8, 8, 16.0, None),
)

# Generous, so that demos with many seeded CPU endpoints can still create more.
_CPU_QUOTA = 256


@dataclass(frozen=True)
class _Family:
    instance_type: str
    accelerator: str
    architecture: str
    price_per_unit: float
    max_accelerators: int
    sizes: tuple[_Size, ...]


_FAMILIES = {
    family.instance_type: family
    for family in (
        _Family("intel-icl", "cpu", "Intel Ice Lake", 0.033, _CPU_QUOTA, _CPU_SIZES),
        _Family(
            "intel-spr", "cpu", "Intel Sapphire Rapids", 0.04, _CPU_QUOTA, _CPU_SIZES
        ),
        _Family("intel-xeon", "cpu", "Intel Xeon", 0.03, _CPU_QUOTA, _CPU_SIZES),
        _Family(
            "nvidia-t4",
            "gpu",
            "Nvidia T4",
            0.5,
            8,
            (("x1", 1, 4, 15.0, 16.0), ("x4", 4, 48, 192.0, 64.0)),
        ),
        _Family(
            "nvidia-l4",
            "gpu",
            "Nvidia L4",
            0.8,
            16,
            (("x1", 1, 7, 30.0, 24.0), ("x4", 4, 47, 187.0, 96.0)),
        ),
        _Family(
            "nvidia-a10g",
            "gpu",
            "Nvidia A10G",
            1.0,
            8,
            (("x1", 1, 6, 30.0, 24.0), ("x4", 4, 48, 186.0, 96.0)),
        ),
        _Family(
            "nvidia-l40s",
            "gpu",
            "Nvidia L40S",
            1.8,
            8,
            (("x1", 1, 8, 62.0, 48.0), ("x4", 4, 48, 382.0, 192.0)),
        ),
        _Family(
            "nvidia-a100",
            "gpu",
            "Nvidia A100",
            2.5,
            8,
            (
                ("x1", 1, 11, 145.0, 80.0),
                ("x2", 2, 22, 290.0, 160.0),
                ("x4", 4, 44, 580.0, 320.0),
                ("x8", 8, 88, 1160.0, 640.0),
            ),
        ),
        _Family(
            "nvidia-h100",
            "gpu",
            "Nvidia H100",
            4.5,
            8,
            (
                ("x1", 1, 23, 240.0, 80.0),
                ("x2", 2, 46, 480.0, 160.0),
                ("x4", 4, 92, 960.0, 320.0),
                ("x8", 8, 184, 1920.0, 640.0),
            ),
        ),
        _Family(
            "inf2",
            "neuron",
            "AWS Inferentia2",
            0.75,
            24,
            (("x1", 1, 4, 16.0, 32.0), ("x12", 12, 192, 768.0, 384.0)),
        ),
    )
}

# vendor -> region -> (label, {instance type: status}); unknown families default to
# "available". A few rows carry the other statuses so clients can exercise them.
_REGIONS: dict[str, dict[str, tuple[str, dict[str, str]]]] = {
    "aws": {
        "us-east-1": (
            "N. Virginia",
            {
                "intel-icl": "available",
                "intel-spr": "available",
                "nvidia-t4": "available",
                "nvidia-l4": "available",
                "nvidia-a10g": "available",
                "nvidia-l40s": "available",
                "nvidia-a100": "available",
                "nvidia-h100": "low_availability",
                "inf2": "available",
            },
        ),
        "eu-west-1": (
            "Ireland",
            {
                "intel-icl": "available",
                "intel-spr": "available",
                "nvidia-t4": "deprecated",
                "nvidia-l4": "available",
                "nvidia-a10g": "available",
                "nvidia-h100": "not_available",
            },
        ),
    },
    "azure": {
        "eastus": ("Virginia", {"intel-xeon": "available", "nvidia-a100": "available"}),
        "westeurope": ("Netherlands", {"intel-xeon": "available"}),
    },
    "gcp": {
        "us-east4": (
            "Virginia",
            {
                "intel-spr": "available",
                "nvidia-t4": "available",
                "nvidia-l4": "available",
                "nvidia-a100": "low_availability",
                "nvidia-h100": "reserved",
            },
        ),
        "europe-west4": (
            "Netherlands",
            {"intel-spr": "available", "nvidia-l4": "available"},
        ),
    },
}


@dataclass(frozen=True)
class Compute:
    """One row of the catalog: an instance size in a vendor's region."""

    vendor: str
    region: str
    accelerator: str
    instance_type: str
    instance_size: str
    architecture: str
    num_accelerators: int
    num_cpus: int
    memory_gb: float
    gpu_memory_gb: float | None
    price_per_hour: float
    status: str
    max_accelerators: int

    @property
    def id(self) -> str:
        """The compute id, e.g. ``aws-us-east-1-nvidia-l4-x1``."""
        parts = (self.vendor, self.region, self.instance_type, self.instance_size)
        return "-".join(parts)

    def as_json(self, used_accelerators: int | None) -> dict[str, Any]:
        """Return the wire form; ``used_accelerators=None`` leaves the quota out."""
        row: dict[str, Any] = {
            "id": self.id,
            "accelerator": self.accelerator,
            "numAccelerators": self.num_accelerators,
            "numCpus": self.num_cpus,
            "memoryGb": self.memory_gb,
            "gpuMemoryGb": self.gpu_memory_gb,
            "instanceType": self.instance_type,
            "instanceSize": self.instance_size,
            "architecture": self.architecture,
            "status": self.status,
            "pricePerHour": self.price_per_hour,
        }
        if used_accelerators is not None:
            row["quota"] = {
                "maxAccelerators": self.max_accelerators,
                "usedAccelerators": used_accelerators,
            }
        return row


def _build() -> tuple[Compute, ...]:
    rows = []
    for vendor, regions in _REGIONS.items():
        for region, (_label, families) in regions.items():
            for instance_type, status in families.items():
                family = _FAMILIES[instance_type]
                for size, accelerators, cpus, memory, gpu_memory in family.sizes:
                    price = round(family.price_per_unit * accelerators, 3)
                    rows.append(
                        Compute(
                            vendor=vendor,
                            region=region,
                            accelerator=family.accelerator,
                            instance_type=instance_type,
                            instance_size=size,
                            architecture=family.architecture,
                            num_accelerators=accelerators,
                            num_cpus=cpus,
                            memory_gb=memory,
                            gpu_memory_gb=gpu_memory,
                            price_per_hour=price,
                            status=status,
                            max_accelerators=family.max_accelerators,
                        )
                    )
    return tuple(rows)


COMPUTES = _build()
_BY_KEY = {(c.vendor, c.region, c.instance_type, c.instance_size): c for c in COMPUTES}


def find_compute(
    vendor: str, region: str, accelerator: str, instance_type: str, instance_size: str
) -> Compute:
    """Return the catalog row of a deployment target, or raise a 400 ``ApiError``."""
    if vendor not in _REGIONS:
        raise ApiError(400, f"Vendor '{vendor}' not found")
    if region not in _REGIONS[vendor]:
        raise ApiError(400, f"Region '{region}' not found for vendor '{vendor}'")
    compute = _BY_KEY.get((vendor, region, instance_type, instance_size))
    if compute is None:
        raise ApiError(
            400,
            f"Instance '{instance_type}' of size '{instance_size}' is not offered in "
            f"{vendor}/{region}",
        )
    if compute.accelerator != accelerator:
        raise ApiError(
            400,
            f"Instance '{instance_type}' has accelerator '{compute.accelerator}', "
            f"not '{accelerator}'",
        )
    if compute.status in ("not_available", "deprecated"):
        raise ApiError(400, f"Instance '{compute.id}' is {compute.status}")
    return compute


def providers_payload(
    used: Mapping[tuple[str, str, str], int] | None,
) -> dict[str, Any]:
    """Build the ``{"vendors": [...]}`` body.

    Parameters
    ----------
    used : mapping or None
        Accelerators in use per ``(vendor, region, instance_type)``. ``None`` is the
        public route, which has no caller and so no quota.
    """
    vendors = []
    for vendor, regions in _REGIONS.items():
        region_rows = []
        for region, (label, _families) in regions.items():
            computes = [
                c.as_json(
                    None
                    if used is None
                    else used.get((vendor, region, c.instance_type), 0)
                )
                for c in COMPUTES
                if c.vendor == vendor and c.region == region
            ]
            region_rows.append(
                {
                    "name": region,
                    "label": label,
                    "status": "available",
                    "computes": computes,
                }
            )
        vendors.append({"name": vendor, "status": "available", "regions": region_rows})
    return {"vendors": vendors}
