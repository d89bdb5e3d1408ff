"""Lifecycle buttons, clicked in a real page, change the endpoints on the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .notebook_ui import run_cell
from .widgets_ui import (
    MANAGER,
    SETUP,
    by_testid,
    eventually,
    open_widgets,
    output,
    row,
    row_status,
    state,
)

pytestmark = pytest.mark.browser

SELECTED = 'print([endpoint.name for endpoint in manager.selected], end="")'


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_pause_and_resume_from_clicks(jupyter, sb, page, ui):
    cells = open_widgets(page, jupyter, ui, "pause", [SETUP, MANAGER, SELECTED])
    chat = f"{sb.namespace}/chat-llm"
    pause = by_testid(page, "hfew-action-pause")
    resume = by_testid(page, "hfew-action-resume")
    expect(row_status(page, chat)).to_have_attribute("data-status", "running")
    expect(pause).to_be_disabled()

    row(page, chat).locator("input[type=checkbox]").click()
    expect(row(page, chat)).to_have_class(re.compile(r"\bhfew-row--selected\b"))
    expect(pause).to_be_enabled()
    expect(resume).to_be_disabled()
    run_cell(page, cells, 2)  # the click reached Python
    expect(output(cells, 2)).to_have_text("['chat-llm']")

    pause.click()
    eventually(lambda: state(sb, "chat-llm") == "paused")
    expect(row_status(page, chat)).to_have_attribute("data-status", "paused")
    expect(by_testid(page, "hfew-notice")).to_have_text(f"Pause requested for {chat}.")
    expect(resume).to_be_enabled()
    expect(pause).to_be_disabled()

    sb.speed = 5.0  # the resumed endpoint runs after 0.6 s instead of 3 s
    resume.click()
    eventually(lambda: state(sb, "chat-llm") in ("initializing", "running"))
    expect(by_testid(page, "hfew-notice")).to_have_text(f"Resume requested for {chat}.")
    expect(row_status(page, chat)).to_have_attribute("data-status", "running")
    expect(by_testid(page, "hfew-error")).to_be_hidden()
    assert sb.requests.count("POST", "/v2/endpoint/*/chat-llm/pause") == 1
    assert sb.requests.count("POST", "/v2/endpoint/*/chat-llm/resume") == 1


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_delete_needs_the_typed_name(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "delete", [SETUP, MANAGER])
    embedder = f"{sb.namespace}/embedder"
    confirm = by_testid(page, "hfew-confirm")
    typed = by_testid(page, "hfew-confirm-input")
    really = by_testid(page, "hfew-confirm-delete")
    expect(row(page, embedder)).to_be_visible()

    row(page, embedder).locator("input[type=checkbox]").click()
    by_testid(page, "hfew-action-delete").click()
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(f"Delete {embedder}? This cannot be undone.")
    expect(really).to_be_disabled()

    for wrong in ("embedde", "Embedder", "embedder "):
        typed.fill(wrong)
        expect(really).to_be_disabled()
    typed.press("Enter")
    really.click(force=True)  # a disabled button ignores the click
    by_testid(page, "hfew-confirm-cancel").click()
    expect(confirm).to_be_hidden()
    assert state(sb, "embedder") == "paused"
    assert sb.requests.count("DELETE", "/v2/endpoint/*/embedder") == 0
    expect(row(page, embedder)).to_be_visible()

    by_testid(page, "hfew-action-delete").click()
    expect(typed).to_have_value("")
    typed.fill("embedder")
    expect(really).to_be_enabled()
    really.click()
    expect(row(page, embedder)).to_have_count(0)
    expect(by_testid(page, "hfew-row")).to_have_count(3)
    expect(by_testid(page, "hfew-notice")).to_have_text(f"Deleted {embedder}.")
    assert state(sb, "embedder") == ""
    assert sb.requests.count("DELETE", "/v2/endpoint/*/embedder") == 1


def test_deleting_several_needs_their_names_and_the_same_selection(jupyter, sb, page):
    open_widgets(page, jupyter, "lab", "delete_several", [SETUP, MANAGER])
    ns = sb.namespace
    confirm = by_testid(page, "hfew-confirm")
    typed = by_testid(page, "hfew-confirm-input")
    really = by_testid(page, "hfew-confirm-delete")
    tick = {
        name: row(page, f"{ns}/{name}").locator("input[type=checkbox]")
        for name in ("embedder", "classifier", "chat-llm")
    }
    tick["embedder"].click()
    tick["classifier"].click()

    by_testid(page, "hfew-action-delete").click()
    expect(confirm).to_contain_text(f"Delete {ns}/embedder, {ns}/classifier?")
    typed.fill("delete 2 endpoints")
    expect(really).to_be_disabled()
    typed.fill("embedder, classifier")
    expect(really).to_be_enabled()
    tick["chat-llm"].click()  # another selection: the confirmation no longer holds
    expect(confirm).to_be_hidden()
    tick["chat-llm"].click()
    expect(confirm).to_be_hidden()
    assert sb.requests.count("DELETE", "/v2/endpoint/*/*") == 0

    by_testid(page, "hfew-action-delete").click()
    expect(typed).to_have_value("")
    typed.fill("embedder, classifier")
    really.click()
    expect(by_testid(page, "hfew-notice")).to_have_text(
        f"Deleted {ns}/embedder, {ns}/classifier."
    )
    expect(by_testid(page, "hfew-row")).to_have_count(2)
    assert (state(sb, "embedder"), state(sb, "classifier")) == ("", "")
    assert sb.requests.count("DELETE", "/v2/endpoint/*/*") == 2
    assert state(sb, "chat-llm") == "running"


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_update_from_the_form_sends_only_the_change(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "update", [SETUP, MANAGER])
    chat = f"{sb.namespace}/chat-llm"
    update = by_testid(page, "hfew-action-update")
    form = by_testid(page, "hfew-update")
    expect(update).to_be_disabled()

    row(page, chat).locator("input[type=checkbox]").click()
    update.click()
    expect(form).to_be_visible()
    expect(form.locator(".hfew-title")).to_have_text(f"Update {chat}")
    apply = by_testid(page, "hfew-update-apply")
    expect(apply).to_be_disabled()
    max_replica = by_testid(page, "hfew-update-max_replica")
    expect(max_replica).to_have_value("1")
    expect(by_testid(page, "hfew-update-instance").locator("option")).not_to_have_count(
        0
    )

    sb.speed = 5.0  # the update rolls out in about a second
    max_replica.fill("3")
    expect(by_testid(page, "hfew-update-changes")).to_have_text(
        "Will send: max_replica = 3"
    )
    apply.click()
    expect(by_testid(page, "hfew-update-notice")).to_contain_text(
        f"Update sent to {chat} (max_replica 3)"
    )
    expect(row(page, chat).locator(".hfew-col-replicas")).to_contain_text("max 3")
    expect(row_status(page, chat)).to_have_attribute("data-status", "running")
    expect(max_replica).to_have_value("3")
    expect(apply).to_be_disabled()

    scaling = sb.get("chat-llm")["compute"]["scaling"]
    assert (scaling["minReplica"], scaling["maxReplica"]) == (1, 3)
    assert sb.requests.count("PUT", "/v2/endpoint/*/chat-llm") == 1
    expect(by_testid(page, "hfew-error")).to_be_hidden()
