"""What ``%%infer`` does once its line is parsed: find the endpoint, build the
request, get the endpoint ready, send, and wrap the answer for display."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
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
from ._parse import Request, build_request, parse_params, resolve_batch
from ._ready import ensure_ready, say, show_badge, waiting
from ._target import Targets

if TYPE_CHECKING:
    import httpx2
    import pandas as pd

    from .._models import InferenceEndpoint
    from .._results import InferenceResult

__all__ = ["Outcome", "one_line", "run_infer"]

logger = logging.getLogger(__name__)

RowHook = Callable[[int, Any], None]


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


def _route(args: argparse.Namespace, payload: Any) -> str:
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
    endpoint = targets.get(args.endpoint)
    if args.batch:
        return Outcome(_batch(namespace, args, body, params, endpoint, on_row))

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
        return Outcome(JsonResult(shown, endpoint=endpoint.id, display="json"))

    waking = _ready(endpoint, args)
    if args.stream:
        return Outcome(_stream(endpoint, request, args, waking), shown=True)

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


def _ready(endpoint: InferenceEndpoint, args: argparse.Namespace) -> bool:
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
    route = _route(args, request.json)
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


def _send(
    targets: Targets,
    endpoint: InferenceEndpoint,
    request: Request,
    args: argparse.Namespace,
    waking: bool,
) -> tuple[httpx2.Response, InferenceEndpoint]:
    """POST; if a running endpoint refuses, look again: it may have been paused or
    scaled to zero since we last looked."""
    try:
        return _post(endpoint, request, args, waking), endpoint
    except (ServerError, BadRequestError, NotFoundError, EndpointConnectionError):
        if waking:
            raise
        fresh = targets.get(args.endpoint, fresh=True)
        if fresh.status == "running":
            raise
        logger.info("%s is now %s", fresh.id, fresh.status)

    waking = _ready(fresh, args)
    return _post(fresh, request, args, waking), fresh


def _stream(
    endpoint: InferenceEndpoint,
    request: Request,
    args: argparse.Namespace,
    waking: bool,
) -> InferenceResult:
    """Show the text as it arrives in one output, then the finished result there."""
    from IPython.display import display

    if request.json is None:
        raise UsageError("--stream needs a text or JSON payload, not raw bytes.")
    headers = None
    if waking:
        say(f"{endpoint.id} is scaledToZero: waking it up (up to {args.timeout:g} s).")
        show_badge(endpoint)
        headers = {"x-scale-up-timeout": str(int(args.timeout))}

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
    start = time.perf_counter()
    stream = endpoint.client.stream(
        request.json, path=args.path, headers=headers, timeout=args.timeout
    )
    for piece in stream:
        pieces.append(piece)
        if handle is not None:
            handle.update({"text/plain": "".join(pieces)}, raw=True)

    result.raw = "".join(pieces)
    result.elapsed_s = time.perf_counter() - start
    if handle is not None:
        handle.update(result)
    return result


def _batch(
    namespace: dict[str, Any],
    args: argparse.Namespace,
    body: str,
    params: dict[str, Any],
    endpoint: InferenceEndpoint,
    on_row: RowHook | None,
) -> pd.DataFrame | JsonResult:
    """One request per item of ``--batch``; the body, if any, is a template in which
    ``{item}`` stands for each item."""
    items = resolve_batch(args.batch, namespace)
    template = body if body.strip() else None

    def payload(item: Any) -> tuple[Any, bytes | None]:
        scope = {**namespace, "item": item}
        built = build_request(
            template or "{item}",
            scope,
            params=params,
            interpolating=not args.no_interpolate,
        )
        return built.json, built.data

    values = _values(items)
    first_json, first_data = payload(values[0] if values else "")
    if args.dry_run:
        return JsonResult(first_json, display="json")

    if _ready(endpoint, args):
        with waiting(endpoint, "waking it up", args.timeout) as progress:
            endpoint.client.request(
                first_json,
                data=first_data,
                path=_route(args, first_json),
                wake_timeout=args.timeout,
                on_wait=progress.on_wait,
            )
    return endpoint.client.batch(
        items,
        concurrency=args.concurrency,
        payload=payload,
        path=_route(args, first_json),
        progress=True,
        description=endpoint.id,
        on_result=on_row,
    )


def _values(items: Any) -> list[Any]:
    tolist = getattr(items, "tolist", None)
    return list(tolist()) if callable(tolist) else list(items)
