"""``--batch``: one row per item, in order, through 429s, 5xx and dropped
connections; an interrupt returns what finished."""

from __future__ import annotations

import logging
import signal
import threading
import time

import pandas as pd

from .conftest import run, usage_error


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


def test_a_failing_row_hook_loses_no_row(ip):
    ip.user_ns["items"] = ["a", "b", "c", "d"]

    def broken(position, row):
        raise ValueError("a bug in the hook")

    ip.magics_manager.registry["InferenceMagics"].on_batch_result = broken
    frame = run(ip, "%infer cls --batch items --concurrency 2")

    assert frame["input"].tolist() == ["a", "b", "c", "d"]
    assert frame["error"].isna().all() and frame["output"].notna().all()


def test_a_generator_is_read_once(ip):
    ip.user_ns["texts"] = (f"text {i}" for i in range(5))

    frame = run(ip, "%infer cls --batch texts")

    assert frame["input"].tolist() == [f"text {i}" for i in range(5)]
    assert frame["error"].isna().all()


def test_one_text_or_a_whole_frame_says_what_to_pass(ip):
    ip.user_ns["s"] = "just one review"
    ip.user_ns["df"] = pd.DataFrame({"review": ["a"], "stars": [5]})

    one = usage_error(ip, "%infer cls --batch s")
    frame = usage_error(ip, "%infer cls --batch df")

    assert "a str is one item" in one and "[s]" in one
    assert "2 columns (review, stars)" in frame and "e.g. df.review" in frame


def test_without_a_body_each_item_is_the_payload(ip):
    ip.user_ns["words"] = ["good {x}", {"inputs": "bad"}]

    dry = run(ip, "%infer cls --batch words --no-interpolate --dry-run")
    frame = run(ip, "%infer cls --batch words --no-interpolate -p '{\"top_k\": 1}'")

    assert dry.raw == {"inputs": "good {x}"}
    assert frame["error"].isna().all()
    assert [len(out) for out in frame["output"]] == [1, 1]


def test_a_bad_first_item_is_an_error_in_its_own_row(ip):
    ip.user_ns["items"] = [object(), "fine", object()]

    frame = run(ip, '%%infer cls --batch items\n{"inputs": {item}}')

    assert frame["error"].notna().tolist() == [True, False, True]
    assert frame.loc[0, "error"] == frame.loc[2, "error"]
    assert "cannot be written as JSON" in frame.loc[0, "error"]
    assert frame.loc[1, "output"]


def test_the_timeout_applies_to_each_request(ip, sb):
    ip.user_ns["items"] = ["slow"]
    rule = sb.faults(target="inference", endpoint="cls", latency=1.0)
    route = "/endpoints/sandbox-user/cls"

    def speed_up_after_the_first_answer() -> None:
        while not sb.requests.count("POST", route):
            time.sleep(0.01)
        rule.latency = 0.0

    helper = threading.Thread(target=speed_up_after_the_first_answer, daemon=True)
    helper.start()
    frame = run(ip, "%infer cls --batch items --timeout 0.2")
    helper.join(10)

    assert frame.loc[0, "error"] is None and frame.loc[0, "output"]
    assert frame.loc[0, "attempts"] >= 2  # the slow first answer was given up on


def test_missing_names_in_the_template_are_told_once(ip, capsys):
    ip.user_ns["items"] = ["a", "b", "c"]

    frame = run(ip, "%%infer cls --batch items\n{item} about {topic}")

    assert frame["input"].tolist() == ["a", "b", "c"]
    assert capsys.readouterr().out.count("Sent {topic} as written") == 1


class _Blocking:
    """An item whose text is only known once ``release`` is set, so the batch's
    event loop is busy while interrupts arrive."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def __str__(self) -> str:
        self.release.wait(30)
        return "finally"


class _Seen(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.first = threading.Event()
        self.again = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Batch interrupted"):
            self.first.set()
        if message.startswith("Still stopping"):
            self.again.set()


def test_two_real_ctrl_c_return_every_row(ip):
    release = threading.Event()
    items = ["a", "b", "c", _Blocking(release), "d", "e"]
    ip.user_ns["items"] = items
    seen = _Seen()
    logging.getLogger("hf_endpoint_widgets._batch").addHandler(seen)
    main = threading.main_thread().ident
    assert main is not None

    def press_ctrl_c_twice() -> None:
        signal.pthread_kill(main, signal.SIGINT)
        seen.first.wait(10)
        signal.pthread_kill(main, signal.SIGINT)
        seen.again.wait(10)
        release.set()

    def after_three(position, row):
        if position == 2:
            threading.Thread(target=press_ctrl_c_twice).start()

    ip.magics_manager.registry["InferenceMagics"].on_batch_result = after_three
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        frame = run(ip, "%%infer cls --batch items --concurrency 1\nRate: {item}")
    finally:
        signal.signal(signal.SIGINT, previous)
        release.set()
        logging.getLogger("hf_endpoint_widgets._batch").removeHandler(seen)

    assert seen.again.is_set()
    assert frame["input"].tolist() == items
    assert frame.loc[:2, "output"].notna().all() and frame.loc[:2, "error"].isna().all()
    assert (frame.loc[3:, "error"] == "cancelled").all()
