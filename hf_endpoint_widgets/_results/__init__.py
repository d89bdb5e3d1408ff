"""Inference answers as objects that display well: a table of labels with bars,
entities highlighted in the text, an image, a vector summary, or pretty JSON.

Nothing here imports Jupyter: objects only provide ``_repr_mimebundle_``, which any
front end (or ``IPython.display``) calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._media_types import image_type
from ._base import FORMATS, InferenceResult, JsonResult
from ._labels import ClassificationResult, FillMaskResult, extract_labels
from ._media import FeatureExtractionResult, ImageResult
from ._spans import QuestionAnsweringResult, TokenClassificationResult
from ._text import TextResult, extract_text

__all__ = [
    "FORMATS",
    "ClassificationResult",
    "FeatureExtractionResult",
    "FillMaskResult",
    "ImageResult",
    "InferenceResult",
    "JsonResult",
    "QuestionAnsweringResult",
    "TextResult",
    "TokenClassificationResult",
    "extract_labels",
    "extract_text",
    "make_result",
]

_TASKS: dict[type[InferenceResult], str] = {
    TextResult: "text-generation text2text-generation summarization translation "
    "conversational automatic-speech-recognition image-to-text chat-completion "
    "image-text-to-text",
    ClassificationResult: "text-classification sentiment-analysis "
    "image-classification audio-classification zero-shot-classification "
    "zero-shot-image-classification video-classification",
    TokenClassificationResult: "token-classification ner",
    FillMaskResult: "fill-mask",
    QuestionAnsweringResult: "question-answering document-question-answering",
    FeatureExtractionResult: "feature-extraction sentence-embeddings",
    ImageResult: "text-to-image image-to-image",
}
_BY_TASK = {task: cls for cls, tasks in _TASKS.items() for task in tasks.split()}


def _fits(
    cls: type[InferenceResult], raw: Any, content_type: str | None = None
) -> bool:
    """Whether ``raw`` (of ``content_type``) has the shape ``cls`` displays."""
    first = raw[0] if isinstance(raw, list) and raw else None
    if isinstance(first, list) and cls is not FeatureExtractionResult:
        first = first[0] if first else None
    keys = set(first) if isinstance(first, dict) else set()
    checks: dict[type[InferenceResult], Callable[[], bool]] = {
        ImageResult: lambda: (
            isinstance(raw, (bytes, bytearray))
            and image_type(raw, content_type) is not None
        ),
        TextResult: lambda: extract_text(raw) is not None,
        ClassificationResult: lambda: extract_labels(raw) is not None,
        TokenClassificationResult: lambda: bool(keys & {"entity", "entity_group"}),
        FillMaskResult: lambda: "token_str" in keys,
        QuestionAnsweringResult: lambda: (
            "answer" in (keys or (set(raw) if isinstance(raw, dict) else set()))
        ),
        FeatureExtractionResult: lambda: _numeric(raw),
    }
    check = checks.get(cls)
    return check() if check is not None else True


def _numeric(raw: Any) -> bool:
    while isinstance(raw, list) and raw:
        raw = raw[0]
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


# Most specific shapes first: many answers would also pass as text.
_GUESS_ORDER: tuple[type[InferenceResult], ...] = (
    ImageResult, FillMaskResult, TokenClassificationResult, QuestionAnsweringResult,
    ClassificationResult, FeatureExtractionResult, TextResult,
)  # fmt: skip


def make_result(
    raw: Any,
    *,
    task: str | None = None,
    content_type: str | None = None,
    **fields: Any,
) -> InferenceResult:
    """Wrap an answer in the result class of its task (guessed from its shape when
    the task is unknown or does not match).

    Examples
    --------
    >>> type(make_result([{"generated_text": "Hi"}], task="text-generation")).__name__
    'TextResult'
    >>> type(make_result([[0.1, 0.2]])).__name__
    'FeatureExtractionResult'
    """
    cls = _BY_TASK.get(task or "")
    if cls is None or not _fits(cls, raw, content_type):
        fitting = (c for c in _GUESS_ORDER if _fits(c, raw, content_type))
        cls = next(fitting, JsonResult)
    return cls(raw, task=task, content_type=content_type, **fields)
