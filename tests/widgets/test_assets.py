"""The front-end files: present, self-contained, safe, themed, and type-checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hf_endpoint_widgets.widgets import (
    CreateEndpointForm,
    EndpointManager,
    StatusBadge,
    UpdateEndpointForm,
)
from hf_endpoint_widgets.widgets._assets import ASSETS

JS = Path(__file__).resolve().parents[2] / "js"
MODULES = ["manager.js", "badge.js", "forms.js"]


def test_widgets_load_their_files() -> None:
    for cls, name in [
        (EndpointManager, "manager.js"),
        (StatusBadge, "badge.js"),
        (CreateEndpointForm, "forms.js"),
        (UpdateEndpointForm, "forms.js"),
    ]:
        assert (ASSETS / name).is_file()
        assert "export default" in str(cls._esm)
        assert ".hfew-root" in str(cls._css)


def test_a_source_checkout_reads_js_directly() -> None:
    # An editable install has no static/ copy: edits to js/ show up without a
    # rebuild (the wheel's copy is checked in tests/packaging).
    if ASSETS != JS:
        pytest.skip("running from a built wheel")

    assert EndpointManager._esm._path == JS / "manager.js"
    assert StatusBadge._css._path == JS / "widgets.css"


@pytest.mark.parametrize("name", MODULES)
def test_modules_stand_alone_and_never_use_html_strings(name: str) -> None:
    text = (JS / name).read_text()
    assert text.startswith("// @ts-check")
    assert not re.search(r"^\s*import\s", text, re.MULTILINE)
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text
    assert "export default { render }" in text
    for message in re.findall(r"console\.\w+\(([^,)]+)", text):
        assert message.strip() == "PREFIX"


def test_css_classes_are_prefixed_and_colours_come_from_jupyter() -> None:
    css = (JS / "widgets.css").read_text()
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    classes = set(re.findall(r"\.([a-zA-Z][\w-]*)", body))
    assert classes and all(c.startswith("hfew-") for c in classes)
    for line in body.splitlines():
        for colour in re.findall(r"#[0-9a-fA-F]{3,8}\b", line):
            assert re.search(rf"var\(--jp-[\w-]+, {colour}\)", line), line
    assert "prefers-reduced-motion" in body


def test_test_ids_are_prefixed() -> None:
    for name in MODULES:
        text = (JS / name).read_text()
        ids = re.findall(r'(?:testid = |hook\()[`"]([^`"]+)[`"]', text)
        ids += re.findall(r'button\([^()]*, [`"]([^`"]+)[`"]\)', text)
        assert ids and all(i.startswith("hfew-") for i in ids), name


def test_typescript_check_passes() -> None:
    tsc = JS / "node_modules" / ".bin" / "tsc"
    if shutil.which("node") is None or not tsc.exists():
        pytest.skip("run `npm install` in js/ to type-check the front end")
    result = subprocess.run(
        [str(tsc), "--noEmit", "-p", "jsconfig.json"],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
