"""Fixtures for the sandbox tests: one server per module, reset between tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from hf_endpoint_widgets.sandbox import Sandbox, start
from hf_endpoint_widgets.sandbox.pytest_plugin import endpoints_sandbox  # noqa: F401


@pytest.fixture(scope="module")
def server() -> Iterator[Sandbox]:
    # A frozen clock: time moves only with sb.advance(), so states never flip
    # while a test runs.
    with start(speed=0, seed=1234) as sandbox:
        yield sandbox


@pytest.fixture
def sb(server: Sandbox) -> Iterator[Sandbox]:
    server.reset()
    server.speed = 0
    yield server
    server.reset()
    server.speed = 0


@pytest.fixture
def api(sb: Sandbox) -> Iterator[httpx2.Client]:
    headers = {"authorization": f"Bearer {sb.token}"}
    with httpx2.Client(base_url=sb.url, headers=headers, timeout=10) as client:
        yield client


@pytest.fixture
def anonymous(sb: Sandbox) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=sb.url, timeout=10) as client:
        yield client
