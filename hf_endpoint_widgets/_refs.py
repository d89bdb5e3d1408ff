"""Accept an endpoint however the user holds it: a name, ``namespace/name``, one of
our :class:`InferenceEndpoint` objects or one of huggingface_hub's."""

from __future__ import annotations

from typing import Any

EndpointLike = Any  # a name, "namespace/name", or an endpoint object


def endpoint_ref(
    endpoint: EndpointLike, namespace: str | None = None
) -> tuple[str | None, str]:
    """Split an endpoint reference into ``(namespace, name)``.

    Parameters
    ----------
    endpoint : str or endpoint object
        ``"name"``, ``"namespace/name"``, or any object with ``name`` and
        ``namespace`` attributes (ours, or huggingface_hub's ``InferenceEndpoint``).
    namespace : str, optional
        Used when ``endpoint`` names no namespace itself; an explicit namespace
        argument wins over an object's own only when the object has none.

    Examples
    --------
    >>> endpoint_ref("acme/my-bert")
    ('acme', 'my-bert')
    >>> endpoint_ref("my-bert", "me")
    ('me', 'my-bert')
    """
    if isinstance(endpoint, str):
        text = endpoint.strip()
        if text.count("/") == 1:
            ns, name = text.split("/")
            if ns and name:
                return ns, name
        if "/" in text or not text:
            raise ValueError(
                f"{endpoint!r} is not an endpoint reference: use 'name' or "
                "'namespace/name'."
            )
        return namespace, text

    attr = getattr(endpoint, "name", None)
    if not isinstance(attr, str) or not attr:
        raise TypeError(
            f"Expected an endpoint name, 'namespace/name' or an InferenceEndpoint, "
            f"got {type(endpoint).__name__}."
        )
    own = getattr(endpoint, "namespace", None)
    return (own if isinstance(own, str) and own else namespace), attr
