"""The sandbox that this process's environment points at, if any.

Kept apart from the server so that asking needs neither starlette nor uvicorn.
Activations form a stack: stopping the last one activated points the environment
back at the one before, and ``active()`` follows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._server import Sandbox

__all__ = ["active"]


@dataclass
class _Activation:
    sandbox: Sandbox
    saved: dict[str, str | None]


_lock = threading.Lock()
_stack: list[_Activation] = []


def active() -> Sandbox | None:
    """Return the sandbox activated last in this process and still active, or None.

    A notebook run a second time in the same kernel finds here the sandbox it
    started the first time (its ``HF_TOKEN`` is then already set).

    Examples
    --------
    >>> sb = sandbox.active() or sandbox.start(activate=True)  # doctest: +SKIP
    """
    with _lock:
        return _stack[-1].sandbox if _stack else None


def _push(sandbox: Sandbox, env: Mapping[str, str]) -> None:
    """Export ``env`` for ``sandbox`` on top of the stack (moved there if in it)."""
    with _lock:
        _remove(sandbox)
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        _stack.append(_Activation(sandbox, saved))


def _pop(sandbox: Sandbox) -> None:
    """Take ``sandbox`` off the stack and restore what its activation replaced."""
    with _lock:
        _remove(sandbox)


def _remove(sandbox: Sandbox) -> None:
    index = next((i for i, item in enumerate(_stack) if item.sandbox is sandbox), None)
    if index is None:
        return
    removed = _stack.pop(index)
    if index < len(_stack):
        # The next activation saved the values this one set: it now restores
        # what came before this one, and the environment stays as it is.
        _stack[index].saved = removed.saved
        return
    for key, value in removed.saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
