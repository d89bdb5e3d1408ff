"""Plausible, deterministic outputs of the text-understanding pipelines."""

from __future__ import annotations

import math
import re
from typing import Any

from ._errors import ApiError
from ._text import ranked_scores, rng, sentences_of, token_id, words_of

__all__ = [
    "fill_mask",
    "question_answering",
    "summarization",
    "text_classification",
    "token_classification",
    "translation",
    "zero_shot_classification",
]

_POSITIVE = {
    "good", "great", "love", "excellent", "happy", "amazing", "best", "nice",
    "wonderful", "like", "enjoy", "fast", "easy", "fantastic", "glad", "perfect",
}  # fmt: skip
_NEGATIVE = {
    "bad", "terrible", "hate", "awful", "slow", "worst", "sad", "poor", "broken",
    "error", "fail", "failed", "angry", "hard", "difficult", "wrong", "not",
}  # fmt: skip
_EMOTIONS = ("joy", "sadness", "anger", "fear", "love", "surprise")
_STOPWORDS = {
    "a", "an", "the", "is", "are", "was", "were", "of", "in", "on", "at", "to",
    "for", "and", "or", "what", "who", "where", "when", "which", "how", "why",
    "does", "did", "do", "it", "its", "this", "that", "with", "by", "from", "as",
}  # fmt: skip
_LOCATIONS = {
    "Paris", "London", "Berlin", "France", "Germany", "Europe", "Tokyo", "Japan",
    "New York", "America", "Brooklyn", "California", "Madrid", "Spain", "Rome",
}  # fmt: skip
_ORGS = {"Google", "Microsoft", "Apple", "Amazon", "Hugging Face", "OpenAI", "Meta"}
_FILLERS = (
    "good", "new", "great", "small", "simple", "best", "real", "same", "first",
    "only", "right", "big", "main", "whole", "public",
)  # fmt: skip
_MASKS = ("[MASK]", "<mask>")
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")
_DICTIONARIES = {
    "fr": {
        "the": "le", "a": "un", "is": "est", "and": "et", "hello": "bonjour",
        "world": "monde", "my": "mon", "name": "nom", "i": "je", "you": "vous",
        "love": "aime", "cat": "chat", "dog": "chien", "house": "maison",
        "good": "bon", "day": "jour", "thank": "merci", "model": "modèle",
        "this": "ce", "with": "avec", "in": "dans", "of": "de", "today": "aujourd'hui",
    },
    "de": {
        "the": "der", "a": "ein", "is": "ist", "and": "und", "hello": "hallo",
        "world": "Welt", "my": "mein", "name": "Name", "i": "ich", "you": "du",
        "love": "liebe", "cat": "Katze", "dog": "Hund", "house": "Haus",
        "good": "gut", "day": "Tag", "thank": "danke", "model": "Modell",
        "this": "dies", "with": "mit", "in": "in", "of": "von", "today": "heute",
    },
    "es": {
        "the": "el", "a": "un", "is": "es", "and": "y", "hello": "hola",
        "world": "mundo", "my": "mi", "name": "nombre", "i": "yo", "you": "tú",
        "love": "amo", "cat": "gato", "dog": "perro", "house": "casa",
        "good": "bueno", "day": "día", "thank": "gracias", "model": "modelo",
        "this": "esto", "with": "con", "in": "en", "of": "de", "today": "hoy",
    },
}  # fmt: skip


def _bad_input(message: str) -> ApiError:
    return ApiError(400, message)


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [v / total for v in exps]


def _top_k(parameters: dict[str, Any], default: int | None) -> int | None:
    value = parameters.get("top_k", default)
    if value is not None and (not isinstance(value, int) or value < 1):
        raise _bad_input("`top_k` must be a positive integer")
    return value


def text_classification(
    text: str, parameters: dict[str, Any], repository: str
) -> list[dict[str, Any]]:
    """Labels with scores, best first (sentiment unless the repo hints emotions)."""
    lowered = {word.lower() for word, _s, _e in words_of(text)}
    bias = len(lowered & _POSITIVE) - len(lowered & _NEGATIVE)
    generator = rng("text-classification", repository, text)
    if "emotion" in repository.lower():
        labels = list(_EMOTIONS)
        logits = [generator.gauss(0, 1) for _ in labels]
        logits[0] += bias
        logits[1] -= bias
    else:
        labels = ["POSITIVE", "NEGATIVE"]
        margin = 2.0 * bias + generator.uniform(-1.5, 1.5)
        logits = [margin / 2, -margin / 2]
    rows: list[dict[str, Any]] = [
        {"label": label, "score": round(score, 6)}
        for label, score in zip(labels, _softmax(logits), strict=True)
    ]
    rows.sort(key=lambda row: -row["score"])
    return rows[: _top_k(parameters, None)]


def _entity_group(span: str) -> str:
    if span in _LOCATIONS:
        return "LOC"
    if span in _ORGS or span.split()[-1] in ("Inc", "Corp", "Ltd", "University"):
        return "ORG"
    return "PER" if " " in span else ("MISC", "PER", "ORG", "LOC")[len(span) % 4]


def _entity_spans(text: str) -> list[tuple[str, int]]:
    """Runs of capitalised words, minus sentence-initial and function words."""
    spans = []
    for match in _CAPITALISED.finditer(text):
        words = [
            (word.group(), match.start() + word.start())
            for word in re.finditer(r"\S+", match.group())
        ]
        first_start = words[0][1]
        at_sentence_start = text[:first_start].rstrip()[-1:] in ("", ".", "!", "?")
        if (
            at_sentence_start
            and len(words) == 1
            and words[0][0] not in _LOCATIONS | _ORGS
        ):
            words = words[1:]
        while words and words[0][0].lower() in _STOPWORDS | {"i", "my"}:
            words = words[1:]
        if words:
            start = words[0][1]
            end = words[-1][1] + len(words[-1][0])
            spans.append((text[start:end], start))
    return spans


