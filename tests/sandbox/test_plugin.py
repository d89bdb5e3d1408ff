"""The ``endpoints_sandbox`` fixture as users get it: from the pytest11 entry point."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.sandbox

USER_TEST = """
import os

import pytest


@pytest.mark.sandbox
def test_listing(endpoints_sandbox):
    sb = endpoints_sandbox
    assert os.environ["HF_INFERENCE_ENDPOINTS_API"] == sb.url
    assert os.environ["HF_TOKEN"] == sb.token
    sb.seed("my-llm", status="pending")
    sb.advance(5)
    assert sb.get("my-llm")["status"]["state"] == "running"
"""


def test_entry_point_provides_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)

    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
