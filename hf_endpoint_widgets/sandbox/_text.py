"""Deterministic building blocks for fake model outputs: hashes, words, vectors."""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
from collections.abc import Sequence

__all__ = [
    "SENTENCES",
    "cosine",
    "embed",
    "ranked_scores",
    "rng",
    "sentences_of",
    "token_id",
    "unit",
    "words_of",
]

EMBEDDING_DIM = 384
_WORD_RE = re.compile(r"[\w']+")
_SENTENCE_RE = re.compile(r"[^.!?]+[.!?]?")

# What the fake language model "knows": ordinary sentences, so generated text reads
# as English even though it is chosen by a hash of the prompt.
SENTENCES = (
    "The model answers questions about the documents you give it.",
    "Inference Endpoints run a model on dedicated hardware in the cloud.",
    "A replica starts when the first request arrives after a quiet period.",
    "Small models are fast and cheap to serve on a single CPU.",
    "Larger models need a GPU with enough memory for their weights.",
    "The weather in the valley was mild and the river ran clear.",
    "She opened the notebook and wrote down the results of the test.",
    "Every request is logged so that errors can be traced later.",
    "The team measured latency before and after the change.",
    "A good prompt states the task and gives one clear example.",
    "Tokens are generated one at a time until a stop condition is met.",
    "The city library opens early on weekdays and closes at six.",
    "Scaling to zero saves money when nobody is using the service.",
    "The dashboard shows the status of each endpoint at a glance.",
    "He cooked the pasta slowly and added fresh basil at the end.",
    "Embeddings place similar sentences close to each other.",
    "Paused endpoints keep their configuration but use no hardware.",
    "The committee agreed to review the proposal next month.",
    "Clear error messages save hours of debugging.",
    "The train left the station a few minutes after noon.",
    "Caching responses can make repeated requests much faster.",
    "The results were consistent across three separate runs.",
    "Translation models map a sentence from one language to another.",
    "A summary keeps the main idea and drops the details.",
)


def rng(*parts: object) -> random.Random:
    """Return a ``random.Random`` seeded by a hash of ``parts``."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def ranked_scores(
    generator: random.Random, count: int, total: float = 1.0
) -> list[float]:
    """``count`` decreasing scores that add up to less than ``total``."""
    remaining, scores = total, []
    for _ in range(count):
        score = remaining * generator.uniform(0.4, 0.8)
        remaining -= score
        scores.append(round(score, 6))
    return sorted(scores, reverse=True)


def token_id(word: str) -> int:
    """A stable fake vocabulary id for ``word`` (a GPT-2-sized vocabulary)."""
    digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 50257


def words_of(text: str) -> list[tuple[str, int, int]]:
    """Return ``(word, start, end)`` for every word of ``text``."""
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def sentences_of(text: str) -> list[str]:
    """Split ``text`` into trimmed sentences."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def unit(values: Sequence[float]) -> list[float]:
    """Scale ``values`` to unit length (a zero vector stays zero)."""
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


@functools.lru_cache(maxsize=4096)
def _word_vector(word: str, dim: int) -> tuple[float, ...]:
    generator = rng("embedding", word)
    return tuple(generator.gauss(0.0, 1.0) for _ in range(dim))


def embed(text: str, dim: int = EMBEDDING_DIM) -> list[float]:
    """A unit vector for ``text``: the sum of per-word random vectors.

    Texts that share words get similar vectors, so similarity scores behave
    plausibly; the same text always gives the same vector.
    """
    total = [0.0] * dim
    for word, _start, _end in words_of(text.lower()) or [(text, 0, 0)]:
        for index, value in enumerate(_word_vector(word, dim)):
            total[index] += value
    return [round(v, 6) for v in unit(total)]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors."""
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
