"""The options of the magics, declared once as tables.

``%infer?`` and ``%endpoint?`` print help generated from these declarations by
IPython's ``magic_arguments``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from IPython.core.magic_arguments import argument, magic_arguments

from .._results import FORMATS

__all__ = ["ENDPOINT_ARGUMENTS", "INFER_ARGUMENTS", "declare"]

F = TypeVar("F", bound=Callable[..., Any])
Declaration = tuple[Sequence[str], dict[str, Any]]

DEFAULT_TIMEOUT = 300.0
DEFAULT_CONCURRENCY = 8

INFER_ARGUMENTS: list[Declaration] = [
    (
        ["endpoint"],
        {
            "nargs": "?",
            "help": "Endpoint NAME or NAMESPACE/NAME. Default: the row selected in the "
            "latest EndpointManager, else the one set by %%endpoint use NAME.",
        },
    ),
    (
        ["-p", "--params"],
        {
            "metavar": "JSON",
            "help": "Parameters merged into the payload's 'parameters' (top level for "
            "chat 'messages'), as JSON or the name of a dict variable.",
        },
    ),
    (
        ["-t", "--task"],
        {"help": "Task to display the answer for (default: the endpoint's task)."},
    ),
    (
        ["-f", "--format"],
        {
            "choices": FORMATS,
            "default": "auto",
            "metavar": "FORMAT",
            "help": f"How to display the answer: {', '.join(FORMATS)}.",
        },
    ),
    (["--raw"], {"action": "store_true", "help": "Print the response untouched."}),
    (
        ["--stream"],
        {
            "action": "store_true",
            "help": "Stream generated text into the output as it arrives (TGI "
            "generate_stream, or chat completions for a 'messages' payload).",
        },
    ),
    (["--file"], {"metavar": "PATH", "help": "Send this file's bytes (image, audio)."}),
    (
        ["--data"],
        {
            "metavar": "VAR",
            "help": "Send the bytes (or PIL image) held by this variable.",
        },
    ),
    (
        ["--path"],
        {
            "metavar": "ROUTE",
            "help": "Route under the endpoint's URL, e.g. "
            "generate or v1/chat/completions.",
        },
    ),
    (
        ["--batch"],
        {
            "metavar": "SOURCE",
            "help": "Send one request per item of a list or Series variable, or of a "
            "DataFrame column (df.text). The body, if any, is a template where {item} "
            "stands for each item; without one, each item is the payload. Returns a "
            "DataFrame with a row for every item.",
        },
    ),
    (
        ["--concurrency"],
        {
            "type": int,
            "default": DEFAULT_CONCURRENCY,
            "metavar": "N",
            "help": f"Requests in flight at once with --batch (default "
            f"{DEFAULT_CONCURRENCY}).",
        },
    ),
    (
        ["--timeout"],
        {
            "type": float,
            "default": DEFAULT_TIMEOUT,
            "metavar": "S",
            "help": f"Seconds to wait for the endpoint and its answer (default "
            f"{DEFAULT_TIMEOUT:g}).",
        },
    ),
    (
        ["--wait"],
        {
            "action": "store_true",
            "help": "Wait for a pending, initializing or updating endpoint.",
        },
    ),
    (
        ["--resume"],
        {
            "action": "store_true",
            "help": "Resume a paused endpoint and wait for it (it is billed again).",
        },
    ),
    (
        ["--no-interpolate"],
        {"action": "store_true", "help": "Send {name} tokens as written."},
    ),
    (
        ["--dry-run"],
        {"action": "store_true", "help": "Show the payload; send nothing."},
    ),
    (["--debug"], {"action": "store_true", "help": "Show tracebacks of errors."}),
]

ENDPOINT_ARGUMENTS: list[Declaration] = [
    (
        ["action"],
        {
            "nargs": "?",
            "choices": ("use", "show", "wait"),
            "help": "use: make NAME the default of %%infer; show: a live status badge; "
            "wait: block until NAME runs. Without an action, show the default.",
        },
    ),
    (["name"], {"nargs": "?", "help": "Endpoint NAME or NAMESPACE/NAME."}),
    (
        ["--timeout"],
        {
            "type": float,
            "default": DEFAULT_TIMEOUT,
            "metavar": "S",
            "help": f"Seconds to wait at most (default {DEFAULT_TIMEOUT:g}).",
        },
    ),
]


def declare(declarations: Sequence[Declaration]) -> Callable[[F], F]:
    """Apply ``magic_arguments`` and one ``argument`` per declaration."""

    def decorate(func: F) -> F:
        for flags, options in reversed(declarations):
            func = argument(*flags, **options)(func)  # type: ignore[no-untyped-call]
        decorated: F = magic_arguments()(func)  # type: ignore[no-untyped-call]
        return decorated

    return decorate
