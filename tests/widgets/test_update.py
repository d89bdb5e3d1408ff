from __future__ import annotations

import json

import pytest

from hf_endpoint_widgets import InferenceEndpoint, InferenceEndpointHardware
from hf_endpoint_widgets.errors import BadRequestError
from hf_endpoint_widgets.widgets import EndpointManager, UpdateEndpointForm
from hf_endpoint_widgets.widgets._spec import SpecError, validate_update

from .conftest import updates
from .fakes import HARDWARE, FakeClient, raw_endpoint

CATALOG = InferenceEndpointHardware.list_from_raw(HARDWARE)
# On nvidia-l4 x1 in aws/us-east-1, min 0, max 2, scale to zero after 15 minutes.
CHAT = InferenceEndpoint.from_raw(raw_endpoint("chat-llm"), "alice")


def page(widget: object, **content: object) -> None:
    widget._handle_custom_msg(content, [])  # type: ignore[attr-defined]


def test_validate_update_keeps_only_what_changed() -> None:
    spec = {
        "repository": "openai-community/gpt2",
        "revision": "",
        "min_replica": "0",
        "max_replica": "3",
        "scale_to_zero_timeout": "15",
        "instance_type": "nvidia-l4",
        "instance_size": "x1",
    }
    assert validate_update(spec, CHAT, CATALOG) == {"max_replica": 3}
    assert validate_update({}, CHAT, CATALOG) == {}


def test_validate_update_takes_the_accelerator_of_a_new_instance() -> None:
    spec = {"instance_type": "intel-icl", "instance_size": "x2"}
    assert validate_update(spec, CHAT, CATALOG) == {
        "instance_type": "intel-icl",
        "instance_size": "x2",
        "accelerator": "cpu",
    }


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"instance_type": "nvidia-h100"}, "instance_type"),
        ({"max_replica": "0"}, "max_replica"),
        ({"min_replica": "3"}, "max_replica"),
        ({"min_replica": "1"}, "min_replica"),
        ({"scale_to_zero_timeout": ""}, "scale_to_zero_timeout"),
        ({"scale_to_zero_timeout": "0"}, "scale_to_zero_timeout"),
        ({"max_replica": "many"}, "max_replica"),
        ({"repository": " "}, "repository"),
        ({"region": "eu-west-1"}, "region"),
    ],
)
def test_validate_update_rejects(spec: dict, field: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_update(spec, CHAT, CATALOG)
    assert field in info.value.fields


def test_update_from_the_page_sends_only_the_changes(client: FakeClient) -> None:
    manager = EndpointManager(client, push=False)  # type: ignore[arg-type]
    form = UpdateEndpointForm("chat-llm", client)  # type: ignore[arg-type]
    page(form, type="catalog")
    assert [row["instance_type"] for row in form.hardware] == ["intel-icl", "nvidia-l4"]
    assert form.endpoint["max_replica"] == 2

    page(form, type="update", changes={"max_replica": "3"}, request="u1")
    page(form, type="update", changes={"max_replica": "3"}, request="u1")

    assert client.update_calls == [("alice/chat-llm", {"max_replica": 3})]
    assert form.error == "" and form.busy == ""
    assert form.endpoint["max_replica"] == 3
    assert "Update sent to alice/chat-llm (max_replica 3)" in form.notice
    chat = next(r for r in manager.endpoints if r["id"] == "alice/chat-llm")
    assert chat["status"] == "updating"


def test_unchanged_values_send_nothing(client: FakeClient) -> None:
    form = UpdateEndpointForm("alice/chat-llm", client)  # type: ignore[arg-type]
    endpoint = form.submit({"max_replica": 2, "min_replica": "0"})
    assert endpoint.name == "chat-llm"
    assert client.update_calls == []
    assert form.notice == "Nothing changed: no update sent to alice/chat-llm."


def test_changes_are_checked_against_the_latest_listing(client: FakeClient) -> None:
    manager = EndpointManager(client, push=False)  # type: ignore[arg-type]
    form = UpdateEndpointForm("chat-llm", client)  # type: ignore[arg-type]
    raw = client.raws["alice/chat-llm"]
    raw["compute"]["scaling"]["maxReplica"] = 1  # changed from elsewhere
    raw["status"]["updatedAt"] = "2026-01-02T04:00:00Z"
    manager.refresh()

    form.submit({"max_replica": "2"})

    assert client.update_calls == [("alice/chat-llm", {"max_replica": 2})]


def test_invalid_fields_are_shown_and_nothing_is_sent(client: FakeClient) -> None:
    form = UpdateEndpointForm("chat-llm", client)  # type: ignore[arg-type]
    page(form, type="update", changes={"min_replica": "1"})
    assert form.field_errors == {"min_replica": "must be 0 while scale to zero is on"}
    assert form.error.startswith("Fix the fields")
    with pytest.raises(SpecError):
        form.submit({"max_replica": "-1"})
    assert client.update_calls == []


def test_a_failed_endpoint_is_not_updated(client: FakeClient) -> None:
    client.add("broken", "failed")
    form = UpdateEndpointForm("broken", client)  # type: ignore[arg-type]
    page(form, type="update", changes={"max_replica": "3"})
    assert form.error.startswith("Cannot update alice/broken: it is failed")
    assert client.update_calls == []


def test_api_refusal_is_reported(client: FakeClient) -> None:
    client.fail_actions["update"] = BadRequestError(
        "refused", status_code=400, server_message="quota exceeded"
    )
    form = UpdateEndpointForm("chat-llm", client)  # type: ignore[arg-type]
    page(form, type="update", changes={"max_replica": "3"})
    assert form.error.startswith("Could not update alice/chat-llm: HTTP 400")
    assert "quota exceeded" in form.error
    assert form.endpoint["max_replica"] == 2
    with pytest.raises(BadRequestError):
        form.submit({"max_replica": 3})


def test_manager_opens_the_update_form_of_the_selection(client: FakeClient) -> None:
    manager = EndpointManager(client, push=False)  # type: ignore[arg-type]
    manager.selected = ["chat-llm"]
    page(manager, type="edit", request="e1")
    editor = manager.editor
    assert isinstance(editor, UpdateEndpointForm)
    assert editor.endpoint_id == "alice/chat-llm"
    assert client.count("get") == 0  # the row the manager holds is enough

    manager.selected = ["embedder"]
    page(manager, type="edit", request="e2")
    assert manager.editor.endpoint_id == "alice/embedder"
    assert editor.comm is None  # the previous form was closed
    manager.close()
    assert manager.editor.comm is None


def test_manager_update_from_python(client: FakeClient) -> None:
    manager = EndpointManager(client, push=False)  # type: ignore[arg-type]
    endpoint = manager.update("chat-llm", max_replica=4)
    assert endpoint.status == "updating"
    assert client.update_calls == [("alice/chat-llm", {"max_replica": 4})]
    assert manager.notice == "Update requested for alice/chat-llm."
    with pytest.raises(ValueError, match="Cannot update alice/embedder"):
        client.set_status("embedder", "failed")
        manager.refresh()
        manager.update("embedder", max_replica=2)
    assert len(client.update_calls) == 1


def test_the_token_never_reaches_the_page(client: FakeClient) -> None:
    form = UpdateEndpointForm("chat-llm", client)  # type: ignore[arg-type]
    page(form, type="catalog")
    page(form, type="update", changes={"max_replica": "3"})
    assert client.token not in json.dumps(updates(form))
    assert client.token not in json.dumps(form.get_state())
    assert client.token not in repr(form)
