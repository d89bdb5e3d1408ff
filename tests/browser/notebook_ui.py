"""Small helpers to drive a notebook in JupyterLab 4 or Notebook 7."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import nbformat

from .conftest import JUPYTER_TOKEN

URLS = {
    "lab": "{url}/lab/tree/{nb}?reset&token={token}",
    "notebook": "{url}/notebooks/{nb}?token={token}",
}
KERNEL_READY = """() => {
  const sc = window.jupyterapp?.shell?.currentWidget?.sessionContext;
  return !!(sc && sc.isReady && sc.session?.kernel
            && sc.kernelDisplayStatus === 'idle');
}"""
ALL_EXECUTED = """() => {
  const panel = window.jupyterapp?.shell?.currentWidget;
  const cells = panel?.content?.model?.cells;
  if (!cells || panel.sessionContext.kernelDisplayStatus !== 'idle') return false;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && cell.executionCount == null) return false;
  }
  return true;
}"""
KERNEL_IDLE = """() => {
  const sc = window.jupyterapp?.shell?.currentWidget?.sessionContext;
  return !!(sc && sc.kernelDisplayStatus === 'idle');
}"""


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write a notebook of code cells, with the kernelspec both UIs need."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(nb, path)
    return path


def copy_notebook(source: Path, root: Path, name: str) -> str:
    shutil.copy(source, root / name)
    return name


def open_notebook(page: Any, server_url: str, ui: str, name: str) -> Any:
    """Open a notebook, wait for its kernel, and return its cell locator."""
    page.goto(URLS[ui].format(url=server_url, nb=name, token=JUPYTER_TOKEN))
    cells = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")
    cells.first.wait_for(timeout=60_000)
    page.wait_for_function(KERNEL_READY, timeout=60_000)
    return cells


def run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()


def wait_idle(page: Any, timeout: float = 120_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout)


def wait_all_executed(page: Any, timeout: float = 120_000) -> None:
    """Wait until every code cell ran and the kernel is idle."""
    page.wait_for_function(ALL_EXECUTED, timeout=timeout)


def run_cell(page: Any, cells: Any, index: int) -> None:
    """Run one cell in place (Ctrl+Enter in its editor)."""
    cells.nth(index).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")


def save(page: Any) -> None:
    """Save the current notebook and return once the file is written."""
    page.evaluate(
        """async () => {
          await window.jupyterapp.commands.execute('docmanager:save');
          return true;
        }"""
    )


def set_dark_theme(page: Any, dark: bool) -> None:
    theme = "JupyterLab Dark" if dark else "JupyterLab Light"
    page.evaluate(
        "t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})",
        theme,
    )
    page.wait_for_function(
        "d => document.body.dataset.jpThemeLight === (d ? 'false' : 'true')",
        arg=dark,
    )
