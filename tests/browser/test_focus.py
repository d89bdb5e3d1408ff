"""Keyboard focus in the manager's table survives the updates that keep arriving."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .widgets_ui import MANAGER, SETUP, by_testid, open_widgets, row, row_status

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_a_focused_checkbox_keeps_focus_while_statuses_change(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "focus", [SETUP, MANAGER])
    chat = f"{sb.namespace}/chat-llm"
    embedder = f"{sb.namespace}/embedder"
    by_testid(page, "hfew-sort-status").click()  # so a new status moves rows
    box = row(page, embedder).locator("input[type=checkbox]")
    box.focus()
    expect(box).to_be_focused()

    sb.set_status("chat-llm", "initializing")  # another row changes and moves up
    expect(row_status(page, chat)).to_have_attribute("data-status", "initializing")
    expect(box).to_be_focused()

    sb.set_status("embedder", "running")  # the focused row itself changes and moves
    expect(row_status(page, embedder)).to_have_attribute("data-status", "running")
    expect(box).to_be_focused()

    page.keyboard.press("Space")  # the keyboard still works on the same endpoint
    expect(box).to_be_checked()
    expect(row(page, embedder)).to_have_class("hfew-row hfew-row--selected")
