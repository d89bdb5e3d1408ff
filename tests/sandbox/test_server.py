"""Ways to run the sandbox: in process, state file, CLI, pytest fixture, imports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from hf_endpoint_widgets import sandbox
from hf_endpoint_widgets.sandbox import Sandbox

from .bodies import create_body

pytestmark = pytest.mark.sandbox

ROOT = Path(__file__).resolve().parents[2]
ENV_KEYS = ("HF_INFERENCE_ENDPOINTS_API", "HF_ENDPOINT", "HF_TOKEN")


def _python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return env


def test_starts_fast_and_stop_joins_the_thread() -> None:
    started = time.perf_counter()
    sb = sandbox.start(speed=0)
    elapsed = time.perf_counter() - started
    thread = sb._thread

    assert elapsed < 1.0
    assert httpx2.get(f"{sb.url}/v2/provider").status_code == 200
    sb.stop()
    assert thread is not None and not thread.is_alive()
    assert not sb.running
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{sb.url}/v2/provider")


def test_activate_sets_and_restores_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_mine")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    monkeypatch.delenv("HF_INFERENCE_ENDPOINTS_API", raising=False)

    assert sandbox.active() is None
    with sandbox.start(speed=0, activate=True) as sb:
        assert [os.environ[key] for key in ENV_KEYS] == [sb.url, sb.url, sb.token]
        assert sandbox.active() is sb
        sb.deactivate()
        assert os.environ["HF_TOKEN"] == "hf_mine"
        assert sandbox.active() is None
        sb.activate()
    assert sandbox.active() is None
    assert os.environ["HF_TOKEN"] == "hf_mine"
    assert "HF_ENDPOINT" not in os.environ
    assert "HF_INFERENCE_ENDPOINTS_API" not in os.environ


def test_activations_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_mine")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    first = sandbox.start(speed=0, activate=True)
    second = third = None
    try:
        second = sandbox.start(speed=0, activate=True)
        assert sandbox.active() is second
        second.stop()
        assert sandbox.active() is first
        assert os.environ["HF_ENDPOINT"] == first.url

        third = sandbox.start(speed=0, activate=True)
        first.stop()
        assert sandbox.active() is third
        assert os.environ["HF_ENDPOINT"] == third.url
        third.stop()
        assert sandbox.active() is None
        assert os.environ["HF_TOKEN"] == "hf_mine"
        assert "HF_ENDPOINT" not in os.environ
    finally:
        for running in (first, second, third):
            if running is not None:
                running.stop()


def test_speed_is_settable(sb: Sandbox) -> None:
    sb.speed = 1000.0
    sb.seed("fast", status="pending")
    time.sleep(0.02)

    assert sb.get("fast")["status"]["state"] == "running"
    assert sb.speed == 1000.0


def test_client_property(sb: Sandbox) -> None:
    sb.seed("listed")

    endpoints = sb.client.list_inference_endpoints()
    assert [endpoint.name for endpoint in endpoints] == ["listed"]
    assert sb.client is sb.client


def test_state_file_round_trip(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with sandbox.start(speed=0, state_file=state) as first:
        first.seed("kept", task="text-classification", env={"A": "1"})
        headers = {"authorization": f"Bearer {first.token}"}
        url = f"{first.url}/v2/endpoint/{first.namespace}"
        httpx2.post(url, json=create_body("deploying"), headers=headers)
        before = first.get("kept")
    saved = json.loads(state.read_text())
    assert {item["spec"]["name"] for item in saved["endpoints"]} == {
        "kept",
        "deploying",
    }

    with sandbox.start(speed=0, state_file=state) as second:
        after = second.get("kept")
        assert after["status"]["createdAt"] == before["status"]["createdAt"]
        assert after["model"]["env"] == {"A": "1"}
        assert second.get("deploying")["status"]["state"] == "pending"
        second.advance(5)
        assert second.get("deploying")["status"]["state"] == "running"
        second.delete("kept")
    names = {
        item["spec"]["name"] for item in json.loads(state.read_text())["endpoints"]
    }
    assert names == {"deploying"}


def test_inference_requests_reach_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"

    def saved() -> dict:
        (item,) = json.loads(state.read_text())["endpoints"]
        return dict(item)

    with sandbox.start(speed=0, state_file=state) as sb:
        sb.seed("idle", task="text-classification", scale_to_zero_timeout=15)
        headers = {"authorization": f"Bearer {sb.token}"}
        sb.advance(600)
        url = sb.endpoint_url("idle")
        assert httpx2.post(url, json={"inputs": "x"}, headers=headers).is_success
        # Read before stop(), which saves anyway: a killed sandbox keeps this too.
        assert saved()["lastRequest"] - saved()["since"] == 600
        sb.advance(30)
        httpx2.post(url, json={"inputs": "x"}, headers=headers)
        assert saved()["lastRequest"] - saved()["since"] == 600
        sb.advance(35)
        httpx2.post(url, json={"inputs": "x"}, headers=headers)
        assert saved()["lastRequest"] - saved()["since"] == 665


def test_cli_prints_url_token_and_exports(tmp_path: Path) -> None:
    state = tmp_path / "cli.json"
    command = [
        sys.executable,
        "-m",
        "hf_endpoint_widgets.sandbox",
        "--port",
        "0",
        "--seed-demo",
        "--state-file",
        str(state),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_python_env(),
    )
    try:
        assert process.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Press Ctrl+C"):
            line = process.stdout.readline()
            assert line, "the CLI exited early"
            lines.append(line.strip())
        output = "\n".join(lines)
        url = lines[0].rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        assert f"export HF_INFERENCE_ENDPOINTS_API={url}" in output
        assert "export HF_TOKEN=hf_sandbox_" in output
        token = output.split("export HF_TOKEN=")[1].split()[0]
        headers = {"authorization": f"Bearer {token}"}
        listed = httpx2.get(f"{url}/v2/endpoint/sandbox-user", headers=headers).json()
        states = {item["name"]: item["status"]["state"] for item in listed["items"]}
        assert states["gpt2-demo"] == "running"
        assert states["whisper"] == "paused"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert "gpt2-demo" in state.read_text()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_python_env(),
        timeout=60,
    )


def test_plugin_import_is_cheap_and_the_sandbox_avoids_jupyter() -> None:
    code = """
import sys
import hf_endpoint_widgets.sandbox.pytest_plugin
assert "starlette" not in sys.modules and "uvicorn" not in sys.modules
from hf_endpoint_widgets import sandbox
sandbox.start(speed=0).stop()
jupyter = {"ipywidgets", "IPython", "anywidget"} & set(sys.modules)
assert not jupyter, jupyter
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr


def test_missing_extra_names_the_install_command() -> None:
    code = """
import sys
sys.modules["starlette"] = None
from hf_endpoint_widgets import sandbox
try:
    sandbox.start
except ImportError as exc:
    print(exc)
"""
    result = _run(code)
    assert 'pip install "hf-endpoint-widgets[sandbox]"' in result.stdout, result.stderr
