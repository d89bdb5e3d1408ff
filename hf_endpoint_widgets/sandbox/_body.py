"""Parse request bodies as strictly as the real (serde-based) servers do."""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["MAX_DEPTH", "loads"]

# serde_json's default recursion limit: deeper bodies are refused, not parsed.
MAX_DEPTH = 128
# A JSON string; the lookahead and back-reference make it atomic (no possessive
# quantifiers before Python 3.11), so the scan stays linear. An unterminated
# string runs to the end of the body.
_STRING = re.compile(rb'"(?=((?:[^"\\]+|\\.)*))\1"?', re.DOTALL)
_NOT_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING = frozenset(b"[{")


def _too_deep(body: bytes) -> bool:
    """Whether arrays and objects nest deeper than ``MAX_DEPTH`` in ``body``.

    Counted before parsing: deep nesting exhausts ``json.loads``'s recursion.
    """
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKET)
    depth = 0
    for char in brackets:
        depth += 1 if char in _OPENING else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text}")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"expected value, found {name}")


def loads(body: bytes) -> Any:
    """Parse JSON without ``NaN``/``Infinity`` and at most ``MAX_DEPTH`` levels deep.

    Python would parse those, but could not answer them back as JSON, and the
    real servers refuse them.

    Raises
    ------
    ValueError
        For anything else than such JSON (``UnicodeDecodeError`` included).
    """
    if _too_deep(body):
        raise ValueError("recursion limit exceeded")
    try:
        return json.loads(body, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("recursion limit exceeded") from None
