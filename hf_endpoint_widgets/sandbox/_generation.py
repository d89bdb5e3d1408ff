"""Fake text generation in the shapes of TGI and its OpenAI-compatible routes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ._errors import ApiError
from ._text import SENTENCES, rng, token_id, words_of

__all__ = [
    "GENERATIVE_TASKS",
    "Generation",
    "chat_completion",
    "chat_events",
    "generate",
    "generate_events",
    "generated_text",
    "prompt_of_messages",
    "sse",
]

GENERATIVE_TASKS = ("text-generation", "text2text-generation", "conversational")
DEFAULT_MAX_NEW_TOKENS = 20
MAX_NEW_TOKENS = 4096
_FINGERPRINT = "3.3.4-sandbox"


def validation_error(message: str) -> ApiError:
    """A TGI-style 422 (TGI adds ``error_type``; the message is what matters)."""
    return ApiError(422, f"Input validation error: {message}")


@dataclass(frozen=True)
class Token:
    id: int
    text: str
    logprob: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "logprob": self.logprob,
            "special": False,
        }


@dataclass(frozen=True)
class Generation:
    """The tokens generated for one prompt and why generation stopped."""

    prompt: str
    tokens: tuple[Token, ...]
    finish_reason: str
    seed: int | None

    @property
    def text(self) -> str:
        return "".join(token.text for token in self.tokens)

    @property
    def prompt_tokens(self) -> int:
        return max(len(words_of(self.prompt)), 1)

    def details(self) -> dict[str, Any]:
        return {
            "finish_reason": self.finish_reason,
            "generated_tokens": len(self.tokens),
            "seed": self.seed,
        }


def _int_param(parameters: dict[str, Any], key: str, default: int | None) -> int | None:
    value = parameters.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise validation_error(f"`{key}` must be an integer")
    if not 0 < value <= MAX_NEW_TOKENS:
        raise validation_error(f"`{key}` must be between 1 and {MAX_NEW_TOKENS}")
    return value


def generate(
    prompt: Any, parameters: Any, *, limit_key: str = "max_new_tokens"
) -> Generation:
    """Generate deterministically from ``prompt`` (same prompt, same text).

    Raises
    ------
    ApiError
        422 for an empty prompt or invalid parameters, like TGI.
    """
    if not isinstance(prompt, str) or not prompt.strip():
        raise validation_error("`inputs` must be a non-empty string")
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, dict):
        raise validation_error("`parameters` must be an object")
    default = DEFAULT_MAX_NEW_TOKENS if limit_key == "max_new_tokens" else None
    limit = _int_param(parameters, limit_key, default)
    seed = parameters.get("seed")
    stop = parameters.get("stop") or []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise validation_error("`stop` must be a string or a list of strings")

    generator = rng("generate", prompt, seed)
    first = generator.randrange(len(SENTENCES))
    picked = [SENTENCES[(first + step * 7) % len(SENTENCES)] for step in range(3)]
    words = " ".join(picked).split()
    tokens: list[Token] = []
    finish = "eos_token"
    for word in words:
        if limit is not None and len(tokens) >= limit:
            finish = "length"
            break
        text = f" {word}"
        tokens.append(Token(token_id(word), text, round(-generator.random() * 2.5, 4)))
        if any(s and s in "".join(t.text for t in tokens) for s in stop):
            finish = "stop_sequence"
            break
    return Generation(prompt, tuple(tokens), finish, seed)


def generated_text(generation: Generation, parameters: dict[str, Any]) -> str:
    """The ``generated_text`` field; TGI leaves the prompt out by default."""
    if parameters.get("return_full_text"):
        return generation.prompt + generation.text
    return generation.text


def generate_events(
    generation: Generation, parameters: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The ``/generate_stream`` events: one per token, the last one complete."""
    last = len(generation.tokens) - 1
    for index, token in enumerate(generation.tokens):
        final = index == last
        yield {
            "index": index + 1,
            "token": token.as_json(),
            "generated_text": generated_text(generation, parameters) if final else None,
            "details": generation.details()
            if final and parameters.get("details")
            else None,
            "top_tokens": None,
        }


def _content_text(content: Any) -> str:
    """The text of a message ``content``: a string or a list of typed parts."""
    if content is None or isinstance(content, str):
        return content or ""
    if not isinstance(content, list):
        raise validation_error("`content` must be a string or a list of parts")
    texts = []
    for part in content:
        if not isinstance(part, dict):
            raise validation_error("each `content` part must be an object")
        text = part.get("text", "")
        if not isinstance(text, str):
            raise validation_error("the `text` of a `content` part must be a string")
        texts.append(text)
    return " ".join(texts)


def prompt_of_messages(messages: Any) -> str:
    """Flatten OpenAI-style ``messages`` into one prompt string.

    Raises
    ------
    ApiError
        422 when ``messages`` is not a non-empty list of ``{role, content}``.
    """
    if not isinstance(messages, list) or not messages:
        raise validation_error("`messages` must be a non-empty list")
    lines = []
    for message in messages:
        if not isinstance(message, dict) or "role" not in message:
            raise validation_error("each message needs a `role` and a `content`")
        lines.append(f"{message['role']}: {_content_text(message.get('content'))}")
    return "\n".join(lines)


def _chat_finish(generation: Generation) -> str:
    return "length" if generation.finish_reason == "length" else "stop"


def chat_completion(generation: Generation, model: str) -> dict[str, Any]:
    """The body of a non-streamed ``/v1/chat/completions`` answer."""
    completion = len(generation.tokens)
    return {
        "id": "",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": _FINGERPRINT,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": generation.text.lstrip()},
                "logprobs": None,
                "finish_reason": _chat_finish(generation),
            }
        ],
        "usage": {
            "prompt_tokens": generation.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": generation.prompt_tokens + completion,
        },
    }


def chat_events(generation: Generation, model: str) -> Iterator[dict[str, Any]]:
    """The chunks of a streamed chat completion (``[DONE]`` is added by the caller)."""
    created = int(time.time())
    last = len(generation.tokens) - 1
    for index, token in enumerate(generation.tokens):
        yield {
            "id": "",
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": _FINGERPRINT,
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "role": "assistant",
                        "content": token.text.lstrip() if index == 0 else token.text,
                    },
                    "logprobs": None,
                    "finish_reason": _chat_finish(generation)
                    if index == last
                    else None,
                }
            ],
            "usage": None,
        }


def sse(event: dict[str, Any] | str) -> bytes:
    """Encode one server-sent event line."""
    data = event if isinstance(event, str) else json.dumps(event)
    return f"data: {data}\n\n".encode()
