"""The sandbox that this process's environment points at, if any.

Kept apart from the server so that asking needs neither starlette nor uvicorn.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._server import Sandbox

__all__ = ["active"]

_lock = threading.Lock()
_current: Sandbox | None = None


def active() -> Sandbox | None:
    """Return the sandbox activated in this process, or None.

    A notebook run a second time in the same kernel finds here the sandbox it
    started the first time (its ``HF_TOKEN`` is then already set).

    Examples
    --------
    >>> sb = sandbox.active() or sandbox.start(activate=True)  # doctest: +SKIP
    """
    return _current


def _set(sandbox: Sandbox) -> None:
    global _current
    with _lock:
        _current = sandbox


def _clear(sandbox: Sandbox) -> None:
    global _current
    with _lock:
        if _current is sandbox:
            _current = None
