"""Notebooks with the widgets, and locators for their stable hooks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .notebook_ui import open_notebook, run_all, write_notebook

# First cell of every test notebook. Endpoints are re-checked every second
# (instead of every 2 s while one moves and every 30 s when all are stable), so a
# change made in the sandbox shows up in about a second.
SETUP = """\
from hf_endpoint_widgets import _poller

_poller.FAST_INTERVAL = _poller.SLOW_INTERVAL = 1.0
"""
MANAGER = """\
from hf_endpoint_widgets import EndpointManager

manager = EndpointManager()
manager
"""
BADGE = """\
from hf_endpoint_widgets import StatusBadge

badge = StatusBadge("chat-llm")
badge
"""
# Print without a trailing newline, so the output reads exactly e.g. "PUSH=True".
MODE = 'print(f"PUSH={manager.push} BADGE_PUSH={badge.push}", end="")'


def by_testid(page: Any, name: str) -> Any:
    return page.locator(f'[data-testid="{name}"]')


def row(page: Any, endpoint_id: str) -> Any:
    """The manager's table row of ``"namespace/name"``."""
    return page.locator(f'[data-testid="hfew-row"][data-id="{endpoint_id}"]')


def row_status(page: Any, endpoint_id: str) -> Any:
    return row(page, endpoint_id).locator(".hfew-status")


def badge_status(page: Any) -> Any:
    return by_testid(page, "hfew-badge-status")


def output(cells: Any, index: int) -> Any:
    return cells.nth(index).locator(".jp-OutputArea-output")


def stderr_outputs(page: Any) -> Any:
    """Outputs on stderr: tracebacks, warnings and logged errors."""
    return page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )


def open_widgets(
    page: Any, server: dict[str, Any], ui: str, name: str, cells: list[str]
) -> Any:
    """Write a notebook of ``cells`` into the server root, open it in ``ui``, run
    every cell, and return the cell locator once the first widget rendered."""
    nb = f"{name}_{ui}.ipynb"
    write_notebook(server["root"] / nb, cells)
    located = open_notebook(page, server["url"], ui, nb)
    run_all(page)
    page.locator(".hfew-root").first.wait_for(timeout=60_000)
    return located


def state(sb: Any, name: str) -> str:
    """The status of ``name`` in the sandbox ("" once deleted)."""
    try:
        return str(sb.get(name)["status"]["state"])
    except KeyError:
        return ""


def eventually(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy, like ``expect`` does for
    the page; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {check}")
        time.sleep(0.1)
    return result
