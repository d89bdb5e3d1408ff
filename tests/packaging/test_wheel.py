"""The built wheel carries the front end: each widget's ES module is inside the
installed package (not read from a source tree) and loads in a JavaScript runtime."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGETS = ("EndpointManager", "StatusBadge", "CreateEndpointForm")

CHECK = """
import json, sys
import hf_endpoint_widgets
from hf_endpoint_widgets import widgets
report = {"package": hf_endpoint_widgets.__file__, "widgets": {}}
for name in sys.argv[1:]:
    cls = getattr(widgets, name)
    esm, css = cls._esm, cls._css
    report["widgets"][name] = {
        "esm_path": str(getattr(esm, "_path", "")),
        "esm": str(esm),
        "css": str(css),
    }
print(json.dumps(report))
"""

LOAD = """
const path = process.argv[1];
import(path).then((m) => {
  const api = m.default;
  if (!api || typeof api.render !== "function") {
    console.error("no default export with render()");
    process.exit(1);
  }
}).catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_contains_every_front_end_file(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()

    for source in (ROOT / "js").glob("*.[jc]s*"):
        if source.suffix in (".js", ".css"):
            assert f"hf_endpoint_widgets/static/{source.name}" in names


def test_installed_wheel_loads_each_widget_module(wheel: Path, tmp_path: Path) -> None:
    node = shutil.which("node")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip

    result = subprocess.run(
        [str(python), "-c", CHECK, *WIDGETS],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    report = json.loads(result.stdout)

    assert str(venv) in report["package"]
    for name in WIDGETS:
        info = report["widgets"][name]
        assert "/static/" in info["esm_path"] and str(venv) in info["esm_path"]
        assert "export default" in info["esm"] and ".hfew-" in info["css"]
        if node:
            module = tmp_path / f"{name}.mjs"
            module.write_text(info["esm"])
            subprocess.run([node, "-e", LOAD, str(module)], check=True)
