"""Turn a magic's line and body into a request, or a one-line ``UsageError``."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError

from ._interpolate import (
    Interpolated,
    interpolate,
    jsonable,
    looks_like_json,
    sole_token,
)

__all__ = [
    "Request",
    "build_request",
    "parse_json",
    "parse_params",
    "request_from_value",
    "resolve_batch",
    "split_assignment",
    "split_inline_body",
]

_ASSIGN = re.compile(r"(?:^|\s)([A-Za-z_]\w*)\s*(=?)\s*<<\s*$")
_SOURCE = re.compile(r"""^([A-Za-z_]\w*)(?:[.:]([\w ]+)|\[["']?([^"'\]]+)["']?\])?$""")


@dataclass
class Request:
    """What to send: a JSON payload or raw bytes, and the ``inputs`` to display."""

    json: Any = None
    data: bytes | None = None
    inputs: Any = None


def split_assignment(line: str) -> tuple[str, str | None, bool]:
    """Split ``... VAR <<`` (store quietly) or ``... VAR= <<`` (store and show).

    Examples
    --------
    >>> split_assignment("sentiment -p '{}' out <<")
    ("sentiment -p '{}'", 'out', False)
    """
    match = _ASSIGN.search(line)
    if match is None:
        return line, None, True
    return line[: match.start()].strip(), match.group(1), match.group(2) == "="


def split_inline_body(line: str) -> tuple[str, str | None]:
    """Split ``OPTIONS -- TEXT`` (a payload on the line of ``%infer``)."""
    head, sep, tail = line.partition(" -- ")
    if sep:
        return head, tail
    return (line[:-3], "") if line.endswith(" --") else (line, None)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def parse_json(text: str, what: str = "The payload") -> Any:
    """Parse JSON, or raise a ``UsageError`` that points at the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = text.splitlines()[exc.lineno - 1] if text.splitlines() else ""
        near = _one_line(line[max(0, exc.colno - 15) : exc.colno + 15])
        raise UsageError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column "
            f"{exc.colno} (near {near!r})."
        ) from None


def parse_params(value: str | None, namespace: Mapping[str, Any]) -> dict[str, Any]:
    """``-p`` as a dict: inline JSON, or the name of a variable holding a dict."""
    if not value:
        return {}
    name = value.strip()
    if name.isidentifier() and isinstance(namespace.get(name), dict):
        return dict(namespace[name])
    params = parse_json(interpolate(value, namespace, as_json=True).text, "-p/--params")
    if not isinstance(params, dict):
        raise UsageError("-p/--params must be a JSON object, e.g. '{\"top_k\": 3}'.")
    return params


def _merge(payload: Any, params: dict[str, Any]) -> Any:
    if not params:
        return payload
    if not isinstance(payload, dict):
        raise UsageError("-p/--params needs a JSON object payload (or plain text).")
    if "messages" in payload:
        return {**payload, **params}
    return {**payload, "parameters": {**(payload.get("parameters") or {}), **params}}


