"""A change on the server reaches the page with no user action, in every mode.

* ``push``: the default in JupyterLab and Notebook 7; a poller thread sets traits.
* ``pull``: ``HFEW_PUSH=0``; no thread, only the page's timer asks for updates.
* ``colab``: a stand-in ``google.colab`` module; push turns itself off and the page
  keeps updating by pulling, as it must on Colab.
"""

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
    row_status,
)

pytestmark = pytest.mark.browser

PULL_ONLY = """\
import os

os.environ["HFEW_PUSH"] = "0"
"""
COLAB = """\
import sys
import types

colab = types.ModuleType("google.colab")
colab.output = types.ModuleType("google.colab.output")
colab.output.enable_custom_widget_manager = lambda: None
colab.output._widgets = types.SimpleNamespace(_installed_url=None)
sys.modules["google.colab"] = colab
sys.modules["google.colab.output"] = colab.output
"""
MODES = {
    "push": ("", "PUSH=True BADGE_PUSH=True THREAD=True COLAB=False"),
    "pull": (PULL_ONLY, "PUSH=False BADGE_PUSH=False THREAD=False COLAB=False"),
    "colab": (COLAB, "PUSH=False BADGE_PUSH=False THREAD=False COLAB=True"),
}
# How the widgets get their updates: push flags, whether a poller thread runs.
REPORT = """\
from hf_endpoint_widgets import _poller

thread = any(p._thread is not None for p in _poller.active_pollers())
print(
    f"PUSH={manager.push} BADGE_PUSH={badge.push} THREAD={thread} "
    f"COLAB={_poller.in_colab()}",
    end="",
)
"""


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_server_changes_reach_table_and_badge(jupyter, sb, page, ui, mode):
    before, report = MODES[mode]
    cells = [SETUP, before or "pass", MANAGER, BADGE, REPORT]
    located = open_widgets(page, jupyter, ui, f"live_{mode}", cells)
    expect(output(located, 4)).to_have_text(report)
    chat = row_status(page, f"{sb.namespace}/chat-llm")
    expect(chat).to_have_attribute("data-status", "running")
    expect(badge_status(page)).to_have_attribute("data-status", "running")

    sb.set_status("chat-llm", "failed", message="Out of memory")
    expect(chat).to_have_attribute("data-status", "failed")
    expect(chat).to_have_class("hfew-status hfew-status--error")
    expect(badge_status(page)).to_have_attribute("data-status", "failed")
    expect(by_testid(page, "hfew-badge")).to_have_attribute("title", "Out of memory")

    sb.set_status("chat-llm", "initializing")
    expect(chat).to_have_attribute("data-status", "initializing")
    expect(badge_status(page)).to_have_class(
        "hfew-status hfew-status--warn hfew-status--moving"
    )
    expect(by_testid(page, "hfew-badge").locator(".hfew-badge-replicas")).to_have_text(
        "0/1 replicas"
    )
