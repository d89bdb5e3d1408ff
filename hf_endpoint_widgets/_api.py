"""Module-level functions with huggingface_hub's names, on a default client.

The default client follows the environment: when ``HF_TOKEN``,
``HF_INFERENCE_ENDPOINTS_API`` or ``HF_ENDPOINT`` change (for instance when the
sandbox is activated), the next call builds a client for the new configuration.
Each function also takes ``token=``, a token for that call, as huggingface_hub's do.
"""

from __future__ import annotations

import threading
from typing import Any

from ._client import EndpointsClient
from ._config import resolve_api_url, resolve_hub_url, resolve_token
from ._models import InferenceEndpoint, InferenceEndpointHardware
from ._refs import EndpointLike

_lock = threading.Lock()
_default: EndpointsClient | None = None
_default_key: tuple[str, str, str | None] | None = None


def default_client() -> EndpointsClient:
    """The shared client for the current environment."""
    global _default, _default_key
    key = (resolve_api_url(), resolve_hub_url(), resolve_token())
    with _lock:
        if _default is None or key != _default_key:
            _default = EndpointsClient(key[2] or False, api_url=key[0], hub_url=key[1])
            _default_key = key
        return _default


Token = str | bool | None


def list_inference_endpoints(
    namespace: str | None = None, *, token: Token = None
) -> list[InferenceEndpoint]:
    """List endpoints with the default client (``"*"``: user and organizations)."""
    return default_client().list_inference_endpoints(namespace, token=token)


def get_inference_endpoint(
    name: EndpointLike, *, namespace: str | None = None, token: Token = None
) -> InferenceEndpoint:
    """Get one endpoint with the default client."""
    return default_client().get_inference_endpoint(
        name, namespace=namespace, token=token
    )


def create_inference_endpoint(name: str, **fields: Any) -> InferenceEndpoint:
    """Create an endpoint with the default client (same keywords as
    :meth:`EndpointsClient.create_inference_endpoint`, ``token`` included)."""
    return default_client().create_inference_endpoint(name, **fields)


def update_inference_endpoint(
    name: EndpointLike,
    *,
    namespace: str | None = None,
    token: Token = None,
    **fields: Any,
) -> InferenceEndpoint:
    """Update an endpoint with the default client; only given fields are sent."""
    client = default_client()
    return client.update_inference_endpoint(
        name, namespace=namespace, token=token, **fields
    )


def delete_inference_endpoint(
    name: EndpointLike, *, namespace: str | None = None, token: Token = None
) -> None:
    """Delete an endpoint with the default client."""
    default_client().delete_inference_endpoint(name, namespace=namespace, token=token)


def pause_inference_endpoint(
    name: EndpointLike, *, namespace: str | None = None, token: Token = None
) -> InferenceEndpoint:
    """Pause an endpoint with the default client."""
    return default_client().pause_inference_endpoint(
        name, namespace=namespace, token=token
    )


def resume_inference_endpoint(
    name: EndpointLike,
    *,
    namespace: str | None = None,
    running_ok: bool = True,
    token: Token = None,
) -> InferenceEndpoint:
    """Resume an endpoint with the default client."""
    client = default_client()
    return client.resume_inference_endpoint(
        name, namespace=namespace, running_ok=running_ok, token=token
    )


def scale_to_zero_inference_endpoint(
    name: EndpointLike, *, namespace: str | None = None, token: Token = None
) -> InferenceEndpoint:
    """Scale an endpoint to zero with the default client."""
    return default_client().scale_to_zero_inference_endpoint(
        name, namespace=namespace, token=token
    )


def list_inference_endpoints_hardware(
    namespace: str | None = None, *, token: Token = None
) -> list[InferenceEndpointHardware]:
    """The hardware catalog, with the default client."""
    return default_client().list_inference_endpoints_hardware(namespace, token=token)