def as_bytes(value: Any, name: str) -> bytes | None:
    """Bytes from bytes-like objects, images (``.save``) and open binary files."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if hasattr(value, "save") and hasattr(value, "size"):
        buffer = io.BytesIO()
        value.save(buffer, format="PNG")
        return buffer.getvalue()
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, bytes):
            return data
    return None


def _lookup(namespace: Mapping[str, Any], name: str, option: str) -> Any:
    if name not in namespace:
        raise UsageError(f"{option}: no variable named {name!r} in the notebook.")
    return namespace[name]


def _read_file(path: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"--file: cannot read {path!r} ({exc.strerror}).") from None


def build_request(
    body: str,
    namespace: Mapping[str, Any],
    *,
    params: dict[str, Any],
    file: str | None = None,
    data: str | None = None,
    interpolating: bool = True,
    warn: Callable[[str], None] | None = None,
) -> Request:
    """The request a cell describes.

    Raw bytes come from ``--file``, ``--data VAR``, or a body that is one ``{var}``
    holding bytes; JSON bodies are sent as they are; plain text becomes
    ``{"inputs": text}``. ``params`` merge into ``parameters``.
    """
    if file or data:
        if body.strip():
            option = "--file" if file else "--data"
            raise UsageError(
                f"{option} sends raw bytes, so the cell body would not be sent: "
                f"remove the body, or drop {option} to send the body."
            )
        raw = (
            _read_file(file)
            if file
            else as_bytes(_lookup(namespace, data or "", "--data"), data or "")
        )
        if raw is None:
            raise UsageError(f"--data: {data!r} holds no bytes, image or binary file.")
        if params:
            raise UsageError("-p/--params cannot be sent with a raw file body.")
        return Request(data=raw, inputs=f"<{len(raw)} bytes>")

    name = sole_token(body) if interpolating else None
    if name is not None and name in namespace:
        return request_from_value(namespace[name], name, params)

    text = body.strip("\r\n")
    if interpolating:
        done = _fill(text, namespace, None)
        if looks_like_json(text, template=True) and not looks_like_json(done.text):
            done = _fill(text, namespace, False)  # "[1] {point}" is text after all
        if done.missing and warn is not None:
            names = ", ".join("{" + n + "}" for n in dict.fromkeys(done.missing))
            warn(f"Sent {names} as written: no variable of that name.")
        text = done.text

    if looks_like_json(text):
        payload = parse_json(text)
        inputs = payload.get("inputs") if isinstance(payload, dict) else payload
        return _sendable(Request(json=_merge(payload, params), inputs=inputs))
    if not text.strip():
        raise UsageError("Nothing to send: write a payload in the cell, or use --file.")
    return Request(json=_merge({"inputs": text}, params), inputs=text)


def _fill(
    text: str, namespace: Mapping[str, Any], as_json: bool | None
) -> Interpolated:
    try:
        return interpolate(text, namespace, as_json=as_json)
    except TypeError as exc:
        raise UsageError(str(exc)) from None


def _sendable(request: Request) -> Request:
    """The request, once its payload is known to be valid JSON."""
    try:
        json.dumps(request.json, allow_nan=False)
    except ValueError:
        raise UsageError(
            "The payload holds NaN or Infinity, which JSON cannot send: use null or "
            "a number instead."
        ) from None
    except TypeError as exc:
        raise UsageError(
            f"The payload cannot be sent as JSON ({exc}): pass text, numbers, lists "
            "or dicts."
        ) from None
    return request


def request_from_value(value: Any, name: str, params: dict[str, Any]) -> Request:
    """The request for one value: bytes (or an image) raw, a dict as the payload,
    anything else as its ``inputs``."""
    raw = as_bytes(value, name)
    if raw is not None:
        if params:
            raise UsageError("-p/--params cannot be sent with a raw bytes body.")
        return Request(data=raw, inputs=f"<{len(raw)} bytes>")
    value = jsonable(value)
    if isinstance(value, dict):
        request = Request(json=_merge(value, params), inputs=value.get("inputs"))
    else:
        request = Request(json=_merge({"inputs": value}, params), inputs=value)
    return _sendable(request)


def resolve_batch(source: str, namespace: Mapping[str, Any]) -> Any:
    """The items of ``--batch``: ``var``, ``df.column``, ``df:column`` or
    ``df["column"]``."""
    match = _SOURCE.match(source.strip())
    if match is None:
        raise UsageError(
            f"--batch {source!r}: use a variable (texts), or a DataFrame column "
            "(df.text)."
        )
    name, column = match.group(1), match.group(2) or match.group(3)
    value = _lookup(namespace, name, "--batch")
    if column is None:
        return value
    columns = getattr(value, "columns", None)
    if columns is not None:
        if column not in columns:
            known = ", ".join(map(str, columns))
            raise UsageError(f"--batch: {name} has no column {column!r} ({known}).")
        return value[column]
    if not hasattr(value, column):
        raise UsageError(f"--batch: {name} has no attribute {column!r}.")
    return getattr(value, column)
