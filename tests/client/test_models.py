from __future__ import annotations

from datetime import datetime, timezone

import pytest

from hf_endpoint_widgets import (
    InferenceEndpoint,
    InferenceEndpointHardware,
    InferenceEndpointStatus,
)
from hf_endpoint_widgets._models import parse_datetime

from .payloads import PROVIDERS, STATES, endpoint_payload


@pytest.mark.parametrize("state", STATES)
def test_from_raw_reads_every_state(state: str) -> None:
    raw = endpoint_payload("my-bert", state)

    endpoint = InferenceEndpoint.from_raw(raw, namespace="alice")

    assert endpoint.status == state
    assert isinstance(endpoint.status, InferenceEndpointStatus)
    assert endpoint.id == "alice/my-bert"
    assert endpoint.raw == raw
    assert endpoint.url == raw["status"].get("url")
    assert endpoint.message == raw["status"]["message"]
    assert endpoint.is_transitional == (
        state in ("pending", "initializing", "updating")
    )


def test_from_raw_maps_every_field() -> None:
    endpoint = InferenceEndpoint.from_raw(endpoint_payload(), namespace="alice")

    assert endpoint.repository.startswith("distilbert/")
    assert (endpoint.framework, endpoint.task) == ("pytorch", "text-classification")
    assert (endpoint.vendor, endpoint.region) == ("aws", "us-east-1")
    assert (endpoint.accelerator, endpoint.instance_type) == ("cpu", "intel-icl")
    assert endpoint.instance_size == "x2"
    assert (endpoint.min_replica, endpoint.max_replica) == (0, 2)
    assert (endpoint.ready_replica, endpoint.target_replica) == (1, 1)
    assert endpoint.scale_to_zero_timeout == 15
    assert endpoint.health_route == "/health"
    assert endpoint.type == "protected"
    assert endpoint.created_at == datetime(2026, 11, 30, 9, 12, 1, 512000, timezone.utc)


def test_unknown_status_and_keys_are_kept() -> None:
    raw = endpoint_payload(state="building")
    raw["brandNewField"] = {"x": 1}

    endpoint = InferenceEndpoint.from_raw(raw, namespace="alice")

    assert endpoint.status == "building"
    assert not isinstance(endpoint.status, InferenceEndpointStatus)
    assert endpoint.raw["brandNewField"] == {"x": 1}


def test_minimal_payload_with_missing_optional_keys() -> None:
    raw = {
        "name": "tiny",
        "model": {"repository": "gpt2", "framework": "pytorch", "revision": None},
        "status": {"state": "pending", "createdAt": "2026-01-01T00:00:00Z"},
        "type": "authenticated",
    }

    endpoint = InferenceEndpoint.from_raw(raw, namespace="alice")

    assert endpoint.task is None
    assert endpoint.url is None
    assert endpoint.vendor is None and endpoint.min_replica is None
    assert endpoint.updated_at is None
    assert endpoint.health_route == "/health"


@pytest.mark.parametrize(
    ("text", "micro"),
    [
        ("2023-10-26T12:41:53Z", 0),
        ("2023-10-26T12:41:53.263Z", 263000),
        ("2023-10-26T12:41:53.263078506Z", 263078),
        ("2023-10-26T12:41:53.5+00:00", 500000),
    ],
)
def test_parse_datetime_is_aware_utc(text: str, micro: int) -> None:
    parsed = parse_datetime(text)

    assert parsed is not None
    assert parsed.tzinfo is not None and parsed.utcoffset().total_seconds() == 0
    assert parsed.microsecond == micro


@pytest.mark.parametrize("text", ["yesterday", "2026-13-45T00:00:00Z", 1700000000, ""])
def test_unreadable_timestamps_are_none(text: object) -> None:
    raw = endpoint_payload()
    raw["status"]["createdAt"] = text

    endpoint = InferenceEndpoint.from_raw(raw, namespace="alice")

    assert endpoint.created_at is None and endpoint.updated_at is not None


def test_repr_has_no_raw_payload_or_secrets() -> None:
    endpoint = InferenceEndpoint.from_raw(endpoint_payload(), namespace="alice")

    assert "API_KEY" not in repr(endpoint)
    assert "my-bert" in repr(endpoint)


def test_hardware_is_flattened() -> None:
    rows = InferenceEndpointHardware.list_from_raw(PROVIDERS)

    assert [r.id for r in rows] == [
        "aws-us-east-1-intel-icl-x2",
        "aws-us-east-1-nvidia-l4-x1",
    ]
    cpu, gpu = rows
    assert (cpu.vendor, cpu.region, cpu.price_per_hour) == ("aws", "us-east-1", 0.067)
    assert cpu.num_cpus is None and cpu.gpu_memory_gb is None
    assert (gpu.max_accelerators, gpu.used_accelerators) == (16, 0)
