"""A real IPython shell with the magics loaded, talking to the local sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from IPython import get_ipython
from IPython.core.error import UsageError
from IPython.testing.globalipapp import start_ipython

from hf_endpoint_widgets.magic import InferenceMagics
from hf_endpoint_widgets.magic._target import Targets

pytest.importorskip("starlette")
pytestmark = pytest.mark.sandbox

SPEED = 60.0
TASKS = {
    "gen": "text-generation",
    "cls": "text-classification",
    "ner": "token-classification",
    "mask": "fill-mask",
    "qa": "question-answering",
    "emb": "feature-extraction",
    "img": "text-to-image",
    "asr": "automatic-speech-recognition",
    "zs": "zero-shot-classification",
    "summ": "summarization",
    "imgcls": "image-classification",
}


@pytest.fixture(scope="module")
def sb() -> Iterator[Any]:
    from hf_endpoint_widgets import sandbox

    with sandbox.start(activate=True, speed=SPEED) as running:
        yield running


@pytest.fixture
def ip(sb: Any) -> Iterator[Any]:
    """The global test shell, with the magics loaded and a fresh sandbox."""
    start_ipython()
    shell = get_ipython()
    sb.reset()
    for name, task in TASKS.items():
        sb.seed(name, task=task)
    shell.run_line_magic("load_ext", "hf_endpoint_widgets")
    magics = shell.magics_manager.registry["InferenceMagics"]
    assert isinstance(magics, InferenceMagics)
    magics.targets = Targets()
    magics.on_batch_result = None
    yield shell
    sb.clear_faults()


def run(ip: Any, cell: str) -> Any:
    """Run a cell that must succeed; return its result."""
    outcome = ip.run_cell(cell)
    if outcome.error_in_exec is not None:
        raise outcome.error_in_exec
    assert outcome.error_before_exec is None
    return outcome.result


def usage_error(ip: Any, cell: str) -> str:
    """Run a cell that must fail with a one-line UsageError; return its message."""
    outcome = ip.run_cell(cell)
    error = outcome.error_in_exec
    assert isinstance(error, UsageError), repr(error)
    message = str(error)
    assert "\n" not in message
    return message


def bundle(ip: Any, value: Any) -> dict[str, Any]:
    """The MIME bundle IPython builds for ``value``."""
    data, _ = ip.display_formatter.format(value)
    return dict(data)
