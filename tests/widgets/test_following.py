"""How widgets follow their poller: callbacks that call back in, races, heartbeats."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import comm
import pytest

from hf_endpoint_widgets import _poller
from hf_endpoint_widgets.widgets import EndpointManager, StatusBadge, _base
from hf_endpoint_widgets.widgets._base import HEARTBEAT

from .conftest import poller_threads, updates
from .fakes import FakeClient, RecordingComm


def manager(client: FakeClient, **kwargs: object) -> EndpointManager:
    return EndpointManager(client, push=False, **kwargs)  # type: ignore[arg-type]


def badge(client: FakeClient, name: str = "embedder") -> StatusBadge:
    return StatusBadge(name, client, push=False)  # type: ignore[arg-type]


def page(widget: object, **content: object) -> None:
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def finishes(target: Callable[[], object]) -> bool:
    """Run ``target`` on a thread; False if it is still blocked after 10 s."""
    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(10)
    return not worker.is_alive()


def test_an_observer_may_refresh_again(client: FakeClient) -> None:
    m = manager(client)
    seen: list[object] = []

    def again(change: object) -> None:
        seen.append(change)
        if len(seen) == 1:
            m.refresh()

    m.observe(again, "endpoints")
    client.set_status("embedder", "pending")

    assert finishes(m.refresh)
    assert client.count("list") == 3


def test_an_observer_may_act_during_a_pull(client: FakeClient) -> None:
    m = manager(client)
    chat = badge(client, "chat-llm")

    paused: list[str] = []

    def pause_it(change: object) -> None:
        if not paused:
            paused.append("chat-llm")
            m.pause("chat-llm")

    m.observe(pause_it, "endpoints")
    client.set_status("embedder", "pending")
    client.clock.advance(30)

    assert finishes(lambda: page(m, type="pull"))
    assert ("pause", "alice/chat-llm") in client.calls
    assert chat.status == "paused"


class ClosesAnother(StatusBadge):
    """A badge during whose opening the last other widget of its poller closes."""

    other: StatusBadge | None = None

    def _values(self, state: _poller.PollState) -> dict[str, object]:
        other, ClosesAnother.other = ClosesAnother.other, None
        if other is not None:
            other.close()
        return super()._values(state)


def test_a_widget_opened_as_the_last_other_closes_still_follows(
    client: FakeClient,
) -> None:
    ClosesAnother.other = badge(client)
    stopping = ClosesAnother.other._poller

    opened = ClosesAnother("embedder", client, push=False)  # type: ignore[arg-type]

    assert stopping.stopped and opened._poller is not stopping
    assert _poller.active_pollers() == [opened._poller]
    client.set_status("embedder", "initializing")
    client.clock.advance(30)
    page(opened, type="pull")
    assert opened.status == "initializing"


def test_a_stopped_poller_takes_no_subscriber(client: FakeClient) -> None:
    poller = _poller.get_poller(client, "alice")  # type: ignore[arg-type]
    badge(client).close()
    assert poller.stopped
    assert poller.subscribe(badge(client)) is False


def wait_for_thread(poller: _poller.Poller) -> bool:
    """Wake the push thread now; True once it has ended."""
    thread = poller._thread
    assert thread is not None
    poller._wake.set()
    thread.join(10)
    return not thread.is_alive()


def test_a_shown_widget_stops_polling_when_its_page_goes_quiet(
    client: FakeClient,
) -> None:
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]
    page(m, type="pull")
    first = m._poller

    client.clock.advance(HEARTBEAT + 1)
    assert wait_for_thread(first)
    assert first.stopped and _poller.active_pollers() == []
    assert poller_threads() == []

    listed = client.count("list")
    client.set_status("embedder", "initializing")
    page(m, type="pull")
    assert client.count("list") == listed + 1
    assert {r["id"]: r["status"] for r in m.endpoints}["alice/embedder"] == (
        "initializing"
    )
    assert m._poller is not first and len(poller_threads()) == 1
    m.close()


def test_python_reads_of_a_quiet_widget_follow_again(client: FakeClient) -> None:
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]
    page(m, type="pull")
    first = m._poller
    client.clock.advance(HEARTBEAT + 1)
    assert wait_for_thread(first) and first.stopped

    client.set_status("embedder", "initializing")
    frame = m.to_dataframe().set_index("name")

    assert frame.loc["embedder", "status"] == "initializing"
    assert m._poller is not first and not m._poller.stopped
    m.close()


def test_a_widget_used_only_from_python_keeps_following(client: FakeClient) -> None:
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]
    changed = threading.Event()
    m.observe(lambda change: changed.set(), "endpoints")

    client.clock.advance(HEARTBEAT + 1)
    client.set_status("embedder", "initializing")
    m._poller._wake.set()
    assert changed.wait(10)
    assert not m._poller.stopped and len(poller_threads()) == 1
    m.close()


def test_every_trait_write_holds_the_sync_lock(client: FakeClient) -> None:
    m = manager(client)
    form = m.create_form()
    unlocked: list[str] = []
    for widget in (m, form):
        lock = widget._sync_lock

        def check(change: dict, lock: object = lock) -> None:
            if not lock._is_owned():  # type: ignore[attr-defined]
                unlocked.append(change["name"])

        widget.observe(check)

    page(m, type="action", action="pause", names=["alice/chat-llm"])
    page(m, type="action", action="resume", names=["alice/chat-llm", "alice/nope"])
    page(m, type="dismiss")
    page(m, type="refresh")
    page(m, type="new_endpoint")
    m.selected = ["embedder"]
    page(m, type="edit")
    page(form, type="catalog")
    page(form, type="create", spec={"name": "-bad"})
    form.submit(
        {
            "name": "fresh",
            "repository": "gpt2",
            "accelerator": "cpu",
            "vendor": "aws",
            "region": "us-east-1",
            "instance_type": "intel-icl",
            "instance_size": "x2",
        }
    )

    assert unlocked == []
    assert m.editor is not None and form.created == "alice/fresh"


class MainThreadComm(RecordingComm):
    """A comm that, like ipykernel 7.0, refuses messages sent from other threads."""

    refused: threading.Event

    def publish_msg(self, msg_type: str, data: Any = None, *a: Any, **k: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            MainThreadComm.refused.set()
            raise RuntimeError("cannot send from this thread")
        super().publish_msg(msg_type, data, *a, **k)


def test_a_kernel_refusing_thread_messages_turns_the_widget_to_pull(
    client: FakeClient, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    MainThreadComm.refused = threading.Event()
    monkeypatch.setattr(comm, "create_comm", MainThreadComm)
    _base._push_warned.clear()
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]

    client.set_status("embedder", "initializing")
    client.clock.advance(30)
    with caplog.at_level(logging.WARNING, logger="hf_endpoint_widgets.widgets._base"):
        m._poller._wake.set()
        assert MainThreadComm.refused.wait(10)
        m._poller.stop()  # joins the thread, done with its refresh
    assert "could not update from the poller's thread" in caplog.text

    page(m, type="pull")
    last = updates(m)[-1]
    assert last["push"] is False
    statuses = {row["id"]: row["status"] for row in last["endpoints"]}
    assert statuses["alice/embedder"] == "initializing"


def test_a_failing_observer_does_not_turn_the_widget_to_pull(
    client: FakeClient, caplog: Any
) -> None:
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]
    called = threading.Event()

    def broken(change: Any) -> None:
        called.set()
        raise ValueError("a bug in the user's observer")

    m.observe(broken, "endpoints")
    client.set_status("embedder", "initializing")
    client.clock.advance(30)
    with caplog.at_level(logging.WARNING, logger="hf_endpoint_widgets.widgets._base"):
        m._poller._wake.set()
        assert called.wait(10)
        m._poller.stop()

    assert not m._push_failed and m.push is True
    assert "could not update from the poller's thread" not in caplog.text
    m.close()
