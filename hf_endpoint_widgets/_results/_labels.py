"""Labels and candidates with scores, shown as tables with bars."""

from __future__ import annotations

from typing import Any

from ._base import MAX_ROWS, InferenceResult, as_score, bar, esc, mark, table


class ClassificationResult(InferenceResult):
    """Labels and scores, best first, as a table with bars."""

    kind = "classification"

    @property
    def labels(self) -> list[tuple[str, float]]:
        """``(label, score)`` pairs, highest score first."""
        return extract_labels(self.raw) or []

    def _plain(self) -> str:
        width = max((len(label) for label, _ in self.labels), default=5)
        lines = [f"{label:<{width}}  {score:.4f}" for label, score in self.labels]
        return "\n".join(lines[:MAX_ROWS])

    def _html(self) -> str:
        rows = [
            [esc(label), f"{score:.4f}", bar(score)]
            for label, score in self.labels[:MAX_ROWS]
        ]
        return table(["label", "score", ""], rows)

    def _records(self) -> Any:
        return [{"label": label, "score": score} for label, score in self.labels]


def extract_labels(raw: Any) -> list[tuple[str, float]] | None:
    """``(label, score)`` pairs of a classification answer, best first, or None.

    Examples
    --------
    >>> extract_labels({"labels": ["b", "a"], "scores": [0.2, 0.8]})
    [('a', 0.8), ('b', 0.2)]
    """
    if isinstance(raw, list) and raw and isinstance(raw[0], list):
        raw = raw[0]
    if isinstance(raw, dict) and isinstance(raw.get("labels"), list):
        pairs = list(zip(raw["labels"], raw.get("scores") or [], strict=False))
    elif (
        isinstance(raw, list)
        and raw
        and all(
            isinstance(item, dict) and "label" in item and "score" in item
            for item in raw
        )
    ):
        pairs = [(item["label"], item["score"]) for item in raw]
    else:
        return None
    cleaned = [(str(label), as_score(score)) for label, score in pairs]
    return sorted(cleaned, key=lambda pair: pair[1], reverse=True)


class FillMaskResult(InferenceResult):
    """Candidates for the masked token, best first."""

    kind = "fill-mask"

    @property
    def candidates(self) -> list[dict[str, Any]]:
        """The candidates, highest score first."""
        items = self.raw[0] if self.raw and isinstance(self.raw[0], list) else self.raw
        items = [item for item in items or [] if isinstance(item, dict)]
        return sorted(items, key=lambda item: as_score(item.get("score")), reverse=True)

    def _plain(self) -> str:
        return "\n".join(
            f"{as_score(c.get('score')):.4f}  {c.get('sequence', c.get('token_str'))}"
            for c in self.candidates
        )

    def _html(self) -> str:
        rows = []
        for candidate in self.candidates[:MAX_ROWS]:
            token = str(candidate.get("token_str", "")).strip()
            sequence = str(candidate.get("sequence", token))
            at = sequence.find(token) if token else -1
            shown = (
                esc(sequence[:at]) + mark(token) + esc(sequence[at + len(token) :])
                if at >= 0
                else esc(sequence)
            )
            score = as_score(candidate.get("score"))
            rows.append([esc(token), shown, f"{score:.4f}", bar(score)])
        return table(["token", "sequence", "score", ""], rows)

    def _records(self) -> Any:
        return self.candidates
