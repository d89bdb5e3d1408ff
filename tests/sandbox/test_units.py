"""Pieces of the sandbox that need no server: clock, PNG, catalog, spec, log."""

from __future__ import annotations

import struct
import zlib

import pytest

from hf_endpoint_widgets.sandbox._catalog import COMPUTES, find_compute
from hf_endpoint_widgets.sandbox._clock import VirtualClock, iso
from hf_endpoint_widgets.sandbox._errors import ApiError
from hf_endpoint_widgets.sandbox._faults import RequestLog, RequestRecord
from hf_endpoint_widgets.sandbox._png import encode_png, picture
from hf_endpoint_widgets.sandbox._spec import merge_update


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_clock_runs_at_speed_and_advances() -> None:
    tick = FakeMonotonic()
    clock = VirtualClock(2.0, monotonic=tick, wall=lambda: 1_000_000.0)

    tick.now += 1.5
    assert clock.now() == 3.0
    assert clock.advance(10) == 13.0
    clock.speed = 0
    tick.now += 100
    assert clock.now() == 13.0
    assert clock.epoch(13.0) == 1_000_013.0
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_iso_has_milliseconds_and_z() -> None:
    assert iso(1698324113.263) == "2023-10-26T12:41:53.263Z"


def test_png_chunks_are_valid() -> None:
    png = encode_png(2, 1, bytes([255, 0, 0, 0, 0, 255]))

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    offset, kinds = 8, []
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        data = png[offset + 8 : offset + 8 + length]
        crc = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])[0]
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        kinds.append(kind)
        offset += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
    assert picture("a") == picture("a") != picture("b")
    with pytest.raises(ValueError):
        encode_png(2, 2, b"short")


def test_png_opens_in_pillow_when_available() -> None:
    image_module = pytest.importorskip("PIL.Image")
    import io

    image = image_module.open(io.BytesIO(picture("sunset", 32, 16)))
    assert image.size == (32, 16) and image.mode == "RGB"


def test_catalog_lookup() -> None:
    row = find_compute("aws", "us-east-1", "gpu", "nvidia-l4", "x1")

    assert row.id == "aws-us-east-1-nvidia-l4-x1"
    assert {c.vendor for c in COMPUTES} == {"aws", "azure", "gcp"}
    with pytest.raises(ApiError) as deprecated:
        find_compute("aws", "eu-west-1", "gpu", "nvidia-t4", "x1")
    assert deprecated.value.status == 400


def test_merge_replaces_maps_and_resets_revision() -> None:
    spec = {
        "name": "a",
        "model": {"repository": "x", "revision": "abc", "env": {"A": "1", "B": "2"}},
        "compute": {"scaling": {"minReplica": 1, "maxReplica": 1}},
    }
    patch = {"name": "renamed", "model": {"repository": "y", "env": {"C": "3"}}}

    merged = merge_update(spec, patch)
    assert merged["name"] == "a"
    assert merged["model"] == {"repository": "y", "revision": None, "env": {"C": "3"}}
    assert merged["compute"] == spec["compute"]
    assert spec["model"]["repository"] == "x"


def test_request_log_patterns() -> None:
    log = RequestLog()
    for path in ("/v2/endpoint/ns", "/v2/endpoint/ns/a", "/endpoints/ns/a/health"):
        log.add(RequestRecord("GET", path, 200, 0.0))

    assert log.count("GET", "/v2/endpoint/*") == 1
    assert log.count(path="/v2/endpoint/**") == 2
    assert log.count(path="/endpoints/**") == 1
    assert log["GET /v2/endpoint/ns/a"] == 1
    assert log.counter()["GET /v2/endpoint/ns"] == 1
    assert len(log) == 3
    log.clear()
    assert len(log) == 0
