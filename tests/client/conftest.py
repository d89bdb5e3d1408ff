from __future__ import annotations

from collections.abc import Iterator

import pytest

from hf_endpoint_widgets import EndpointsClient, _base

from .fake_api import API, HUB, FakeAPI


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


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
