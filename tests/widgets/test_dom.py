"""Render the front end in jsdom (Node) with a fake model: no browser needed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
JS = HERE.parents[1] / "js"


def test_widgets_render_and_behave_in_jsdom() -> None:
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "jsdom").is_dir():
        pytest.skip("needs node and `npm install` in js/")
    result = subprocess.run(
        [node, str(HERE / "dom_smoke.mjs"), str(JS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dom smoke: ok" in result.stdout
