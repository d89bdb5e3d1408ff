from __future__ import annotations

import json
import sys
import threading
import types

import pytest

from hf_endpoint_widgets.errors import ConflictError, ServerError
from hf_endpoint_widgets.widgets import EndpointManager, StatusBadge
from hf_endpoint_widgets.widgets._actions import rules_for_page

from .conftest import poller_threads, updates
from .fakes import FakeClient


def manager(client: FakeClient, **kwargs: object) -> EndpointManager:
    return EndpointManager(client, push=False, **kwargs)  # type: ignore[arg-type]


def page(widget: object, **content: object) -> None:
    """Deliver a message as the page would (through the on_msg callbacks)."""
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def test_initial_state_and_no_token(client: FakeClient) -> None:
    m = manager(client)

    state = json.dumps(m.get_state(), default=str)
    assert client.token not in state and "s3cret-value" not in state
    assert client.token not in repr(m)
    assert [row["id"] for row in m.endpoints] == [
        "alice/chat-llm",
        "alice/classifier",
        "alice/embedder",
    ]
    assert m.namespace == "alice"
    assert m.total_price_per_hour == pytest.approx(0.8)
    assert m._rules == rules_for_page()
    assert m.busy == "" and m.error == ""
    assert m.poll_interval_ms == 30000
    assert m.last_refresh.endswith("Z")


def test_nothing_sent_when_nothing_changed(client: FakeClient) -> None:
    widgets = [
        manager(client),
        manager(client),
        StatusBadge("chat-llm", client, push=False),
    ]  # type: ignore[arg-type]
    before = [len(updates(w)) for w in widgets]

    for _ in range(10):
        client.clock.advance(30)
        for widget in widgets:
            page(widget, type="pull")
    assert client.count("list") == 11
    assert [len(updates(w)) for w in widgets] == before

    client.set_status("chat-llm", "updating")
    client.clock.advance(30)
    page(widgets[0], type="pull")
    assert client.count("list") == 12
    assert all(len(updates(w)) == n + 1 for w, n in zip(widgets, before, strict=True))


def test_selection_is_two_way(client: FakeClient) -> None:
    m = manager(client)
    m.set_state({"selection": ["alice/embedder"]})
    assert [e.id for e in m.selected] == ["alice/embedder"]

    m.selected = ["chat-llm", "alice/classifier"]
    assert m.selection == ["alice/chat-llm", "alice/classifier"]
    m.selected = m.selected[0]
    assert m.selection == ["alice/chat-llm"]


def test_selection_cleared_and_unknown_names_refused(client: FakeClient) -> None:
    m = manager(client)
    m.selected = ["chat-llm", "embedder"]
    m.selected = []
    assert m.selection == []
    m.selected = "chat-llm"
    m.selected = None
    assert m.selection == [] and m.selected == []

    with pytest.raises(ValueError, match=r"alice/typo is not shown .*to_dataframe"):
        m.selected = ["chat-llm", "typo"]
    assert m.selection == []


def test_deleted_endpoint_leaves_the_selection(client: FakeClient) -> None:
    m = manager(client)
    m.selected = ["embedder", "chat-llm"]
    del client.raws["alice/embedder"]
    m.refresh()
    assert m.selection == ["alice/chat-llm"]


def test_pause_from_the_page(client: FakeClient) -> None:
    m = manager(client)
    page(m, type="action", action="pause", names=["alice/chat-llm"], request="r1")

    assert ("pause", "alice/chat-llm") in client.calls
    assert m.notice == "Pause requested for alice/chat-llm."
    assert m.busy == ""
    assert {r["id"]: r["status"] for r in m.endpoints}["alice/chat-llm"] == "paused"
    assert m.total_price_per_hour == 0
    busy_values = [u["busy"] for u in updates(m) if "busy" in u]
    assert busy_values == ["pause", ""]

    page(m, type="action", action="pause", names=["alice/chat-llm"], request="r1")
    assert client.count("pause") == 1


def test_rules_refuse_invalid_transitions(client: FakeClient) -> None:
    m = manager(client)
    page(m, type="action", action="resume", names=["alice/chat-llm", "alice/embedder"])
    assert client.count("resume") == 0
    assert "Cannot resume alice/chat-llm: it is running" in m.error

    with pytest.raises(ValueError, match="scale to zero"):
        m.scale_to_zero("embedder")
    m.resume("embedder", "classifier")
    assert client.count("resume") == 2


def test_second_action_refused_while_busy(client: FakeClient) -> None:
    m = manager(client)
    entered, release = threading.Event(), threading.Event()
    original = client.pause_inference_endpoint

    def slow_pause(name: str, *, namespace: str | None = None):
        entered.set()
        release.wait(5)
        return original(name, namespace=namespace)

    client.pause_inference_endpoint = slow_pause  # type: ignore[method-assign]
    worker = threading.Thread(
        target=page,
        args=(m,),
        kwargs={"type": "action", "action": "pause", "names": ["alice/chat-llm"]},
    )
    worker.start()
    assert entered.wait(5)
    assert m.busy == "pause"
    page(
        m, type="action", action="delete", names=["alice/chat-llm"], confirm="chat-llm"
    )
    assert m.notice == "Still busy with pause; delete was not sent."
    with pytest.raises(RuntimeError, match="Still busy"):
        m.resume("embedder")
    release.set()
    worker.join(5)
    assert client.count("delete") == 0 and client.count("pause") == 1
    assert m.busy == ""


