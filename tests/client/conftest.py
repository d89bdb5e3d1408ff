from __future__ import annotations

from collections.abc import Iterator

import pytest

from hf_endpoint_widgets import EndpointsClient, _base

from ..support import FakeClock
from .fake_api import API, HUB, FakeAPI

__all__ = ["FakeClock"]


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


@pytest.fixture
def fake() -> FakeAPI:
    api = FakeAPI()
    api.add("alice", "my-bert")
    return api


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(fake: FakeAPI, clock: FakeClock) -> Iterator[EndpointsClient]:
    with EndpointsClient(
        fake.token,
        api_url=API,
        hub_url=HUB,
        transport=fake.transport(),
        clock=clock,
        sleep=clock.sleep,
    ) as c:
        yield c
