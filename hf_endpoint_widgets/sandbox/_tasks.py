"""Run one inference request for an endpoint's task: parse, validate, answer."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import _nlp
from ._body import loads
from ._errors import ApiError
from ._generation import GENERATIVE_TASKS
from ._png import picture
from ._text import SENTENCES, cosine, embed, ranked_scores, rng

__all__ = [
    "DEFAULT_REPOSITORIES",
    "TASKS",
    "TASK_NAMES",
    "TaskResult",
    "guess_task",
    "parse_json",
    "parse_object",
    "run_task",
]

_IMAGE_LABELS = (
    "tabby, tabby cat", "Egyptian cat", "tiger cat", "golden retriever",
    "Labrador retriever", "sports car", "mountain bike", "espresso",
    "pizza", "daisy", "seashore", "laptop", "teddy, teddy bear", "goldfish",
)  # fmt: skip
_BINARY_TASKS = ("image-classification", "automatic-speech-recognition")
_IMAGE_MIN, _IMAGE_MAX = 8, 256


# A well-known model per task, for endpoints seeded without a repository.
DEFAULT_REPOSITORIES = {
    "text-generation": "openai-community/gpt2",
    "text-classification": "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    "token-classification": "dslim/bert-base-NER",
    "zero-shot-classification": "facebook/bart-large-mnli",
    "fill-mask": "google-bert/bert-base-uncased",
    "question-answering": "deepset/roberta-base-squad2",
    "summarization": "facebook/bart-large-cnn",
    "translation": "Helsinki-NLP/opus-mt-en-fr",
    "feature-extraction": "sentence-transformers/all-MiniLM-L6-v2",
    "sentence-similarity": "sentence-transformers/all-MiniLM-L6-v2",
    "image-classification": "google/vit-base-patch16-224",
    "text-to-image": "stabilityai/stable-diffusion-xl-base-1.0",
    "automatic-speech-recognition": "openai/whisper-large-v3",
}
_TASK_HINTS = (
    (("whisper", "wav2vec", "-asr"), "automatic-speech-recognition"),
    (("stable-diffusion", "sdxl", "flux", "diffusion"), "text-to-image"),
    (("vit-", "resnet", "convnext", "image-class"), "image-classification"),
    (("mnli", "xnli", "-nli", "zero-shot"), "zero-shot-classification"),
    (("squad", "-qa", "question"), "question-answering"),
    (("-ner", "_ner", "ner-", "token-class"), "token-classification"),
    (("sst2", "sst-2", "sentiment", "emotion", "toxic"), "text-classification"),
    (("opus-mt", "translat", "m2m", "nllb"), "translation"),
    (("cnn", "summar", "pegasus", "xsum"), "summarization"),
    (
        ("sentence-transformers", "minilm", "bge", "e5-", "gte-", "embed"),
        "sentence-similarity",
    ),
    (("bert-base", "roberta-base", "xlm-roberta", "fill-mask"), "fill-mask"),
)


def guess_task(repository: str) -> str:
    """Guess a task from a repository name.

    The real API reads the model's ``pipeline_tag`` on the Hub when ``model.task``
    is left out; the sandbox has no Hub, so it looks at the name.
    """
    lowered = repository.lower()
    for hints, task in _TASK_HINTS:
        if any(hint in lowered for hint in hints):
            return task
    return "text-generation"


@dataclass(frozen=True)
class TaskResult:
    """An answer: a JSON value, or raw bytes with their media type."""

    body: Any
    media_type: str = "application/json"


def _bad(message: str) -> ApiError:
    return ApiError(400, message)


def parse_object(body: bytes) -> dict[str, Any]:
    """Parse a JSON object body, or raise a 400 ``ApiError``."""
    try:
        payload = loads(body or b"null")
    except ValueError as exc:
        raise _bad(f"Malformed JSON body: {exc}") from None
    if not isinstance(payload, dict):
        raise _bad("The body must be a JSON object")
    return payload


def parse_json(body: bytes) -> dict[str, Any]:
    """Parse an ``{"inputs": ..., "parameters": {...}}`` body.

    Raises
    ------
    ApiError
        400 when the body is not a JSON object with ``inputs``.
    """
    payload = parse_object(body)
    if "inputs" not in payload:
        raise _bad("Body needs to be a JSON object with an `inputs` key")
    parameters = payload.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise _bad("`parameters` must be an object")
    payload["parameters"] = parameters
    return payload


def _texts(inputs: Any) -> tuple[list[str], bool]:
    if isinstance(inputs, str):
        return [inputs], True
    if isinstance(inputs, list) and inputs and all(isinstance(i, str) for i in inputs):
        return inputs, False
    raise _bad("`inputs` must be a string or a non-empty list of strings")


def _per_text(
    function: Callable[[str, dict[str, Any], str], Any],
) -> Callable[[Any, dict[str, Any], str], Any]:
    def run(inputs: Any, parameters: dict[str, Any], repository: str) -> Any:
        texts, single = _texts(inputs)
        outputs = [function(text, parameters, repository) for text in texts]
        return outputs[0] if single else outputs

    return run


def _question_answering(
    inputs: Any, parameters: dict[str, Any], repository: str
) -> Any:
    if not isinstance(inputs, dict):
        raise _bad("`inputs` must be an object with `question` and `context`")
    question, context = inputs.get("question"), inputs.get("context")
    if not isinstance(question, str) or not isinstance(context, str) or not context:
        raise _bad("`inputs` must be an object with `question` and `context`")
    return _nlp.question_answering(question, context, repository)


def _sentence_similarity(inputs: Any) -> list[float]:
    source, others = inputs.get("source_sentence"), inputs.get("sentences")
    if not isinstance(source, str) or not isinstance(others, list):
        raise _bad("`inputs` must be an object with `source_sentence` and `sentences`")
    if not all(isinstance(sentence, str) for sentence in others):
        raise _bad("`sentences` must be a list of strings")
    reference = embed(source)
    return [round(max(-1.0, min(1.0, cosine(reference, embed(s)))), 6) for s in others]


def _embeddings(inputs: Any, parameters: dict[str, Any], repository: str) -> Any:
    if isinstance(inputs, dict):
        return _sentence_similarity(inputs)
    texts, single = _texts(inputs)
    vectors = [embed(text) for text in texts]
    return vectors[0] if single else vectors


def _text_to_image(inputs: Any, parameters: dict[str, Any], repository: str) -> Any:
    if not isinstance(inputs, str) or not inputs.strip():
        raise _bad("`inputs` must be a non-empty prompt")
    size = []
    for key in ("width", "height"):
        value = parameters.get(key, 64)
        if not isinstance(value, int) or not _IMAGE_MIN <= value <= _IMAGE_MAX:
            raise _bad(f"`{key}` must be an integer from {_IMAGE_MIN} to {_IMAGE_MAX}")
        size.append(value)
    return TaskResult(picture(inputs, size[0], size[1]), "image/png")


_JSON_TASKS: dict[str, Callable[[Any, dict[str, Any], str], Any]] = {
    "text-classification": _per_text(_nlp.text_classification),
    "token-classification": _per_text(_nlp.token_classification),
    "zero-shot-classification": _per_text(_nlp.zero_shot_classification),
    "fill-mask": _per_text(_nlp.fill_mask),
    "question-answering": _question_answering,
    "summarization": _per_text(lambda t, p, r: [_nlp.summarization(t, p)]),
    "translation": _per_text(lambda t, p, r: [_nlp.translation(t, p, r)]),
    "feature-extraction": _embeddings,
    "sentence-embeddings": _embeddings,
    "sentence-similarity": _embeddings,
    "text-to-image": _text_to_image,
}
TASKS = (*GENERATIVE_TASKS, *_JSON_TASKS, *_BINARY_TASKS)
# The API's enum of `model.task` as last published (2023), the Hub's newer pipeline
# tags, and what the sandbox serves. The live enum is not public, so this is a guess.
_API_TASKS = (
    "text-classification", "zero-shot-classification", "token-classification",
    "question-answering", "fill-mask", "summarization", "translation",
    "text2text-generation", "text-generation", "feature-extraction",
    "image-classification", "automatic-speech-recognition", "audio-classification",
    "object-detection", "image-segmentation", "table-question-answering",
    "conversational", "sentence-similarity", "sentence-embeddings",
    "sentence-ranking", "text-to-image", "custom",
    "image-text-to-text", "text-to-speech", "text-to-audio", "image-to-text",
    "image-to-image", "visual-question-answering", "document-question-answering",
    "zero-shot-image-classification", "zero-shot-object-detection",
    "depth-estimation", "mask-generation", "video-classification", "text-to-video",
    "image-to-video", "audio-to-audio", "tabular-classification",
    "tabular-regression", "text-ranking", "image-feature-extraction",
    "keypoint-detection", "any-to-any", "voice-activity-detection",
    "time-series-forecasting", "unconditional-image-generation",
    "video-text-to-text", "audio-text-to-text",
)  # fmt: skip
TASK_NAMES = tuple(dict.fromkeys((*_API_TASKS, *TASKS)))


def _binary_input(body: bytes, content_type: str) -> tuple[bytes, dict[str, Any]]:
    if content_type.startswith("application/json"):
        payload = parse_json(body)
        if not isinstance(payload["inputs"], str):
            raise _bad("`inputs` must be base64-encoded data")
        try:
            data = base64.b64decode(payload["inputs"], validate=True)
        except (binascii.Error, ValueError):
            raise _bad("`inputs` is not valid base64") from None
        return data, payload["parameters"]
    return body, {}


def _binary_task(task: str, data: bytes, parameters: dict[str, Any]) -> Any:
    if not data:
        raise _bad("The request body is empty: send the raw file bytes")
    digest = hashlib.sha256(data).hexdigest()
    generator = rng(task, digest)
    if task == "automatic-speech-recognition":
        return {"text": generator.choice(SENTENCES)}
    top_k = parameters.get("top_k", 5)
    if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
        raise _bad("`top_k` must be a positive integer")
    labels = generator.sample(_IMAGE_LABELS, len(_IMAGE_LABELS))
    scores = ranked_scores(generator, len(labels))
    rows = [
        {"label": label, "score": score}
        for label, score in zip(labels, scores, strict=True)
    ]
    return rows[:top_k]


def run_task(task: str, body: bytes, content_type: str, repository: str) -> TaskResult:
    """Answer one request to ``POST {url}`` for ``task``.

    Raises
    ------
    ApiError
        4xx for malformed payloads or a task the sandbox does not emulate.
    """
    if task in _BINARY_TASKS:
        data, parameters = _binary_input(body, content_type)
        return TaskResult(_binary_task(task, data, parameters))
    function = _JSON_TASKS.get(task)
    if function is None:
        raise _bad(f"Task '{task}' is not emulated by the sandbox; it knows {TASKS}")
    payload = parse_json(body)
    output = function(payload["inputs"], payload["parameters"], repository)
    return output if isinstance(output, TaskResult) else TaskResult(output)
