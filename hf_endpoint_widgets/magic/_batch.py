"""``%%infer --batch``: one request per item, every row kept, bad items and odd
answers as errors in their own rows."""

from __future__ import annotations

import argparse
from collections import ChainMap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from .._batch import as_items
from .._results import JsonResult
from ._infer import RowHook, ready, route_for
from ._parse import build_request, request_from_value, resolve_batch
from ._ready import say, wake_up

if TYPE_CHECKING:
    import pandas as pd

    from .._models import InferenceEndpoint

__all__ = ["batch_items", "run_batch_cell"]

Payload = tuple[Any, bytes | None]
Builder = Callable[..., Payload]


def batch_items(source: str, value: Any) -> list[Any] | pd.Series:
    """The items of ``--batch SOURCE``, read once: a Series as it is (its index
    labels the rows), anything else as a list; user mistakes are ``UsageError``s."""
    import pandas as pd

    try:
        values, index = as_items(value, source)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"--batch {exc}") from None
    return values if index is None else pd.Series(values, index=index)


def _builder(
    namespace: dict[str, Any],
    args: argparse.Namespace,
    body: str,
    params: dict[str, Any],
) -> Builder:
    """``payload(item)``: the body as a template where ``{item}`` stands for each
    item, or, without a body, the item itself (as ``{item}`` alone would be)."""
    template = body if body.strip() else None

    def payload(item: Any, warn: Callable[[str], None] | None = None) -> Payload:
        if template is None:
            built = request_from_value(item, "item", params)
        else:
            built = build_request(
                template,
                ChainMap({"item": item}, namespace),
                params=params,
                interpolating=not args.no_interpolate,
                warn=warn,
            )
        return built.json, built.data

    return payload


def _first(values: list[Any], payload: Builder) -> tuple[Payload | None, Any]:
    """The first payload that builds (telling once of ``{names}`` left as
    written), and the error of the first item when it does not build."""
    error: Exception | None = None
    for position, value in enumerate(values):
        try:
            return payload(value, say if position == 0 else None), error
        except Exception as exc:  # that item's row will say so
            error = error or exc
    return None, error


def run_batch_cell(
    namespace: dict[str, Any],
    args: argparse.Namespace,
    body: str,
    params: dict[str, Any],
    endpoint: InferenceEndpoint,
    on_row: RowHook | None,
) -> pd.DataFrame | JsonResult:
    """One request per item of ``--batch``, ``--concurrency`` at a time, within
    ``--timeout`` each; returns a DataFrame with a row for every item."""
    if args.file or args.data:
        raise UsageError(
            "--batch sends one request per item: put the bytes in the items instead "
            "of --file or --data."
        )
    items = batch_items(args.batch, resolve_batch(args.batch, namespace))
    values = items if isinstance(items, list) else items.tolist()
    payload = _builder(namespace, args, body, params)
    first, error = _first(values, payload)

    if args.dry_run:
        if error is not None and not isinstance(error, UsageError):
            raise UsageError(f"The first item cannot be sent: {error}") from None
        if error is not None:
            raise error
        if first is None:
            raise UsageError(
                f"--batch {args.batch} is empty: there is nothing to send."
            )
        shown = first[0] if first[1] is None else f"<{len(first[1])} bytes>"
        return JsonResult(shown, display="json")

    if values and ready(endpoint, args):
        wake_up(endpoint, args.timeout)
    return endpoint.client.batch(
        items,
        concurrency=args.concurrency,
        payload=payload,
        path=route_for(args, first[0] if first else None),
        timeout=args.timeout,
        progress=True,
        description=endpoint.id,
        on_result=on_row,
    )
