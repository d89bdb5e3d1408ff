"""``notebooks/quickstart.ipynb`` runs top to bottom as a new user would run it.

It runs on a server whose kernels get no token, so the notebook starts its own
sandbox.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from hf_endpoint_widgets.sandbox._backend import DEFAULT_TOKEN

from .conftest import ROOT, delete_sessions
from .notebook_ui import open_notebook, run_all, save, wait_all_executed
from .widgets_ui import by_testid, row, stderr_outputs

pytestmark = pytest.mark.browser

QUICKSTART = ROOT / "notebooks" / "quickstart.ipynb"
CREATED = "sandbox-user/quickstart-gpt2"


@pytest.fixture
def bare(bare_jupyter) -> Iterator[dict[str, Any]]:
    yield bare_jupyter
    delete_sessions(bare_jupyter["url"])


def test_quickstart_is_committed_clean():
    nb = json.loads(QUICKSTART.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code)
    assert "widgets" not in nb["metadata"]
    assert DEFAULT_TOKEN not in QUICKSTART.read_text()


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_quickstart_runs_top_to_bottom(bare, page, ui):
    name = f"quickstart_{ui}.ipynb"
    shutil.copy(QUICKSTART, bare["root"] / name)
    open_notebook(page, bare["url"], ui, name)
    run_all(page)
    wait_all_executed(page)

    expect(stderr_outputs(page)).to_have_count(0)
    outputs = page.locator(".jp-OutputArea-output")
    expect(outputs.locator("table.dataframe, table[id^='T_']")).to_have_count(2)
    expect(by_testid(page, "hfew-manager")).to_have_count(1)
    expect(by_testid(page, "hfew-form")).to_have_count(1)
    expect(by_testid(page, "hfew-update")).to_have_count(1)
    expect(by_testid(page, "hfew-badge")).to_have_count(2)

    # Python selected the paused endpoint, then resumed it.
    embedder = row(page, "sandbox-user/embedder")
    expect(embedder.locator("input[type=checkbox]")).to_be_checked()
    expect(embedder.locator(".hfew-status")).to_have_attribute("data-status", "running")
    # The endpoint created from Python is in the table, and its badge followed it
    # to running.
    created = row(page, CREATED)
    expect(created.locator(".hfew-status")).to_have_attribute("data-status", "running")
    new_badge = by_testid(page, "hfew-badge").filter(has_text=CREATED)
    expect(new_badge.locator(".hfew-status")).to_have_attribute(
        "data-status", "running"
    )
    expect(outputs.filter(has_text=f"{CREATED} is running")).to_have_count(1)
    # The update from Python reached the server and the table.
    updated = "sandbox-user/chat-llm: max_replica=2, updating"
    expect(outputs.filter(has_text=updated)).to_have_count(1)
    chat = row(page, "sandbox-user/chat-llm")
    expect(chat.locator(".hfew-col-replicas")).to_contain_text("max 2")

    # Neither the page nor the saved file show the sandbox's token.
    assert DEFAULT_TOKEN not in page.content()
    save(page)
    assert DEFAULT_TOKEN not in (bare["root"] / name).read_text()
