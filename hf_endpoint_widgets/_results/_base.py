"""The result base class and the HTML helpers every display uses.

Every text that comes from the server goes through :func:`esc` before it reaches
HTML, and through :func:`esc` or :func:`fenced` before it reaches Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("auto", "json", "text", "html", "table", "markdown")
BAR = "var(--jp-brand-color1, #3b82f6)"
MARK = "var(--jp-warn-color3, #fde68a)"
MAX_ROWS = 50

Bundle = dict[str, Any]


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def fenced(text: str, language: str = "json") -> str:
    """A Markdown code block around ``text``, its fence longer than any run of
    backticks inside, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def as_score(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def bar(score: float) -> str:
    width = max(0.0, min(1.0, score)) * 100
    return (
        f'<div style="background:{BAR};width:{width:.1f}%;height:0.8em;'
        'min-width:1px;border-radius:2px"></div>'
    )


def table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table from cells that are already escaped."""
    th = "".join(f"<th style='text-align:left'>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="hfew-result"><thead><tr>{th}</tr></thead>{body}</table>'


def mark(text: str, label: str = "") -> str:
    sup = f"<sup style='font-size:0.7em'>{esc(label)}</sup>" if label else ""
    return f'<mark style="background:{MARK}">{esc(text)}{sup}</mark>'


class InferenceResult:
    """An endpoint's answer, displayed according to its task.

    Attributes
    ----------
    raw : object
        The parsed response: JSON as Python objects, text, or bytes.
    task : str or None
        The task the display was chosen for.
    endpoint : str or None
        ``namespace/name`` of the endpoint that answered.
    inputs : object
        What was sent as ``inputs`` (used to highlight spans in it).
    elapsed_s : float or None
        Seconds the request took.

    Examples
    --------
    >>> result = make_result([{"label": "POSITIVE", "score": 0.98}])
    >>> result.to_dataframe().loc[0, "label"]
    'POSITIVE'
    >>> make_result({"a": 1}).json()
    {'a': 1}
    """

    kind: ClassVar[str] = "json"

    def __init__(
        self,
        raw: Any,
        *,
        task: str | None = None,
        endpoint: str | None = None,
        inputs: Any = None,
        content_type: str | None = None,
        elapsed_s: float | None = None,
        display: str | None = None,
    ) -> None:
        self.raw = raw
        self.task = task
        self.endpoint = endpoint
        self.inputs = inputs
        self.content_type = content_type
        self.elapsed_s = elapsed_s
        self.display = None if display == "auto" else display

    def json(self) -> Any:
        """The answer as JSON data (raises for binary answers)."""
        if isinstance(self.raw, (bytes, bytearray)):
            raise TypeError(f"This answer is {len(self.raw)} bytes, not JSON.")
        return self.raw

    def to_dataframe(self) -> pd.DataFrame:
        """The answer as a table (labels, entities, candidates, vectors...)."""
        import pandas as pd

        return pd.DataFrame(self._records())

    def _records(self) -> Any:
        data = [self.raw] if isinstance(self.raw, dict) else self.raw
        if isinstance(data, list) and all(isinstance(item, dict) for item in data):
            return data
        raise TypeError(f"A {self.kind} answer has no table form.")

    def with_format(self, display: str | None) -> InferenceResult:
        """This result, shown as ``display`` (one of :data:`FORMATS`)."""
        if display not in (None, *FORMATS):
            raise ValueError(f"format must be one of {', '.join(FORMATS)}.")
        self.display = None if display == "auto" else display
        return self

    # Renderings each kind provides

    def _plain(self) -> str:
        if isinstance(self.raw, (bytes, bytearray)):
            kind = self.content_type or "bytes"
            return f"<{len(self.raw)} bytes of {kind}>"
        return self.raw if isinstance(self.raw, str) else pretty(self.raw)

    def _rich(self) -> Bundle:
        return {"text/html": self._html()}

    def _html(self) -> str:
        return f"<pre>{esc(self._plain())}</pre>"

    def _markdown(self) -> str:
        return fenced(self._plain())

    # Display protocol

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> Bundle:
        plain = self._plain()
        chosen: dict[str | None, Callable[[], Bundle]] = {
            None: lambda: {**self._rich(), "text/plain": plain},
            "text": lambda: {"text/plain": plain},
            "json": self._json_bundle,
            "html": lambda: {"text/html": self._html(), "text/plain": plain},
            "markdown": lambda: {
                "text/markdown": self._markdown(),
                "text/plain": plain,
            },
            "table": self._table_bundle,
        }
        return chosen[self.display]()

    def _json_bundle(self) -> Bundle:
        if isinstance(self.raw, (dict, list)):
            return {"application/json": self.raw, "text/plain": pretty(self.raw)}
        return {"text/plain": self._plain()}

    def _table_bundle(self) -> Bundle:
        try:
            frame = self.to_dataframe()
        except TypeError:
            return {"text/plain": self._plain()}
        return {"text/html": frame.to_html(escape=True), "text/plain": str(frame)}

    def __repr__(self) -> str:
        return self._plain()


class JsonResult(InferenceResult):
    """Any other answer: pretty JSON (``application/json``), or a byte count."""

    def _rich(self) -> Bundle:
        return (
            {"application/json": self.raw} if isinstance(self.raw, (dict, list)) else {}
        )
