"""``--batch``: one row per item, in order, through 429s, 5xx and dropped
connections; an interrupt returns what finished."""

from __future__ import annotations

import pandas as pd

from .conftest import run


def _texts(n: int) -> pd.Series:
    return pd.Series(
        [f"review number {i}" for i in range(n)],
        index=[f"id-{i:03d}" for i in range(n)][::-1],
        name="review",
    )


def _assert_aligned(frame: pd.DataFrame, items: pd.Series) -> None:
    assert len(frame) == len(items)
    assert list(frame.index) == list(items.index)
    assert frame["input"].tolist() == items.tolist()


def test_batch_over_a_dataframe_column_keeps_index_and_order(ip):
    df = pd.DataFrame({"review": _texts(25)})
    ip.user_ns["df"] = df

    frame = run(ip, "%infer cls --batch df.review --concurrency 4")

    _assert_aligned(frame, df["review"])
    assert list(frame.columns) == [
        "input",
        "output",
        "error",
        "status_code",
        "attempts",
        "elapsed_s",
    ]
    assert frame["error"].isna().all()
    assert (frame["status_code"] == 200).all()
    assert all(isinstance(out, list) and out[0]["label"] for out in frame["output"])


def test_faults_lose_no_row_and_keep_order(ip, sb):
    items = _texts(60)
    ip.user_ns["items"] = items
    sb.faults(target="inference", rate_limit_next=8, retry_after=1)
    sb.faults(target="inference", endpoint="cls", fail_next=6, error_status=503)
    sb.faults(target="inference", endpoint="cls", drop_next=4)

    outcome = ip.run_cell("%infer cls --batch items --concurrency 16 out <<")

    assert outcome.error_in_exec is None
    frame = ip.user_ns["out"]
    _assert_aligned(frame, items)
    assert frame["error"].isna().all(), frame["error"].dropna().tolist()
    assert frame["output"].notna().all()
    assert frame["attempts"].max() > 1
    assert frame["attempts"].sum() >= len(items) + 8


def test_5xx_is_retried(ip, sb):
    ip.user_ns["items"] = ["a", "b", "c", "d"]
    sb.faults(target="inference", fail_next=3, error_status=500)

    frame = run(ip, "%infer cls --batch items --concurrency 2")

    assert frame["error"].isna().all()
    assert frame["attempts"].sum() == 7


def test_bad_items_are_errors_in_their_own_rows(ip):
    good = {"inputs": {"question": "Who?", "context": "Ada wrote it."}}
    ip.user_ns["questions"] = [good, "not an object", good]

    frame = run(ip, "%infer qa --batch questions")

    assert frame["error"].isna().tolist() == [True, False, True]
    assert frame.loc[1, "status_code"] == 400 and "HTTP 400" in frame.loc[1, "error"]
    assert frame.loc[1, "attempts"] == 1


def test_body_is_a_template_with_item(ip):
    ip.user_ns["words"] = ["good", "bad"]
    ip.user_ns["hint"] = "Rate"

    frame = run(ip, '%%infer cls --batch words\n{"inputs": "{hint}: {item}"}')

    assert frame["error"].isna().all() and len(frame) == 2


def test_interrupt_returns_what_finished(ip, sb):
    items = _texts(40)
    ip.user_ns["items"] = items
    sb.faults(target="inference", latency=0.1)
    seen: list[int] = []

    def interrupt_after_three(position, row):
        seen.append(position)
        if len(seen) == 3:
            raise KeyboardInterrupt

    ip.magics_manager.registry[
        "InferenceMagics"
    ].on_batch_result = interrupt_after_three
    frame = run(ip, "%infer cls --batch items --concurrency 2")

    _assert_aligned(frame, items)
    cancelled = frame["error"] == "cancelled"
    assert cancelled.sum() >= 30
    assert frame.loc[~cancelled, "output"].notna().all()
    assert frame.loc[cancelled, "output"].isna().all()


def test_batch_wakes_a_scaled_to_zero_endpoint_first(ip, sb):
    sb.seed("sleepy", task="text-classification", status="scaledToZero")
    ip.user_ns["items"] = ["x", "y", "z"]

    frame = run(ip, "%infer sleepy --batch items")

    assert frame["error"].isna().all()
