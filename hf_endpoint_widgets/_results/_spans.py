"""Answers that point into the input: entities and answer spans, highlighted."""

from __future__ import annotations

from typing import Any

from ._base import InferenceResult, as_score, esc, mark, table


class TokenClassificationResult(InferenceResult):
    """Entities, highlighted in the text they were found in."""

    kind = "token-classification"

    @property
    def entities(self) -> list[dict[str, Any]]:
        """The entities, in text order."""
        items = [item for item in self.raw or [] if isinstance(item, dict)]
        return sorted(items, key=lambda item: item.get("start") or 0)

    @staticmethod
    def _label(entity: dict[str, Any]) -> str:
        return str(entity.get("entity_group") or entity.get("entity") or "")

    def _plain(self) -> str:
        lines = []
        for entity in self.entities:
            word, score = entity.get("word", ""), as_score(entity.get("score"))
            lines.append(f"{self._label(entity):<8} {word!s} ({score:.3f})")
        return "\n".join(lines)

    def _html(self) -> str:
        text = self.inputs if isinstance(self.inputs, str) else None
        spans = [e for e in self.entities if isinstance(e.get("start"), int)]
        if text is None or not spans:
            rows = [
                [
                    esc(self._label(e)),
                    esc(e.get("word", "")),
                    f"{as_score(e.get('score')):.3f}",
                ]
                for e in self.entities
            ]
            return table(["entity", "word", "score"], rows)

        parts, cursor = [], 0
        for entity in spans:
            start, end = entity["start"], int(entity.get("end") or entity["start"])
            if start < cursor:
                continue
            parts.append(esc(text[cursor:start]))
            parts.append(mark(text[start:end], self._label(entity)))
            cursor = end
        parts.append(esc(text[cursor:]))
        return f'<div style="line-height:2">{"".join(parts)}</div>'

    def _records(self) -> Any:
        return self.entities


class QuestionAnsweringResult(InferenceResult):
    """The answer span, highlighted in the context."""

    kind = "question-answering"

    @property
    def answers(self) -> list[dict[str, Any]]:
        """The answers, highest score first."""
        items = self.raw if isinstance(self.raw, list) else [self.raw]
        items = [item for item in items if isinstance(item, dict)]
        return sorted(items, key=lambda item: as_score(item.get("score")), reverse=True)

    @property
    def answer(self) -> str:
        """The best answer's text."""
        return str(self.answers[0].get("answer", "")) if self.answers else ""

    def _plain(self) -> str:
        best = self.answers[0] if self.answers else {}
        return f"{self.answer} (score {as_score(best.get('score')):.3f})"

    def _html(self) -> str:
        best = self.answers[0] if self.answers else {}
        question = context = None
        if isinstance(self.inputs, dict):
            question, context = self.inputs.get("question"), self.inputs.get("context")
        start, end = best.get("start"), best.get("end")
        score = f"<p>score {as_score(best.get('score')):.3f}</p>"
        asked = f"<p><b>Q:</b> {esc(question)}</p>" if question else ""
        if not isinstance(context, str) or not isinstance(start, int):
            return f"{asked}<p><b>A:</b> {mark(self.answer)}</p>{score}"
        end = end if isinstance(end, int) else start + len(self.answer)
        shown = esc(context[:start]) + mark(context[start:end]) + esc(context[end:])
        return f'{asked}<div style="line-height:1.8">{shown}</div>{score}'

    def _records(self) -> Any:
        return self.answers
