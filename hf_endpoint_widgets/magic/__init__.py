"""IPython magics: ``%%infer``, ``%endpoints`` and ``%endpoint``.

Load them with ``%load_ext hf_endpoint_widgets``.

Examples
--------
>>> %load_ext hf_endpoint_widgets  # doctest: +SKIP
>>> %%infer sentiment  # doctest: +SKIP
... I love this!
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._magics import InferenceMagics

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["InferenceMagics", "load_ipython_extension", "unload_ipython_extension"]

_NAMES = {"line": ("infer", "endpoints", "endpoint"), "cell": ("infer",)}


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register the magics on ``ipython``.

    Parameters
    ----------
    ipython : InteractiveShell
        The running shell (``get_ipython()``).

    Examples
    --------
    >>> from IPython import get_ipython  # doctest: +SKIP
    >>> load_ipython_extension(get_ipython())  # doctest: +SKIP
    """
    ipython.register_magics(InferenceMagics)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """Remove the magics registered by :func:`load_ipython_extension`."""
    magics = ipython.magics_manager.magics
    for kind, names in _NAMES.items():
        for name in names:
            magics[kind].pop(name, None)
    ipython.magics_manager.registry.pop(InferenceMagics.__name__, None)
