from __future__ import annotations

import gc
import logging
import sys
import threading
import time
import types

import pytest

from hf_endpoint_widgets import _poller
from hf_endpoint_widgets._poller import (
    FAST_INTERVAL,
    MAX_BACKOFF,
    SLOW_INTERVAL,
    Poller,
    PollState,
    get_poller,
    in_colab,
    resolve_push,
)
from hf_endpoint_widgets.errors import ServerError

from .conftest import poller_threads
from .fakes import FakeClient


class Recorder:
    def __init__(self) -> None:
        self.states: list[tuple[PollState, bool]] = []

    def _on_poll(self, state: PollState, pushed: bool) -> None:
        self.states.append((state, pushed))


def make(client: FakeClient) -> Poller:
    return Poller(client, "alice", start_thread=False)  # type: ignore[arg-type]


def test_one_list_request_per_tick_for_every_subscriber(client: FakeClient) -> None:
    poller = make(client)
    subscribers = [Recorder() for _ in range(3)]
    for sub in subscribers:
        poller.subscribe(sub)

    assert poller.tick() is True
    assert poller.tick() is False
    assert client.count("list") == 1
    assert all(len(sub.states) == 1 for sub in subscribers)
    assert set(poller.state.rows) == {
        "alice/chat-llm",
        "alice/embedder",
        "alice/classifier",
    }


def test_slow_when_stable_fast_when_moving(client: FakeClient) -> None:
    poller = make(client)
    poller.tick()
    assert poller.state.interval == SLOW_INTERVAL

    client.clock.advance(SLOW_INTERVAL - 1)
    assert poller.tick() is False
    client.clock.advance(1)
    client.set_status("embedder", "initializing")
    assert poller.tick() is True
    assert poller.state.interval == FAST_INTERVAL

    client.clock.advance(FAST_INTERVAL)
    assert poller.tick() is True
    assert client.count("list") == 3


def test_refresh_now_fetches_and_stays_fast_after_an_action(client: FakeClient) -> None:
    poller = make(client)
    poller.tick()
    poller.refresh_now()
    assert client.count("list") == 2
    assert poller.state.interval == FAST_INTERVAL

    client.clock.advance(60)
    poller.tick()
    assert poller.state.interval == SLOW_INTERVAL


def test_backoff_on_errors_then_recovery(client: FakeClient, caplog) -> None:
    poller = make(client)
    sub = Recorder()
    poller.subscribe(sub)
    client.fail = ServerError("boom", status_code=503, server_message="unavailable")

    delays = []
    with caplog.at_level(logging.WARNING, logger="hf_endpoint_widgets._poller"):
        for _ in range(7):
            client.clock.advance(MAX_BACKOFF)
            assert poller.tick()
            delays.append(poller.state.interval)
    assert delays == [2, 4, 8, 16, 32, 60, 60]
    assert "HTTP 503: unavailable" in sub.states[-1][0].error
    assert sum("Retrying in" in r.getMessage() for r in caplog.records) == 7

    client.fail = None
    client.clock.advance(MAX_BACKOFF)
    poller.tick()
    assert sub.states[-1][0].error == ""
    assert poller.state.interval == SLOW_INTERVAL


def test_status_changes_logged_at_info(client: FakeClient, caplog) -> None:
    poller = make(client)
    poller.tick()
    client.set_status("embedder", "initializing")
    with caplog.at_level(logging.INFO, logger="hf_endpoint_widgets._poller"):
        poller.refresh_now()
    assert "alice/embedder: paused -> initializing" in caplog.text


def test_hardware_fetched_once_and_refreshable(client: FakeClient) -> None:
    poller = make(client)
    poller.tick()
    client.clock.advance(SLOW_INTERVAL)
    poller.tick()
    poller.hardware()
    assert client.count("hardware") == 1
    poller.hardware(refresh=True)
    assert client.count("hardware") == 2
    assert poller.state.rows["alice/chat-llm"]["price_per_hour"] == pytest.approx(0.8)


def test_registry_shares_one_poller(client: FakeClient) -> None:
    first = get_poller(client, "alice")  # type: ignore[arg-type]
    assert get_poller(client, "alice") is first  # type: ignore[arg-type]
    assert get_poller(client, "bob") is not first  # type: ignore[arg-type]
    first.stop()
    first.stop()
    assert get_poller(client, "alice") is not first  # type: ignore[arg-type]


def test_push_thread_stops_when_subscribers_go(client: FakeClient) -> None:
    poller = Poller(
        client,  # type: ignore[arg-type]
        "alice",
        push=True,
        clock=time.monotonic,
    )
    sub = Recorder()
    poller.subscribe(sub)
    deadline = time.monotonic() + 5
    while not sub.states and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sub.states and sub.states[0][1] is True
    assert len(poller_threads()) == 1

    del sub
    gc.collect()
    deadline = time.monotonic() + 5
    while poller_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert poller_threads() == []
    assert poller.stopped


def test_stop_joins_the_thread(client: FakeClient) -> None:
    poller = Poller(client, "alice", push=True)  # type: ignore[arg-type]
    sub = Recorder()
    poller.subscribe(sub)
    poller.unsubscribe(sub)
    assert poller_threads() == []
    poller.stop()


def test_push_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    assert in_colab() is False
    assert resolve_push(None) is True
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert in_colab() is True
    assert resolve_push(None) is False
    assert resolve_push(True) is True
    monkeypatch.delitem(sys.modules, "google.colab")
    monkeypatch.setenv("HFEW_PUSH", "0")
    assert resolve_push(None) is False
    monkeypatch.setenv("HFEW_PUSH", "yes")
    assert resolve_push(None) is True


def test_no_thread_in_pull_mode(client: FakeClient) -> None:
    poller = get_poller(client, "alice", push=False)  # type: ignore[arg-type]
    sub = Recorder()
    poller.subscribe(sub)
    poller.tick()
    assert poller_threads() == []
    assert threading.active_count() >= 1
    assert _poller.active_pollers() == [poller]


def test_a_widget_opened_later_gets_fresh_data(client: FakeClient) -> None:
    from hf_endpoint_widgets.widgets import StatusBadge
    from hf_endpoint_widgets.widgets._base import FRESH_AGE

    first = StatusBadge("embedder", client, push=False)  # type: ignore[arg-type]
    together = StatusBadge("chat-llm", client, push=False)  # type: ignore[arg-type]
    assert client.count("list") == 1  # opened together: one request

    client.set_status("embedder", "initializing")
    client.clock.advance(FRESH_AGE + 0.1)  # still long before the next tick
    later = StatusBadge("embedder", client, push=False)  # type: ignore[arg-type]
    assert client.count("list") == 2
    assert later.status == "initializing"
    assert first.status == "initializing"  # the fetch refreshed every widget
    together.close()
