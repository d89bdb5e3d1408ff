"""Deleting from the page needs a typed phrase that names the endpoints deleted."""

from __future__ import annotations

from hf_endpoint_widgets.widgets import EndpointManager
from hf_endpoint_widgets.widgets._actions import delete_phrase

from .fakes import FakeClient


def page_delete(widget: EndpointManager, names: list[str], confirm: str) -> None:
    """Deliver the page's delete message (through the on_msg callbacks)."""
    content = {"type": "action", "action": "delete", "names": names, "confirm": confirm}
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def test_phrase_names_the_endpoints() -> None:
    assert delete_phrase(["alice/chat-llm"]) == "chat-llm"
    assert delete_phrase(["alice/chat-llm", "alice/embedder"]) == "chat-llm, embedder"
    assert delete_phrase(["alice/chat", "acme/chat"]) == "alice/chat, acme/chat"


def test_confirmation_of_other_endpoints_deletes_nothing(client: FakeClient) -> None:
    m = EndpointManager(client, push=False)  # type: ignore[arg-type]
    two = ["alice/chat-llm", "alice/classifier"]

    for typed in ("delete 2 endpoints", "chat-llm, embedder", "classifier, chat-llm"):
        page_delete(m, two, typed)
        assert client.count("delete") == 0, typed
        assert "type 'chat-llm, classifier' exactly" in m.error

    page_delete(m, two, "chat-llm, classifier")
    assert client.count("delete") == 2
    assert [row["id"] for row in m.endpoints] == ["alice/embedder"]
    assert m.error == ""
