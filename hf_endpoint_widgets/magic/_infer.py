"""What ``%%infer`` does once its line is parsed: find the endpoint, build the
request, get the endpoint ready, send, and wrap the answer for display."""

from __future__ import annotations

import argparse
import itertools
import logging
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from .._config import resolve_token
from .._inference import CHAT_ROUTE, parse_body
from .._results import JsonResult, TextResult, make_result
from ..errors import (
    BadRequestError,
    EndpointConnectionError,
    InferenceEndpointError,
    NotFoundError,
    ServerError,
)
from ._parse import Request, build_request, parse_params
from ._ready import ensure_ready, say, waiting, wake_up
from ._target import Targets

if TYPE_CHECKING:
    import httpx2

    from .._models import InferenceEndpoint
    from .._results import InferenceResult

__all__ = ["Outcome", "one_line", "run_infer"]

logger = logging.getLogger(__name__)

RowHook = Callable[[int, Any], None]

# Answers after which the endpoint is looked at again: it may have been paused or
# scaled to zero since it was cached as running.
REFUSALS = (ServerError, BadRequestError, NotFoundError, EndpointConnectionError)
# States an endpoint scaled to zero goes through once a request has woken it.
WAKING = ("pending", "initializing")


class Outcome:
    """What the magic returns, and whether to show it (``--raw`` and ``--stream``
    have already written their output)."""

    def __init__(self, value: Any, *, shown: bool = False) -> None:
        self.value = value
        self.shown = shown


