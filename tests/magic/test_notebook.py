"""``notebooks/inference.ipynb`` runs headless against the sandbox it starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("starlette")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "inference.ipynb"


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel imports this checkout and, with no HF_TOKEN, starts the sandbox."""
    for name in ("HF_TOKEN", "HF_INFERENCE_ENDPOINTS_API", "HF_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), path])))


def _outputs(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.extend(str(value) for value in output.get("data", {}).values())
        parts.append(output.get("evalue", ""))
    return "\n".join(parts)


@pytest.mark.sandbox
def test_inference_notebook_runs(kernel_env, tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"

    client = nbclient.NotebookClient(
        notebook,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    shown = {cell.source.split("\n")[0]: _outputs(cell) for cell in code}
    assert "image/png" in str([c.get("outputs") for c in code])
    assert "POSITIVE" in shown["%%infer sentiment"]
    assert "UsageError" in shown["%%infer napping"]
    assert "--resume" in shown["%%infer napping"]
    assert "Traceback" not in "".join(shown.values())
