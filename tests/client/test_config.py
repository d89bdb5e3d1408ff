from __future__ import annotations

import sys
import types

import pytest

from hf_endpoint_widgets import _config
from hf_endpoint_widgets._api import default_client
from hf_endpoint_widgets._config import resolve_api_url, resolve_hub_url, resolve_token


@pytest.fixture
def token_file(tmp_path, monkeypatch):
    path = tmp_path / "hf_home" / "token"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("hf_from_file\n")
    return path


@pytest.fixture
def colab(monkeypatch):
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    userdata = types.ModuleType("google.colab.userdata")
    userdata.get = lambda key: {"HF_TOKEN": "hf_from_colab"}[key]
    colab.userdata = userdata
    google.colab = colab
    for name, module in (
        ("google", google),
        ("google.colab", colab),
        ("google.colab.userdata", userdata),
    ):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(_config, "_colab_read", False)
    monkeypatch.setattr(_config, "_colab_token", None)
    return userdata


def test_token_order(monkeypatch, token_file, colab) -> None:
    assert resolve_token("hf_explicit") == "hf_explicit"
    assert resolve_token(False) is None

    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", "hf_legacy")
    monkeypatch.setenv("HF_TOKEN", " hf_env \n")
    assert resolve_token() == "hf_env"

    monkeypatch.delenv("HF_TOKEN")
    assert resolve_token() == "hf_legacy"

    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN")
    assert resolve_token() == "hf_from_file"

    token_file.unlink()
    assert resolve_token() == "hf_from_colab"


def test_token_path_env_wins(monkeypatch, tmp_path) -> None:
    other = tmp_path / "elsewhere"
    other.write_text("hf_other")
    monkeypatch.setenv("HF_TOKEN_PATH", str(other))

    assert resolve_token() == "hf_other"


def test_colab_secret_is_read_once_and_never_from_threads(colab) -> None:
    import threading

    calls = []
    colab.get = lambda key: calls.append(key) or "hf_from_colab"
    seen = []
    worker = threading.Thread(target=lambda: seen.append(resolve_token()))
    worker.start()
    worker.join()

    assert seen == [None] and calls == []
    assert resolve_token() == resolve_token() == "hf_from_colab"
    assert calls == ["HF_TOKEN"]


def test_colab_refusal_means_no_token(colab) -> None:
    def refuse(key):
        raise RuntimeError("NotebookAccessError")

    colab.get = refuse

    assert resolve_token() is None


def test_urls_from_arguments_env_and_defaults(monkeypatch) -> None:
    assert resolve_api_url() == "https://api.endpoints.huggingface.cloud"
    assert resolve_hub_url() == "https://huggingface.co"

    monkeypatch.setenv("HF_INFERENCE_ENDPOINTS_API", "http://127.0.0.1:9/v2/")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9/")
    assert resolve_api_url() == "http://127.0.0.1:9"
    assert resolve_hub_url() == "http://127.0.0.1:9"
    assert resolve_api_url("http://x") == "http://x"


def test_default_client_follows_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINTS_API", "http://one")
    first = default_client()
    assert default_client() is first

    monkeypatch.setenv("HF_INFERENCE_ENDPOINTS_API", "http://two")
    second = default_client()
    assert second is not first and second.api_url == "http://two"
