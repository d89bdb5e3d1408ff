from __future__ import annotations

import json

import pandas as pd
import pytest

from hf_endpoint_widgets import InferenceEndpoint, InferenceEndpointHardware
from hf_endpoint_widgets._tables import (
    COLUMNS,
    STATUS_ORDER,
    PriceTable,
    endpoint_row,
    endpoints_dataframe,
    style_endpoints,
)

from .fakes import HARDWARE, FakeClient, raw_endpoint


def endpoint(name: str, status: str = "running", **extra: object) -> InferenceEndpoint:
    return InferenceEndpoint.from_raw(raw_endpoint(name, status, **extra), "alice")


@pytest.fixture
def hardware() -> list[InferenceEndpointHardware]:
    return InferenceEndpointHardware.list_from_raw(HARDWARE)


def test_dataframe_schema(hardware: list[InferenceEndpointHardware]) -> None:
    df = endpoints_dataframe(
        [endpoint("a"), endpoint("b", "paused")], hardware=hardware
    )

    assert tuple(df.columns) == COLUMNS
    assert df["status"].dtype == pd.CategoricalDtype(list(STATUS_ORDER), ordered=True)
    for column in ("min_replica", "max_replica", "ready_replica", "target_replica"):
        assert df[column].dtype == "Int64"
    assert df["scale_to_zero_timeout"].dtype == "Int64"
    assert df["price_per_hour"].dtype == "Float64"
    assert str(df["created_at"].dt.tz) == "UTC"
    assert df["name"].dtype == "string"
    assert df.loc[0, "price_per_hour"] == pytest.approx(0.8)
    assert df.sort_values("status")["name"].tolist() == ["a", "b"]


def test_dataframe_missing_values_and_empty() -> None:
    paused = endpoint("b", "paused")
    paused.ready_replica = None
    df = endpoints_dataframe([paused])
    assert df["ready_replica"].isna().all()
    assert df["price_per_hour"].isna().all()
    assert df["url"].isna().all()

    empty = endpoints_dataframe([])
    assert tuple(empty.columns) == COLUMNS
    assert empty["status"].dtype.ordered


def test_unknown_status_becomes_an_extra_category() -> None:
    df = endpoints_dataframe([endpoint("a", "building"), endpoint("b", "running")])
    categories = list(df["status"].cat.categories)
    assert categories[: len(STATUS_ORDER)] == list(STATUS_ORDER)
    assert categories[-1] == "building"
    assert df.loc[0, "status"] == "building"


def test_dataframe_from_client_fetches_prices() -> None:
    client = FakeClient()
    client.add("a")
    df = endpoints_dataframe(client=client)  # type: ignore[arg-type]
    assert df.loc[0, "price_per_hour"] == pytest.approx(0.8)
    assert client.count("list") == 1 and client.count("hardware") == 1


def test_price_lookup_by_compute_id(hardware: list[InferenceEndpointHardware]) -> None:
    prices = PriceTable(hardware)
    odd = endpoint("a")
    odd.instance_type = "renamed"
    odd.raw["compute"]["id"] = "aws-us-east-1-cpu-intel-icl-x2"
    assert prices.price(odd) == pytest.approx(0.067)
    odd.raw["compute"]["id"] = "nope"
    assert prices.price(odd) is None


def test_endpoint_row_is_json_safe_and_has_no_secrets() -> None:
    row = endpoint_row(endpoint("a"), price_per_hour=0.8)

    text = json.dumps(row)
    assert "s3cret-value" not in text and "secrets" not in text
    assert row["id"] == "alice/a"
    assert row["status"] == "running"
    assert row["created_at"] == "2026-01-02T03:04:05.123000Z"
    assert set(row) == {"id", *COLUMNS}


def test_styler_escapes_and_marks_status_with_text() -> None:
    hostile = endpoint("a", "failed")
    hostile.message = "<img src=x onerror=alert(1)>"
    html = style_endpoints(endpoints_dataframe([hostile, endpoint("b")])).to_html()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "✖ failed" in html and "● running" in html
    assert "var(--jp-error-color1" in html


def test_styler_shows_prices_to_the_tenth_of_a_cent() -> None:
    hardware = [
        InferenceEndpointHardware(
            vendor="aws",
            region="us-east-1",
            id="aws-us-east-1-nvidia-l4-x1",
            accelerator="gpu",
            instance_type="nvidia-l4",
            instance_size="x1",
            price_per_hour=0.066,
        )
    ]
    frame = endpoints_dataframe([endpoint("a")], hardware=hardware)

    html = style_endpoints(frame[["name", "price_per_hour"]]).to_html()

    assert ">0.066<" in html and "0.066000" not in html


def hub_endpoint(name: str, status: str = "running") -> object:
    hub = pytest.importorskip("huggingface_hub")
    return hub.InferenceEndpoint.from_raw(
        raw_endpoint(name, status), namespace="alice", token=False
    )


def test_huggingface_hub_endpoints_fill_every_column(
    hardware: list[InferenceEndpointHardware],
) -> None:
    ours = endpoints_dataframe([endpoint("a"), endpoint("b", "paused")])
    theirs = endpoints_dataframe([hub_endpoint("a"), hub_endpoint("b", "paused")])
    priced = endpoints_dataframe([hub_endpoint("a")], hardware=hardware)

    pd.testing.assert_frame_equal(theirs, ours)
    assert theirs.loc[0, ["vendor", "instance_type", "max_replica"]].tolist() == [
        "aws",
        "nvidia-l4",
        2,
    ]
    assert priced.loc[0, "price_per_hour"] == pytest.approx(0.8)
    row = endpoint_row(hub_endpoint("a"))  # type: ignore[arg-type]
    assert row == endpoint_row(endpoint("a"))
