"""The notebooks run headless against the sandbox they start, again and again."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from hf_endpoint_widgets.widgets._base import FRESH_AGE

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("starlette")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "inference.ipynb"
QUICKSTART = ROOT / "notebooks" / "quickstart.ipynb"


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


@pytest.mark.sandbox
@pytest.mark.parametrize("path", [QUICKSTART, NOTEBOOK], ids=lambda p: p.stem)
def test_a_notebook_runs_twice_in_one_kernel(kernel_env, tmp_path, path):
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    first = []
    with client.setup_kernel():
        for run in range(2):
            time.sleep(FRESH_AGE)  # a person reads the outputs before running again
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            code = [c for c in notebook.cells if c.cell_type == "code"]
            outputs = [_outputs(cell) for cell in code]
            if run == 0:
                first = outputs
                continue
            # The second run reused the sandbox and started from the same endpoints,
            # instead of taking the sandbox's HF_TOKEN for a real one.
            assert "Traceback" not in "".join(outputs)
            assert "real API" not in "".join(outputs)
            port = re.compile(r":\d+")
            assert port.sub(":N", outputs[0]) == port.sub(":N", first[0])
