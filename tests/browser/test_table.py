"""The manager's table in a real page: seeded rows, sorting, selection from Python."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import SEEDED
from .widgets_ui import MANAGER, SETUP, by_testid, open_widgets, row, row_status

pytestmark = pytest.mark.browser

SELECT = 'manager.selected = ["embedder"]'


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_table_shows_the_seeded_endpoints(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "table", [SETUP, MANAGER, SELECT])
    ns = sb.namespace

    rows = by_testid(page, "hfew-row")
    expect(rows).to_have_count(len(SEEDED))
    by_name = [f"{ns}/{name}" for name in sorted(SEEDED)]
    for index, endpoint_id in enumerate(by_name):
        expect(rows.nth(index)).to_have_attribute("data-id", endpoint_id)
    for name, (_task, status) in SEEDED.items():
        expect(row_status(page, f"{ns}/{name}")).to_have_attribute(
            "data-status", status
        )
    expect(row_status(page, f"{ns}/chat-llm")).to_have_class(
        "hfew-status hfew-status--success"
    )
    expect(page.locator(".hfew-title")).to_have_text(f"Inference Endpoints · {ns}")
    expect(by_testid(page, "hfew-cost")).to_contain_text("across 2 running endpoints")
    expect(by_testid(page, "hfew-live")).to_contain_text("Checked every 1 s")
    expect(by_testid(page, "hfew-empty")).to_be_hidden()
    expect(by_testid(page, "hfew-error")).to_be_hidden()

    # The selection made in Python ticks the row, and enables what applies to it.
    selected = row(page, f"{ns}/embedder")
    expect(selected).to_have_class("hfew-row hfew-row--selected")
    expect(selected.locator("input[type=checkbox]")).to_be_checked()
    expect(by_testid(page, "hfew-action-resume")).to_be_enabled()
    expect(by_testid(page, "hfew-action-pause")).to_be_disabled()

    # Sorting happens in the page: by status, running endpoints come first.
    by_testid(page, "hfew-sort-status").click()
    expect(page.locator("th.hfew-col-status")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows.nth(0).locator(".hfew-status")).to_have_attribute(
        "data-status", "running"
    )
    expect(rows.nth(3).locator(".hfew-status")).to_have_attribute(
        "data-status", "paused"
    )

    # So does filtering.
    by_testid(page, "hfew-filter").fill("summar")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-id", f"{ns}/summarizer")
