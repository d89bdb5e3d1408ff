"""The one exception the sandbox uses to answer ``{"error": ...}`` with a status."""

from __future__ import annotations

__all__ = ["ApiError", "parse_error", "shape_error"]

# The real API is built on serde: JSON that does not parse answers 400, JSON that
# parses into the wrong shape answers 422 (observed: `"task": null` -> 400 and a bad
# `type` -> 422 "unknown variant"). These prefixes copy that wording.
PARSE_PREFIX = "Failed to parse the request body as JSON"
SHAPE_PREFIX = "Failed to deserialize the JSON body into the target type"


class ApiError(Exception):
    """An HTTP error answered as ``{"error": message}``.

    Parameters
    ----------
    status : int
        The HTTP status code.
    message : str
        The text of the ``error`` field.
    headers : dict of str to str, optional
        Extra response headers (e.g. ``Retry-After``).
    """

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def parse_error(detail: str) -> ApiError:
    """Return the 400 error of a body the server cannot parse."""
    return ApiError(400, f"{PARSE_PREFIX}: {detail}")


def shape_error(detail: str) -> ApiError:
    """Return the 422 error of a body that parses into the wrong shape."""
    return ApiError(422, f"{SHAPE_PREFIX}: {detail}")
