"""Put notebook variables into a cell body without breaking JSON.

Only ``{identifier}`` tokens that name an existing variable are replaced; every other
brace is left alone, so ``{"inputs": "{text}"}`` works where ``str.format`` raises.
Inside a JSON string the value is escaped as string content; elsewhere in JSON it is
written as a JSON value. ``{{name}}`` stands for a literal ``{name}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Interpolated", "interpolate", "jsonable", "looks_like_json", "sole_token"]

TOKEN = re.compile(r"\{\{([A-Za-z_]\w*)\}\}|\{([A-Za-z_]\w*)\}")
_JSON_START = re.compile(
    r"""\A\s*(?:\{\s*(?:"|\}|\Z)|\[\s*(?:["{\[\]\-\d]|true\b|false\b|null\b|\Z))"""
)


@dataclass
class Interpolated:
    """The text after interpolation, and the token names used or left alone."""

    text: str
    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def looks_like_json(text: str, *, template: bool = False) -> bool:
    """Whether a body is meant as JSON: an object, or an array of JSON values.

    An object is JSON even when it does not parse (so its error can point at the
    mistake); an array only when it parses, or, in a ``template``, while it still
    holds ``{name}`` tokens. ``[INST] ...`` prompts, ``[1] first point`` and
    ``{name}, hello`` stay plain text.

    Examples
    --------
    >>> looks_like_json('{"inputs": "hi"}'), looks_like_json("[INST] hi [/INST]")
    (True, False)
    >>> looks_like_json("[1] first point"), looks_like_json("[1, 2]")
    (False, True)
    """
    if _JSON_START.match(text) is None:
        return False
    if text.lstrip().startswith("{"):
        return True
    return _parses(text) or (template and TOKEN.search(text) is not None)


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def sole_token(text: str) -> str | None:
    """The variable name when the whole body is one ``{name}`` token."""
    match = TOKEN.fullmatch(text.strip())
    return match.group(2) if match and match.group(2) else None


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (numpy and pandas objects become lists)."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        return value.to_dict(orient="records")
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    return value


def _string_states(text: str, positions: list[int]) -> dict[int, bool]:
    """For each position, whether it lies inside a JSON string literal."""
    wanted = sorted(set(positions))
    states: dict[int, bool] = {}
    inside = escaped = False
    index = 0
    for position, char in enumerate(text):
        while index < len(wanted) and wanted[index] == position:
            states[position] = inside
            index += 1
        if index == len(wanted):
            break
        if escaped:
            escaped = False
        elif char == "\\" and inside:
            escaped = True
        elif char == '"':
            inside = not inside
    for position in wanted[index:]:
        states[position] = inside
    return states


def interpolate(
    text: str, namespace: Mapping[str, Any], *, as_json: bool | None = None
) -> Interpolated:
    """Replace ``{name}`` tokens naming variables of ``namespace``.

    Parameters
    ----------
    text : str
        The cell body.
    namespace : mapping
        The user's variables.
    as_json : bool, optional
        Treat the text as JSON; guessed with :func:`looks_like_json` when None.

    Raises
    ------
    TypeError
        A value cannot be written as JSON.

    Examples
    --------
    >>> interpolate('{"inputs": "{q}"}', {"q": 'say "hi"'}).text
    '{"inputs": "say \\\\"hi\\\\""}'
    >>> interpolate("{n} items, {missing}", {"n": 3}).text
    '3 items, {missing}'
    """
    as_json = looks_like_json(text, template=True) if as_json is None else as_json
    matches = list(TOKEN.finditer(text))
    states = _string_states(text, [m.start() for m in matches]) if as_json else {}
    result = Interpolated(text="")
    parts: list[str] = []
    cursor = 0

    for match in matches:
        parts.append(text[cursor : match.start()])
        cursor = match.end()
        escaped_name, name = match.group(1), match.group(2)
        if escaped_name:
            parts.append("{" + escaped_name + "}")
        elif name not in namespace:
            result.missing.append(name)
            parts.append(match.group(0))
        else:
            result.used.append(name)
            in_string = states.get(match.start())
            parts.append(_render(name, namespace[name], as_json, in_string))

    parts.append(text[cursor:])
    result.text = "".join(parts)
    return result


def _render(name: str, value: Any, as_json: bool, in_string: bool | None) -> str:
    if not as_json:
        return str(value)
    if in_string:
        return json.dumps(str(value), ensure_ascii=False)[1:-1]
    try:
        return json.dumps(jsonable(value), ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{{{name}}} holds a {type(value).__name__}, which cannot be written as "
            "JSON; put it inside quotes to send its text."
        ) from exc
