"""A local emulator of the Hugging Face Inference Endpoints API.

It serves the management API (``/v2/endpoint``, ``/v2/provider``), the Hub's
``/api/whoami-v2`` and the deployed endpoints themselves, with a lifecycle that runs
on a virtual clock and faults on demand. It needs the ``sandbox`` extra::

    pip install "hf-endpoint-widgets[sandbox]"

Examples
--------
>>> from hf_endpoint_widgets import sandbox
>>> with sandbox.start(speed=10) as sb:  # doctest: +SKIP
...     sb.seed("my-llm", task="text-generation", status="running")
...     sb.client.list_inference_endpoints()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._active import active

if TYPE_CHECKING:
    from ._app import create_app
    from ._server import Sandbox, start

__all__ = ["Sandbox", "active", "create_app", "start"]

_EXPORTS = {"Sandbox": "._server", "start": "._server", "create_app": "._app"}
_INSTALL_HINT = (
    "The sandbox needs starlette and uvicorn: "
    'pip install "hf-endpoint-widgets[sandbox]"'
)


def __getattr__(name: str) -> Any:
    # Imported lazily so that the pytest plugin (a submodule) stays cheap and
    # importable without the extra.
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(module_name, __name__)
    except ImportError as exc:
        if exc.name in ("starlette", "uvicorn") or str(exc.name).startswith(
            ("starlette.", "uvicorn.")
        ):
            raise ImportError(_INSTALL_HINT) from exc
        raise
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