def token_classification(
    text: str, parameters: dict[str, Any], repository: str
) -> list[dict[str, Any]]:
    """Capitalised spans as entities, with ``entity_group, score, word, start, end``."""
    entities = []
    for span, start in _entity_spans(text):
        generator = rng("token-classification", repository, span)
        entities.append(
            {
                "entity_group": _entity_group(span),
                "score": round(generator.uniform(0.9, 0.999), 6),
                "word": span,
                "start": start,
                "end": start + len(span),
            }
        )
    return entities


def zero_shot_classification(
    text: str, parameters: dict[str, Any], repository: str
) -> dict[str, Any]:
    """``{"sequence", "labels", "scores"}`` over ``parameters.candidate_labels``."""
    labels = parameters.get("candidate_labels")
    if isinstance(labels, str):
        labels = [label.strip() for label in labels.split(",") if label.strip()]
    valid = isinstance(labels, list) and all(isinstance(x, str) for x in labels)
    if not labels or not valid:
        raise _bad_input(
            "The `candidate_labels` parameter is required: a list of labels"
        )
    words = {word.lower() for word, _s, _e in words_of(text)}
    logits = []
    for label in labels:
        overlap = len(words & {w.lower() for w, _s, _e in words_of(label)})
        logits.append(2.5 * overlap + rng("zero-shot", text, label).gauss(0, 1))
    if parameters.get("multi_label"):
        scores = [1 / (1 + math.exp(-value)) for value in logits]
    else:
        scores = _softmax(logits)
    ranked = sorted(zip(labels, scores, strict=True), key=lambda pair: -pair[1])
    return {
        "sequence": text,
        "labels": [label for label, _score in ranked],
        "scores": [round(score, 6) for _label, score in ranked],
    }


def fill_mask(
    text: str, parameters: dict[str, Any], repository: str
) -> list[dict[str, Any]]:
    """Candidates for the mask, best first (5 unless ``top_k``)."""
    mask = next((m for m in _MASKS if m in text), None)
    if mask is None:
        raise _bad_input(f"No mask_token ({' or '.join(_MASKS)}) found on the input")
    generator = rng("fill-mask", repository, text)
    count = _top_k(parameters, 5) or 5
    words = generator.sample(_FILLERS, len(_FILLERS))
    scores = ranked_scores(generator, len(words), total=0.9)
    return [
        {
            "score": score,
            "token": token_id(word),
            "token_str": word,
            "sequence": text.replace(mask, word, 1),
        }
        for word, score in zip(words, scores, strict=True)
    ][:count]


def question_answering(question: str, context: str, repository: str) -> dict[str, Any]:
    """A real span of ``context``: the best-matching sentence's new words."""
    asked = {w.lower() for w, _s, _e in words_of(question)} - _STOPWORDS
    best, best_overlap = None, -1
    for match in re.finditer(r"[^.!?]+[.!?]?", context):
        found = words_of(match.group())
        overlap = len(asked & {w.lower() for w, _s, _e in found})
        if found and overlap > best_overlap:
            best, best_overlap = match, overlap
    if best is None:
        raise _bad_input("`context` must contain some words")
    words = [
        (word, best.start() + start, best.start() + end)
        for word, start, end in words_of(best.group())
    ]
    fresh = [
        i for i, (w, _s, _e) in enumerate(words) if w.lower() not in asked | _STOPWORDS
    ]
    # Answers tend to follow the words the question repeats.
    matched = [i for i, (w, _s, _e) in enumerate(words) if w.lower() in asked]
    after = [i for i in fresh if matched and i > matched[-1]]
    first = (after or fresh or [0])[0]
    last = first
    while last + 1 < len(words) and last - first < 3 and last + 1 in fresh:
        last += 1
    start, end = words[first][1], words[last][2]
    ratio = best_overlap / max(len(asked), 1)
    return {
        "answer": context[start:end],
        "score": round(0.3 + 0.65 * min(ratio, 1.0), 6),
        "start": start,
        "end": end,
    }


def summarization(text: str, parameters: dict[str, Any]) -> dict[str, str]:
    """The first sentence, shortened to ``max_length`` words when given."""
    sentences = sentences_of(text)
    if not sentences:
        raise _bad_input("`inputs` must contain some text")
    words = sentences[0].split()
    if len(sentences) == 1 and len(words) > 12:
        words = words[: max(len(words) * 2 // 3, 8)]
    limit = parameters.get("max_length")
    if isinstance(limit, int) and limit > 0:
        words = words[:limit]
    summary = " ".join(words)
    return {"summary_text": summary if summary[-1:] in ".!?" else summary + "."}


def _target_language(parameters: dict[str, Any], repository: str) -> str:
    wanted = str(parameters.get("tgt_lang") or "")[:2].lower()
    if wanted in _DICTIONARIES:
        return wanted
    tail = repository.lower().rsplit("-", 1)[-1]
    return tail if tail in _DICTIONARIES else "fr"


def translation(
    text: str, parameters: dict[str, Any], repository: str
) -> dict[str, str]:
    """Word-by-word translation with a small dictionary (French by default)."""
    dictionary = _DICTIONARIES[_target_language(parameters, repository)]

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        translated = dictionary.get(word.lower(), word)
        return translated.capitalize() if word[:1].isupper() else translated

    return {"translation_text": re.sub(r"[\w']+", swap, text)}
