"""Pytest plugin: the ``endpoints_sandbox`` fixture.

Registered as the ``hf_endpoints_sandbox`` ``pytest11`` entry point, so it loads in
every suite where the package is installed. Importing it is cheap: starlette and
uvicorn are imported only when a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hf_endpoint_widgets.sandbox._server import Sandbox

__all__ = ["FIXTURE_SPEED", "endpoints_sandbox"]

# Fast enough that a new endpoint runs in ~75 ms of real time.
FIXTURE_SPEED = 60.0


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sandbox: talks to the local sandbox over real HTTP"
    )


@pytest.fixture
def endpoints_sandbox() -> Iterator[Sandbox]:
    """A fresh, activated sandbox for one test.

    ``HF_INFERENCE_ENDPOINTS_API``, ``HF_ENDPOINT`` and ``HF_TOKEN`` point at it
    during the test and are restored afterwards. It runs at ``FIXTURE_SPEED``
    virtual seconds per real second; move time with ``sb.advance(seconds)``.

    Examples
    --------
    >>> def test_listing(endpoints_sandbox):  # doctest: +SKIP
    ...     endpoints_sandbox.seed("my-llm")
    ...     assert endpoints_sandbox.client.list_inference_endpoints()
    """
    try:
        from hf_endpoint_widgets.sandbox._server import start
    except ImportError as exc:
        hint = 'endpoints_sandbox needs: pip install "hf-endpoint-widgets[sandbox]"'
        raise ImportError(hint) from exc
    with start(speed=FIXTURE_SPEED, activate=True) as sandbox:
        yield sandbox
