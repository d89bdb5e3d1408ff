"""How widgets follow their poller: callbacks that call back in, races, heartbeats."""

from __future__ import annotations

import threading
from collections.abc import Callable

from hf_endpoint_widgets.widgets import EndpointManager, StatusBadge

from .fakes import FakeClient


def manager(client: FakeClient, **kwargs: object) -> EndpointManager:
    return EndpointManager(client, push=False, **kwargs)  # type: ignore[arg-type]


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
    badge = StatusBadge("chat-llm", client, push=False)  # type: ignore[arg-type]

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
    assert badge.status == "paused"
