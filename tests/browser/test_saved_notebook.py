"""A notebook saved with live widgets holds their state, and never the token."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .notebook_ui import save
from .widgets_ui import BADGE, MANAGER, SETUP, by_testid, open_widgets, row_status

pytestmark = pytest.mark.browser

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_saved_notebook_holds_no_token(jupyter, sb, page, ui):
    open_widgets(page, jupyter, ui, "saved", [SETUP, MANAGER, BADGE])
    expect(row_status(page, f"{sb.namespace}/chat-llm")).to_have_attribute(
        "data-status", "running"
    )
    by_testid(page, "hfew-new").click()
    expect(by_testid(page, "hfew-form")).to_be_visible()
    expect(by_testid(page, "hfew-field-instance")).to_have_value(
        "aws-us-east-1-intel-icl-x1"
    )

    save(page)
    text = (jupyter["root"] / f"saved_{ui}.ipynb").read_text()
    assert sb.token not in text
    assert sb.token not in page.content()

    # The check above covered the widgets' state: it was saved in the file.
    state = json.loads(text)["metadata"]["widgets"][WIDGET_STATE]["state"]
    saved = [m["state"] for m in state.values() if m["model_name"] == "AnyModel"]
    names = {m["_anywidget_id"].rsplit(".", 1)[-1] for m in saved}
    assert {"EndpointManager", "StatusBadge", "CreateEndpointForm"} <= names
    manager = next(m for m in saved if "endpoints" in m)
    assert {row["name"] for row in manager["endpoints"]} >= {"chat-llm", "embedder"}
    form = next(m for m in saved if "hardware" in m)
    assert form["hardware"], "the form's catalog was saved too"
