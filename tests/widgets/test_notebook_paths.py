"""The quickstart's real-API branches, run against an account with no endpoints."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from hf_endpoint_widgets.widgets import EndpointManager

from .fakes import FakeClient

QUICKSTART = Path(__file__).parents[2] / "notebooks" / "quickstart.ipynb"


def code_cells() -> list[str]:
    notebook = nbformat.read(QUICKSTART, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def test_the_badge_cells_handle_an_account_with_no_endpoints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cells = code_cells()
    start = next(i for i, source in enumerate(cells) if "StatusBadge(" in source)
    manager = EndpointManager(FakeClient(), push=False)  # type: ignore[arg-type]
    namespace: dict[str, object] = {"sb": None, "manager": manager}

    for source in cells[start : start + 2]:
        exec(compile(source, str(QUICKSTART), "exec"), namespace)

    assert namespace["badge"] is None
    assert "No endpoint to wait for yet." in capsys.readouterr().out
