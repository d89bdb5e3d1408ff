from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hf_endpoint_widgets import EndpointsClient, _base

from ..support import FakeClock
from .fake_api import TOKEN, FakeAPI
from .sandbox_api import SandboxAPI

__all__ = ["FakeClock", "mock_only"]

#: For tests that script the in-memory fake (exact responses, routing tricks).
mock_only = pytest.mark.mock_only


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses ``api`` against the fake and the sandbox, except
    those marked ``mock_only``."""
    if "api" in metafunc.fixturenames:
        only_mock = metafunc.definition.get_closest_marker("mock_only") is not None
        backends = ["mock"] if only_mock else ["mock", "sandbox"]
        metafunc.parametrize("api", backends, indirect=True)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for var in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_TOKEN_PATH",
        "HF_INFERENCE_ENDPOINTS_API",
        "HF_ENDPOINT",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    _base._whoami_cache.clear()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[Any]:
    """A sandbox whose clock only moves when a test's client sleeps."""
    sandbox = pytest.importorskip("hf_endpoint_widgets.sandbox")
    with sandbox.start(speed=0.0, namespace="alice", org="acme", token=TOKEN) as sb:
        yield sb


@pytest.fixture
def api(request: pytest.FixtureRequest) -> FakeAPI | SandboxAPI:
    """The API the client talks to: the in-memory fake, or the sandbox over HTTP."""
    backend: FakeAPI | SandboxAPI
    if request.param == "mock":
        backend = FakeAPI()
    else:
        backend = SandboxAPI(request.getfixturevalue("sandbox_server"))
    backend.add("alice", "my-bert")
    return backend


@pytest.fixture
def fake(api: FakeAPI | SandboxAPI) -> FakeAPI:
    assert isinstance(api, FakeAPI), "mark the test mock_only"
    return api


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(api: FakeAPI | SandboxAPI, clock: FakeClock) -> Iterator[EndpointsClient]:
    with EndpointsClient(
        api.token,
        api_url=api.api_url,
        hub_url=api.hub_url,
        transport=api.transport(),
        clock=clock,
        sleep=api.sleeper(clock),
    ) as c:
        yield c
