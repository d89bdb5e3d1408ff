"""``client.batch`` and ``await async_client.batch`` against MockTransport fakes."""

from __future__ import annotations

import asyncio
import json
import threading

import httpx2
import pandas as pd
import pytest

from hf_endpoint_widgets import AsyncInferenceClient, InferenceClient
from hf_endpoint_widgets._batch import BATCH_COLUMNS, default_payload

URL = "https://ep.example/endpoints/acme/bert"


class FlakyApp:
    """Echoes ``inputs`` back; 429 bursts, 503s and dropped connections on demand."""

    def __init__(self, *, rate_limited=(), unavailable=(), dropped=(), bad=()):
        self.faults = {
            "429": set(rate_limited),
            "503": set(unavailable),
            "drop": set(dropped),
        }
        self.bad = set(bad)
        self.calls: dict[str, int] = {}
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        item = json.loads(request.content)["inputs"]
        with self.lock:
            self.calls[item] = self.calls.get(item, 0) + 1
            first = self.calls[item] == 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.002)
            if first and item in self.faults["drop"]:
                raise httpx2.ReadError("connection reset", request=request)
            if first and item in self.faults["429"]:
                return httpx2.Response(429, headers={"retry-after": "0"}, json={})
            if first and item in self.faults["503"]:
                return httpx2.Response(503, json={"error": "overloaded"})
            if item in self.bad:
                return httpx2.Response(400, json={"error": f"bad item {item}"})
            return httpx2.Response(200, json=[{"label": item, "score": 1.0}])
        finally:
            with self.lock:
                self.in_flight -= 1


def _items(n: int) -> list[str]:
    return [f"t{i}" for i in range(n)]


def test_every_row_in_order_through_faults():
    items = _items(50)
    app = FlakyApp(
        rate_limited=items[::7], unavailable=items[3::9], dropped=items[5::11]
    )
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    frame = client.batch(items, concurrency=8, progress=False)

    assert list(frame.columns) == BATCH_COLUMNS
    assert frame["input"].tolist() == items
    assert [out[0]["label"] for out in frame["output"]] == items
    assert frame["error"].isna().all()
    assert frame.loc[0, "attempts"] == 2 and frame.loc[1, "attempts"] == 1
    assert app.peak <= 8


def test_series_index_is_kept_and_errors_stay_in_their_rows():
    items = pd.Series(["a", "b", "c"], index=[30, 10, 20])
    app = FlakyApp(bad={"b"})
    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    frame = client.batch(items, progress=False)

    assert list(frame.index) == [30, 10, 20]
    assert frame.loc[10, "error"] == "HTTP 400: bad item b"
    assert frame.loc[10, "status_code"] == 400
    assert frame.loc[[30, 20], "error"].isna().all()


def test_parameters_and_payload_builders():
    assert default_payload("x", {"top_k": 1}) == (
        {"inputs": "x", "parameters": {"top_k": 1}},
        None,
    )
    assert default_payload(b"\x89PNG") == (None, b"\x89PNG")
    seen: list[dict] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json={})

    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))
    client.batch(["q"], payload=lambda q: {"inputs": {"question": q}}, progress=False)

    assert seen == [{"inputs": {"question": "q"}}]


def test_sync_batch_works_inside_a_running_event_loop():
    client = InferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )

    async def notebook_cell() -> pd.DataFrame:
        return client.batch(_items(10), progress=False)

    frame = asyncio.run(notebook_cell())

    assert frame["error"].isna().all() and len(frame) == 10


def test_async_batch():
    client = AsyncInferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp(rate_limited={"t1"}))
    )

    frame = asyncio.run(client.batch(_items(20), concurrency=4))

    assert frame["input"].tolist() == _items(20) and frame["error"].isna().all()


def test_keyboard_interrupt_in_a_callback_returns_what_finished():
    client = InferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )
    finished: list[int] = []

    def on_result(position, row):
        finished.append(position)
        if len(finished) == 5:
            raise KeyboardInterrupt

    frame = client.batch(
        _items(400), concurrency=2, on_result=on_result, progress=False
    )

    assert len(frame) == 400 and frame["input"].tolist() == _items(400)
    done = frame["error"].isna()
    assert done.sum() >= 5
    assert (frame.loc[~done, "error"] == "cancelled").all()
    assert (frame.loc[~done, "error"] == "cancelled").sum() > 300


def test_cancelling_the_async_batch_propagates():
    client = AsyncInferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )

    async def main() -> None:
        task = asyncio.create_task(client.batch(_items(500), concurrency=1))
        await asyncio.sleep(0.02)
        task.cancel()
        await task

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(main())


def test_retries_stop_after_max_retries():
    def app(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            429, headers={"retry-after": "0"}, json={"error": "busy"}
        )

    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    frame = client.batch(["x"], max_retries=2, progress=False)

    assert frame.loc[0, "attempts"] == 3 and frame.loc[0, "error"] == "HTTP 429: busy"


def test_invalid_arguments():
    client = InferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )

    with pytest.raises(ValueError, match="concurrency"):
        client.batch(["x"], concurrency=0, progress=False)
    with pytest.raises(TypeError, match="is one item, not a list"):
        client.batch("just one", progress=False)


def test_odd_answers_are_errors_in_their_own_rows():
    def app(request: httpx2.Request) -> httpx2.Response:
        item = json.loads(request.content)["inputs"]
        if item == "malformed":
            return httpx2.Response(
                200, content=b"{not json", headers={"content-type": "application/json"}
            )
        if item == "undecodable":
            return httpx2.Response(
                200,
                content=b"\x00 not gzip at all",
                headers={
                    "content-type": "application/json",
                    "content-encoding": "gzip",
                },
            )
        return httpx2.Response(200, json=[{"label": item, "score": 1.0}])

    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    frame = client.batch(["a", "malformed", "b", "undecodable", "c"], progress=False)

    assert frame["input"].tolist() == ["a", "malformed", "b", "undecodable", "c"]
    assert frame.loc[[0, 2, 4], "error"].isna().all()
    assert frame.loc[1, "status_code"] == 200
    assert frame.loc[1, "error"].startswith("HTTP 200, but the body is not valid JSON")
    assert frame.loc[3, "error"].startswith("DecodingError: ")
    assert frame.loc[[1, 3], "output"].isna().all()


def test_a_failing_callback_loses_no_row(caplog):
    client = InferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )

    def on_result(position, row):
        raise ValueError("a bug in the callback")

    frame = client.batch(_items(12), concurrency=3, on_result=on_result, progress=False)

    assert frame["input"].tolist() == _items(12) and frame["error"].isna().all()
    warnings = [r for r in caplog.records if "on_result raised" in r.getMessage()]
    assert len(warnings) == 1 and "a bug in the callback" in warnings[0].getMessage()


def test_a_failing_callback_of_the_async_batch_loses_no_row():
    client = AsyncInferenceClient(
        URL, token=False, transport=httpx2.MockTransport(FlakyApp())
    )

    def on_result(position, row):
        raise RuntimeError("oops")

    frame = asyncio.run(client.batch(_items(6), on_result=on_result))

    assert frame["error"].isna().all() and len(frame) == 6


def test_the_timeout_is_passed_to_each_request():
    seen: list[dict] = []

    def app(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.extensions["timeout"])
        return httpx2.Response(200, json={})

    client = InferenceClient(URL, token=False, transport=httpx2.MockTransport(app))

    client.batch(["x", "y"], timeout=12.5, progress=False)

    assert [timeout["read"] for timeout in seen] == [12.5, 12.5]