def test_delete_needs_the_exact_name(client: FakeClient) -> None:
    m = manager(client)
    page(
        m, type="action", action="delete", names=["alice/embedder"], confirm="Embedder"
    )
    assert client.count("delete") == 0
    assert "type 'embedder' exactly" in m.error

    page(
        m, type="action", action="delete", names=["alice/embedder"], confirm="embedder"
    )
    assert client.count("delete") == 1
    assert m.error == ""
    assert "alice/embedder" not in [row["id"] for row in m.endpoints]

    two = ["alice/chat-llm", "alice/classifier"]
    page(m, type="action", action="delete", names=two, confirm="chat-llm")
    assert client.count("delete") == 1
    page(m, type="action", action="delete", names=two, confirm="chat-llm, classifier")
    assert m.endpoints == []


def test_python_delete_needs_no_confirmation(client: FakeClient) -> None:
    m = manager(client)
    m.selected = ["embedder"]
    m.delete()
    assert ("delete", "alice/embedder") in client.calls


def test_action_errors_name_the_endpoint_and_next_step(client: FakeClient) -> None:
    m = manager(client)
    client.fail_actions["pause"] = ConflictError(
        "conflict", status_code=409, server_message="Endpoint is updating"
    )
    page(m, type="action", action="pause", names=["alice/chat-llm"])
    assert m.error.startswith("Could not pause alice/chat-llm: HTTP 409: Endpoint is")
    assert "Next: refresh" in m.error

    with pytest.raises(ConflictError):
        m.pause("chat-llm")
    page(m, type="dismiss")
    assert m.error == ""


def test_poll_errors_shown_dismissed_and_cleared(client: FakeClient) -> None:
    m = manager(client)
    client.fail = ServerError("down", status_code=502, server_message="Bad gateway")
    client.clock.advance(30)
    page(m, type="pull")
    assert "HTTP 502: Bad gateway" in m.error and "Retrying in 2 s" in m.error
    assert m.poll_interval_ms == 2000
    assert len(m.endpoints) == 3

    page(m, type="dismiss")
    assert m.error == ""
    client.clock.advance(2)
    page(m, type="pull")
    assert m.error == ""
    client.clock.advance(4)
    client.fail = None
    page(m, type="pull")
    assert m.error == "" and m.poll_interval_ms == 30000


def test_new_endpoint_form_is_embedded(client: FakeClient) -> None:
    m = manager(client)
    assert m.form is None
    page(m, type="new_endpoint")
    assert m.form is not None
    assert m.get_state()["form"] == f"IPY_MODEL_{m.form.model_id}"
    form = m.form
    m.close()
    assert form.comm is None


def test_to_dataframe(client: FakeClient) -> None:
    df = manager(client).to_dataframe()
    assert sorted(df["name"]) == ["chat-llm", "classifier", "embedder"]
    assert df.set_index("name").loc["chat-llm", "price_per_hour"] == pytest.approx(0.8)


def test_observe_endpoints(client: FakeClient) -> None:
    m = manager(client)
    seen = []
    m.observe(lambda change: seen.append(change["new"]), "endpoints")
    client.set_status("embedder", "pending")
    m.refresh()
    assert seen and seen[-1][2]["status"] == "pending"


def test_push_thread_lifecycle(client: FakeClient) -> None:
    m = EndpointManager(client, push=True)  # type: ignore[arg-type]
    assert m.push is True
    assert len(poller_threads()) == 1
    m.close()
    assert poller_threads() == []


def test_colab_turns_push_off(
    client: FakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    m = EndpointManager(client)  # type: ignore[arg-type]
    assert m.push is False
    assert poller_threads() == []
    m.close()


def test_hostile_text_is_kept_as_data(client: FakeClient) -> None:
    client.set_status("embedder", "failed", message="<img src=x onerror=alert(1)>")
    m = manager(client)
    row = {r["id"]: r for r in m.endpoints}["alice/embedder"]
    assert row["message"] == "<img src=x onerror=alert(1)>"


def test_actions_accept_lists_and_endpoint_objects(client: FakeClient) -> None:
    m = manager(client)
    m.resume(["embedder", "alice/classifier"])
    assert client.count("resume") == 2
    running = m.to_dataframe().query("status == 'running'")["name"].tolist()
    m.selected = running
    m.pause(*m.selected)
    assert ("pause", "alice/chat-llm") in client.calls


def test_latest_is_the_newest_open_manager(client: FakeClient) -> None:
    first = manager(client)
    second = manager(client)
    assert EndpointManager.latest() is second

    second.close()
    assert EndpointManager.latest() is first and not second.is_open
    first.close()
    assert EndpointManager.latest() not in (first, second)


def test_front_ends_without_widgets_get_an_escaped_static_table(
    client: FakeClient,
) -> None:
    m = manager(client)
    badge = StatusBadge("chat-llm", client, push=False)  # type: ignore[arg-type]

    data, _ = m._repr_mimebundle_()
    badge_data, _ = badge._repr_mimebundle_()

    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == (
        "EndpointManager('alice': 1 paused, 1 running, 1 scaledToZero)"
    )
    assert "chat-llm" in data["text/html"] and "● running" in data["text/html"]
    assert badge_data["text/plain"].startswith("StatusBadge('alice/chat-llm': running")
    assert client.token not in data["text/html"] + badge_data["text/html"]
