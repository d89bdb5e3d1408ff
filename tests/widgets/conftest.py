from __future__ import annotations

import threading
from collections.abc import Iterator

import comm
import pytest

from hf_endpoint_widgets import _poller

from .fakes import FakeClient, RecordingComm


def poller_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("hfew-poller")]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("HFEW_PUSH", raising=False)
    monkeypatch.setattr(comm, "create_comm", RecordingComm)
    yield
    for poller in _poller.active_pollers():
        poller.stop()


@pytest.fixture
def client() -> FakeClient:
    fake = FakeClient()
    fake.add("chat-llm", "running")
    fake.add("embedder", "paused")
    fake.add("classifier", "scaledToZero")
    return fake


def updates(widget: object) -> list[dict]:
    """State updates the widget sent to the page since it opened."""
    return widget.comm.updates()  # type: ignore[attr-defined]
