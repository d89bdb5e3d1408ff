"""Run Hugging Face Inference Endpoints from a notebook.

The core (clients, endpoints, errors) imports nothing from Jupyter; the widgets and
the magics load on first use.

Examples
--------
>>> from hf_endpoint_widgets import EndpointManager  # doctest: +SKIP
>>> EndpointManager()  # a live table of your endpoints  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ._api import (
    create_inference_endpoint,
    delete_inference_endpoint,
    get_inference_endpoint,
    list_inference_endpoints,
    list_inference_endpoints_hardware,
    pause_inference_endpoint,
    resume_inference_endpoint,
    scale_to_zero_inference_endpoint,
    update_inference_endpoint,
)
from ._async_client import AsyncEndpointsClient
from ._client import EndpointsClient
from ._inference import AsyncInferenceClient, InferenceClient
from ._models import (
    InferenceEndpoint,
    InferenceEndpointHardware,
    InferenceEndpointStatus,
    InferenceEndpointType,
)
from ._version import __version__
from .errors import InferenceEndpointError, InferenceEndpointTimeoutError

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

    from ._tables import endpoints_dataframe, style_endpoints
    from .widgets import (
        CreateEndpointForm,
        EndpointManager,
        StatusBadge,
        UpdateEndpointForm,
    )

__all__ = [
    "AsyncEndpointsClient",
    "AsyncInferenceClient",
    "CreateEndpointForm",
    "EndpointManager",
    "EndpointsClient",
    "InferenceClient",
    "InferenceEndpoint",
    "InferenceEndpointError",
    "InferenceEndpointHardware",
    "InferenceEndpointStatus",
    "InferenceEndpointTimeoutError",
    "InferenceEndpointType",
    "StatusBadge",
    "UpdateEndpointForm",
    "__version__",
    "create_inference_endpoint",
    "delete_inference_endpoint",
    "endpoints_dataframe",
    "get_inference_endpoint",
    "list_inference_endpoints",
    "list_inference_endpoints_hardware",
    "load_ipython_extension",
    "pause_inference_endpoint",
    "resume_inference_endpoint",
    "scale_to_zero_inference_endpoint",
    "style_endpoints",
    "unload_ipython_extension",
    "update_inference_endpoint",
]

# A library logs; the application decides where the records go.
logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "EndpointManager": ".widgets",
    "StatusBadge": ".widgets",
    "CreateEndpointForm": ".widgets",
    "UpdateEndpointForm": ".widgets",
    "endpoints_dataframe": "._tables",
    "style_endpoints": "._tables",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """Register ``%%infer``, ``%endpoints`` and ``%endpoint`` (``%load_ext``)."""
    from .magic import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """Remove the magics registered by :func:`load_ipython_extension`."""
    from .magic import unload_ipython_extension as unload

    unload(ipython)