def one_line(exc: BaseException) -> str:
    """The error as one line, with the token (should a server echo it) masked."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    token = resolve_token()
    return text.replace(token, "hf_***") if token else text


def run_infer(
    namespace: dict[str, Any],
    args: argparse.Namespace,
    body: str,
    targets: Targets,
    on_row: RowHook | None = None,
) -> Outcome:
    """Run one ``%%infer``; errors of the package become one-line ``UsageError``s
    (with ``--debug``, the original exception and its traceback)."""
    try:
        return _run(namespace, args, body, targets, on_row)
    except InferenceEndpointError as exc:
        if args.debug:
            raise
        raise UsageError(one_line(exc)) from None


def _shown_as(args: argparse.Namespace) -> str:
    """How ``--dry-run`` shows the payload: as JSON unless ``-f`` says otherwise."""
    return "json" if args.format == "auto" else str(args.format)


def route_for(args: argparse.Namespace, payload: Any) -> str:
    """``--path``, else chat completions for a ``messages`` payload."""
    if args.path:
        return str(args.path)
    return CHAT_ROUTE if isinstance(payload, dict) and "messages" in payload else ""


def _run(
    namespace: dict[str, Any],
    args: argparse.Namespace,
    body: str,
    targets: Targets,
    on_row: RowHook | None,
) -> Outcome:
    params = parse_params(args.params, namespace)
    if args.batch:
        from ._batch import run_batch_cell

        endpoint = targets.get(args.endpoint, fresh=not args.dry_run)
        batch = run_batch_cell(namespace, args, body, params, endpoint, on_row)
        return Outcome(batch)

    endpoint = targets.get(args.endpoint)

    request = build_request(
        body,
        namespace,
        params=params,
        file=args.file,
        data=args.data,
        interpolating=not args.no_interpolate,
        warn=say,
    )
    if args.dry_run:
        shown = request.json if request.data is None else request.inputs
        return Outcome(JsonResult(shown, endpoint=endpoint.id, display=_shown_as(args)))

    waking = ready(endpoint, args)
    if args.stream:
        return Outcome(_stream(targets, endpoint, request, args, waking), shown=True)

    start = time.perf_counter()
    response, endpoint = _send(targets, endpoint, request, args, waking)
    if args.raw:
        kind = response.headers.get("content-type", "")
        text = (
            response.text
            if "json" in kind or kind.startswith("text/")
            else (f"<{len(response.content)} bytes of {kind or 'unknown type'}>")
        )
        say(text)
        return Outcome(parse_body(response), shown=True)
    return Outcome(
        make_result(
            parse_body(response),
            task=args.task or endpoint.task,
            content_type=response.headers.get("content-type"),
            endpoint=endpoint.id,
            inputs=request.inputs,
            elapsed_s=time.perf_counter() - start,
            display=args.format,
        )
    )


def ready(endpoint: InferenceEndpoint, args: argparse.Namespace) -> bool:
    """Get the endpoint ready as the options say; True when a request must wake
    it."""
    return ensure_ready(
        endpoint, wait=args.wait, resume=args.resume, timeout=args.timeout
    )


def _post(
    endpoint: InferenceEndpoint,
    request: Request,
    args: argparse.Namespace,
    waking: bool,
) -> httpx2.Response:
    client = endpoint.client
    route = route_for(args, request.json)
    if not waking:
        return client.request(
            request.json, data=request.data, path=route, timeout=args.timeout
        )
    with waiting(endpoint, "waking it up", args.timeout) as progress:
        return client.request(
            request.json,
            data=request.data,
            path=route,
            wake_timeout=args.timeout,
            on_wait=progress.on_wait,
        )


def _look_again(
    targets: Targets, args: argparse.Namespace, refusal: Exception
) -> tuple[InferenceEndpoint, bool] | None:
    """After a refusal, fetch the endpoint again: it may have been paused or scaled
    to zero since it was cached. None when it still runs (the refusal stands);
    else the endpoint and whether a request must wake it."""
    fresh = targets.get(args.endpoint, fresh=True)
    if fresh.status == "running":
        return None
    logger.info("%s is now %s", fresh.id, fresh.status)
    if fresh.status in WAKING and getattr(refusal, "status_code", None) == 503:
        return fresh, True  # the refused request itself woke it from zero
    return fresh, ready(fresh, args)


def _send(
    targets: Targets,
    endpoint: InferenceEndpoint,
    request: Request,
    args: argparse.Namespace,
    waking: bool,
) -> tuple[httpx2.Response, InferenceEndpoint]:
    """POST; if a running endpoint refuses, look again and wake it if need be."""
    try:
        return _post(endpoint, request, args, waking), endpoint
    except REFUSALS as exc:
        if waking or (again := _look_again(targets, args, exc)) is None:
            raise
    fresh, waking = again
    return _post(fresh, request, args, waking), fresh


def _open_stream(
    endpoint: InferenceEndpoint, request: Request, args: argparse.Namespace
) -> Iterator[str]:
    """The stream, once its first piece has arrived (so a refusal raises here)."""
    stream = endpoint.client.stream(request.json, path=args.path, timeout=args.timeout)
    first = next(stream, None)
    return itertools.chain([] if first is None else [first], stream)


def _stream(
    targets: Targets,
    endpoint: InferenceEndpoint,
    request: Request,
    args: argparse.Namespace,
    waking: bool,
) -> InferenceResult:
    """Wake the endpoint if need be (as without ``--stream``), then show the text as
    it arrives in one output, then the finished result there."""
    from IPython.display import display

    if request.json is None:
        raise UsageError("--stream needs a text or JSON payload, not raw bytes.")
    if waking:
        wake_up(endpoint, args.timeout)
    start = time.perf_counter()
    try:
        stream = _open_stream(endpoint, request, args)
    except REFUSALS as exc:
        if waking or (again := _look_again(targets, args, exc)) is None:
            raise
        endpoint, waking = again
        if waking:
            wake_up(endpoint, args.timeout)
        start = time.perf_counter()
        stream = _open_stream(endpoint, request, args)

    result = TextResult(
        "",
        task=args.task or endpoint.task,
        endpoint=endpoint.id,
        inputs=request.inputs,
        display=args.format,
    )
    handle = display(  # type: ignore[no-untyped-call]
        {"text/plain": ""}, raw=True, display_id=True
    )
    pieces: list[str] = []
    for piece in stream:
        pieces.append(piece)
        if handle is not None:
            handle.update({"text/plain": "".join(pieces)}, raw=True)

    result.raw = "".join(pieces)
    result.elapsed_s = time.perf_counter() - start
    if handle is not None:
        handle.update(result)
    return result
