"""Fixtures that drive JupyterLab 4 and Notebook 7 in headless Chromium.

One Jupyter server serves both UIs; its kernels reach a sandbox that runs in the
test process, so tests can change endpoints behind the widgets' back. Every test
gets its own notebook (its own kernel) and its sessions are deleted afterwards. A
second server, started only when a test asks for it, gives its kernels no token
at all, as on a new user's machine.

Pages may only reach loopback; JavaScript errors and dialogs fail the test.
Screenshots and, on failure, Playwright traces land in ``artifacts/browser/``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
JUPYTER_TOKEN = "e2e-jupyter-token"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Notebook 7 raises these on every load, with or without widgets.
KNOWN_PAGE_ERRORS = ("reading 'schema'", "not registered")
# Variables a kernel must not inherit from the test process unless a server sets them.
KERNEL_ENV = ("HF_TOKEN", "HF_INFERENCE_ENDPOINTS_API", "HF_ENDPOINT", "HFEW_PUSH")
# User settings of every test server: widget state is saved with the notebook, so
# tests can check what that state holds.
USER_SETTINGS = {
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {
        "saveState": True
    },
}
# Endpoints every test starts with: name -> (task, status).
SEEDED = {
    "chat-llm": ("text-generation", "running"),
    "embedder": ("feature-extraction", "paused"),
    "classifier": ("text-classification", "scaledToZero"),
    "summarizer": ("summarization", "running"),
}


def chromium_path() -> str:
    found = os.environ.get("HFEW_CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_jupyter(base: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start ``jupyter lab`` on a free loopback port; return it and its URL."""
    (base / "config" / "labconfig").mkdir(parents=True)
    for name, values in USER_SETTINGS.items():
        path = base / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    (base / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps(
            {
                "disabledExtensions": {
                    "@jupyterlab/apputils-extension:announcements": True
                }
            }
        )
    )
    port = _free_port()
    full_env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        **env,
    }
    for name in KERNEL_ENV:
        if name not in env:
            full_env.pop(name, None)
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={JUPYTER_TOKEN}",
        f"--ServerApp.root_dir={base / 'root'}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        f"--LabApp.workspaces_dir={base / 'ws'}",
        f"--JupyterNotebookApp.workspaces_dir={base / 'ws'}",
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--JupyterNotebookApp.user_settings_dir={base / 'settings'}",
        "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
    ]  # fmt: skip
    (base / "root").mkdir(exist_ok=True)
    log = open(base / "server.log", "w")
    proc = subprocess.Popen(cmd, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((base / "server.log").read_text())
        try:
            urllib.request.urlopen(f"{url}/api/status?token={JUPYTER_TOKEN}", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("Jupyter did not start within 60 s")


def stop_jupyter(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def delete_sessions(url: str) -> None:
    """Shut down every kernel session of a server."""
    headers = {"Authorization": f"token {JUPYTER_TOKEN}"}
    request = urllib.request.Request(f"{url}/api/sessions", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        delete = urllib.request.Request(
            f"{url}/api/sessions/{session['id']}", headers=headers, method="DELETE"
        )
        urllib.request.urlopen(delete, timeout=10).close()


@pytest.fixture(scope="package")
def sandbox_server() -> Iterator[Any]:
    """The sandbox the notebooks' kernels talk to, with a token of its own so
    tests can look for it in pages and files."""
    from hf_endpoint_widgets import sandbox

    token = f"hf_e2e_{secrets.token_hex(16)}"
    with sandbox.start(speed=1.0, token=token) as sb:
        yield sb


@pytest.fixture
def sb(sandbox_server) -> Iterator[Any]:
    """The session sandbox, reset to the :data:`SEEDED` endpoints at speed 1."""
    sandbox_server.reset()
    sandbox_server.speed = 1.0
    for name, (task, status) in SEEDED.items():
        sandbox_server.seed(name, task=task, status=status)
    yield sandbox_server
    sandbox_server.clear_faults()


@pytest.fixture(scope="package")
def jupyter(tmp_path_factory, sandbox_server) -> Iterator[dict[str, Any]]:
    """A Jupyter server whose kernels target the sandbox through the environment,
    so the token never has to be written in a notebook."""
    base = tmp_path_factory.mktemp("jupyter")
    env = {
        "HF_TOKEN": sandbox_server.token,
        "HF_INFERENCE_ENDPOINTS_API": sandbox_server.url,
        "HF_ENDPOINT": sandbox_server.url,
        "PYTHONPATH": str(ROOT),
    }
    proc, url = start_jupyter(base, env)
    yield {"url": url, "root": base / "root", "proc": proc}
    stop_jupyter(proc)


@pytest.fixture(scope="package")
def bare_jupyter(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """A Jupyter server whose kernels get no token and no API address: a notebook
    run there starts its own sandbox, as a new user's would."""
    base = tmp_path_factory.mktemp("bare-jupyter")
    proc, url = start_jupyter(base, {"PYTHONPATH": str(ROOT)})
    yield {"url": url, "root": base / "root", "proc": proc}
    stop_jupyter(proc)


# Package scope: Playwright's sync API leaves an event loop running on the main
# thread while it is open, so it must be closed before the other packages' tests.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request, jupyter) -> Iterator[Any]:
    """A fresh page that may only reach loopback; page errors fail the test."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    scheme = getattr(request, "param", "light")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=scheme
    )
    context.set_default_timeout(30_000)
    context.route(
        re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:).*"),
        lambda route: route.abort(),
    )
    context.tracing.start(screenshots=True, snapshots=True)
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda exc: errors.append(str(exc)))
    new_page.page_errors = errors
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    new_page.on("dialog", on_dialog)
    new_page.dialogs = dialogs
    yield new_page

    failed = getattr(request.node, "rep_call", None)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    if failed is not None and failed.failed:
        new_page.screenshot(path=str(ARTIFACTS / f"FAILED_{name}.png"))
        context.tracing.stop(path=str(ARTIFACTS / f"trace_{name}.zip"))
    else:
        context.tracing.stop()
    context.close()
    delete_sessions(jupyter["url"])
    unexpected = [e for e in errors if not any(k in e for k in KNOWN_PAGE_ERRORS)]
    assert not unexpected, f"JavaScript errors on the page: {unexpected}"
    assert not dialogs, f"Dialogs opened on the page: {dialogs}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
