"""Errors raised by hf_endpoint_widgets.

Every error has one root, so ``except InferenceEndpointError`` catches them all::

    InferenceEndpointError
    ├── InferenceEndpointTimeoutError  (waiting ran out; a builtin TimeoutError)
    ├── InferenceEndpointFailedError   (the endpoint is failed or updateFailed)
    ├── EndpointNotDeployedError       (no URL yet: nothing to send requests to)
    ├── EndpointConnectionError        (the server could not be reached)
    │   └── RequestTimeoutError        (no answer in time; a TimeoutError too)
    ├── UnexpectedResponseError        (a 2xx whose body is not the API's JSON)
    └── InferenceEndpointHTTPError     (the server answered with an error code)
        ├── BadRequestError            400, 422 (also a builtin ValueError)
        ├── AuthenticationError        401, 403
        ├── NotFoundError              404
        ├── ConflictError              409
        ├── RateLimitError             429, with ``retry_after``
        └── ServerError                5xx

Messages name the endpoint as ``namespace/name`` when there is one, and say what to do
next. They never contain the token.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "EndpointConnectionError",
    "EndpointNotDeployedError",
    "InferenceEndpointError",
    "InferenceEndpointFailedError",
    "InferenceEndpointHTTPError",
    "InferenceEndpointTimeoutError",
    "NotFoundError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "UnexpectedResponseError",
    "error_for_status",
]


class InferenceEndpointError(Exception):
    """Root of every error raised by this package.

    Attributes
    ----------
    endpoint : str or None
        ``namespace/name`` of the endpoint concerned, when there is one.
    status_code : int or None
        HTTP status code, for errors that come from a response.
    server_message : str or None
        The ``error`` text the server sent.
    request_id : str or None
        The server's request id, worth quoting in a support request.
    """

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        status_code: int | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status_code = status_code
        self.server_message = server_message
        self.request_id = request_id


class InferenceEndpointTimeoutError(InferenceEndpointError, TimeoutError):
    """Waiting for an endpoint (to deploy, or to wake up) took longer than allowed."""


class InferenceEndpointFailedError(InferenceEndpointError):
    """The endpoint is ``failed`` or ``updateFailed``; waiting will not fix it."""


class EndpointNotDeployedError(InferenceEndpointError):
    """The endpoint has no URL yet, so no request can be sent to it."""


class EndpointConnectionError(InferenceEndpointError):
    """The server could not be reached, or it dropped the connection."""


class RequestTimeoutError(EndpointConnectionError, TimeoutError):
    """One request got no response in time: a builtin ``TimeoutError`` and, like
    other transport failures, an :class:`EndpointConnectionError`. It is not an
    :class:`InferenceEndpointTimeoutError`, which says a whole wait ran out."""


class UnexpectedResponseError(InferenceEndpointError):
    """The server answered with success but not with the JSON the API sends: most
    often ``api_url`` or ``hub_url`` points at something else (a proxy, a page)."""


class InferenceEndpointHTTPError(InferenceEndpointError):
    """The server answered with an error status code."""

    hint = "Check the request, then try again."


class BadRequestError(InferenceEndpointHTTPError, ValueError):
    """The server refused the request as invalid (400 or 422)."""

    hint = "Fix the arguments named in the server's message, then try again."


class AuthenticationError(InferenceEndpointHTTPError):
    """The token is missing, invalid, or may not use this namespace (401, 403)."""

    hint = (
        "Set HF_TOKEN (or run `huggingface_hub.login()`) with a token that may "
        "manage Inference Endpoints in this namespace."
    )


class NotFoundError(InferenceEndpointHTTPError):
    """The endpoint does not exist (404)."""

    hint = "Check the name and namespace with `list_inference_endpoints()`."


class ConflictError(InferenceEndpointHTTPError):
    """The name is already taken in this namespace (409)."""

    hint = "Pick another name, or delete the existing endpoint first."


class RateLimitError(InferenceEndpointHTTPError):
    """Too many requests (429).

    Attributes
    ----------
    retry_after : float or None
        Seconds the server asked to wait, from the ``Retry-After`` header.
    """

    hint = "Wait a moment, then try again."

    def __init__(
        self, message: str, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(InferenceEndpointHTTPError):
    """The server failed (5xx)."""

    hint = "This is on the server's side: try again in a moment."


_BY_STATUS: dict[int, type[InferenceEndpointHTTPError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_for_status(
    status_code: int,
    *,
    what: str,
    endpoint: str | None = None,
    server_message: str | None = None,
    request_id: str | None = None,
    retry_after: float | None = None,
) -> InferenceEndpointHTTPError:
    """Build the error for an HTTP error response.

    Parameters
    ----------
    status_code : int
        The response's status code.
    what : str
        What was being done, e.g. ``"pause my-ns/my-endpoint"``.
    endpoint, server_message, request_id, retry_after
        Context carried by the error.
    """
    if status_code >= 500:
        cls: type[InferenceEndpointHTTPError] = ServerError
    else:
        cls = _BY_STATUS.get(status_code, InferenceEndpointHTTPError)

    detail = f": {server_message}" if server_message else ""
    rid = f" [request id {request_id}]" if request_id else ""
    hint = cls.hint
    if cls is RateLimitError and retry_after is not None:
        hint = f"Wait {math.ceil(retry_after)} s, then try again."
    message = f"Could not {what} (HTTP {status_code}{detail}){rid}. {hint}"
    kwargs: dict[str, Any] = {
        "endpoint": endpoint,
        "status_code": status_code,
        "server_message": server_message,
        "request_id": request_id,
    }
    if cls is RateLimitError:
        kwargs["retry_after"] = retry_after
    return cls(message, **kwargs)
