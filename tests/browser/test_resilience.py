"""What the server sends cannot break the page: 5xx bursts and HTML in messages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .widgets_ui import (
    BADGE,
    MANAGER,
    SETUP,
    badge_status,
    by_testid,
    open_widgets,
    output,
    row,
    row_status,
)

pytestmark = pytest.mark.browser

# The client tries a GET 4 times (3 retries): 8 failures make two polls fail.
BURST = 8
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '<script>alert(2)</script><b id="hfew-injected">bold</b>'
TABLE = """\
from hf_endpoint_widgets import endpoints_dataframe, style_endpoints

style_endpoints(endpoints_dataframe()[["name", "status", "message"]])
"""


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_5xx_burst_shows_an_error_then_recovers(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "burst", [SETUP, MANAGER])
    chat = f"{sb.namespace}/chat-llm"
    error = by_testid(page, "hfew-error")
    expect(row_status(page, chat)).to_have_attribute("data-status", "running")
    expect(error).to_be_hidden()

    sb.faults(target="management", fail_next=BURST)
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        f"Could not refresh the endpoints of {sb.namespace}: HTTP 503"
    )
    # The poller backs off: 1 s after the first failed poll, 2 s after the second.
    expect(error).to_contain_text("Retrying in 1 s.")
    expect(error).to_contain_text("Retrying in 2 s.")
    expect(error).to_be_hidden(timeout=30_000)
    # The rows stayed on screen, and updates flow again.
    expect(by_testid(page, "hfew-row")).to_have_count(4)
    sb.set_status("chat-llm", "paused")
    expect(row_status(page, chat)).to_have_attribute("data-status", "paused")
    failed = [r for r in sb.requests.entries if r.status == 503]
    assert len(failed) == BURST
    assert {r.path for r in failed} == {f"/v2/endpoint/{sb.namespace}"}


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_html_in_server_messages_stays_text(jupyter, sb, page, ui):
    sb.set_status("chat-llm", "failed", message=IMG)
    cells = open_widgets(page, jupyter, ui, "html", [SETUP, MANAGER, BADGE, TABLE])
    chat = f"{sb.namespace}/chat-llm"
    summarizer = f"{sb.namespace}/summarizer"

    # The message arrives as data: a tooltip, an accessible label, searchable text.
    expect(row(page, chat).locator(".hfew-col-status")).to_have_attribute("title", IMG)
    expect(by_testid(page, "hfew-badge")).to_have_attribute("title", IMG)
    expect(badge_status(page)).to_have_attribute("aria-label", f"failed: {IMG}")
    # The DataFrame shows it as visible, literal text.
    expect(output(cells, 3)).to_contain_text(IMG)

    # A message that changes while the page is open is text too.
    sb.set_status("summarizer", "updateFailed", message=SCRIPT)
    expect(row_status(page, summarizer)).to_have_attribute(
        "data-status", "updateFailed"
    )
    expect(row(page, summarizer).locator(".hfew-col-status")).to_have_attribute(
        "title", SCRIPT
    )
    by_testid(page, "hfew-filter").fill("onerror")
    expect(by_testid(page, "hfew-row")).to_have_count(1)
    expect(by_testid(page, "hfew-row")).to_have_attribute("data-id", chat)

    outputs = page.locator(".jp-OutputArea-output")
    expect(outputs.locator("img")).to_have_count(0)
    expect(outputs.locator("script")).to_have_count(0)
    expect(page.locator("#hfew-injected")).to_have_count(0)
    assert page.dialogs == []
