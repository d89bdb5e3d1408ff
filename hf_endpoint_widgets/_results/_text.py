"""Generated or transcribed text."""

from __future__ import annotations

import html
from typing import Any

from ._base import InferenceResult, esc


class TextResult(InferenceResult):
    """Generated or transcribed text (generation, summarization, translation,
    chat, speech recognition)."""

    kind = "text"

    @property
    def text(self) -> str:
        """The text of the (first) answer."""
        return extract_text(self.raw) or ""

    def _plain(self) -> str:
        return self.text

    def _html(self) -> str:
        return f'<div style="white-space:pre-wrap">{esc(self.text)}</div>'

    def _markdown(self) -> str:
        # Markdown formatting renders; raw HTML and images (which would load a
        # server-chosen URL on display) are shown as text.
        return html.escape(self.text, quote=False).replace("![", "!\\[")

    def _records(self) -> Any:
        return [{"text": self.text}]


def extract_text(raw: Any) -> str | None:
    """The text in a generation, summary, translation, chat or transcription answer.

    Examples
    --------
    >>> extract_text([{"generated_text": "Hello"}])
    'Hello'
    """
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and raw:
        return extract_text(raw[0])
    if not isinstance(raw, dict):
        return None
    for key in ("generated_text", "summary_text", "translation_text", "text"):
        if isinstance(raw.get(key), str):
            return str(raw[key])
    choices = raw.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        message = choices[0].get("message") or {}
        content = message.get("content", choices[0].get("text"))
        return content if isinstance(content, str) else None
    return None
