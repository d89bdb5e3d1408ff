"""Send one inference request per item, many at a time, and keep every row.

The engine is asynchronous: ``concurrency`` workers share one ``httpx2.AsyncClient``
whose pool holds as many connections. The synchronous entry point runs it on a worker
thread with its own event loop, so it works inside a notebook's running loop, and keeps
the progress bar and the callbacks on the calling thread, where an interrupt lands.

Inference POSTs only read a model, so sending one twice is harmless: 429, 5xx and
dropped connections are retried (honouring ``Retry-After``), unlike lifecycle calls.
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
import pandas as pd

from ._http import RetryPolicy, build_headers, error_from_response, retry_after
from ._inference import parse_body
from ._media_types import sniff

__all__ = [
    "BATCH_COLUMNS",
    "BatchRow",
    "as_items",
    "default_payload",
    "run_batch",
    "run_batch_async",
]

logger = logging.getLogger(__name__)

BATCH_COLUMNS = ["input", "output", "error", "status_code", "attempts", "elapsed_s"]
CANCELLED = "cancelled"
POLL_INTERVAL = 0.05

Payload = tuple[Any, bytes | None]
ResultCallback = Callable[[int, "BatchRow"], None]


@dataclass
class BatchRow:
    """The outcome of one item: an ``output`` or an ``error``, never both."""

    input: Any
    output: Any = None
    error: str | None = None
    status_code: int | None = None
    attempts: int = 0
    elapsed_s: float | None = None


def as_items(
    items: Iterable[Any], name: str = "items"
) -> tuple[list[Any], pd.Index | None]:
    """The items as a list, read once, and the index to align the results with.

    A Series keeps its index; a one-column DataFrame is read as that column.
    ``name`` is how the messages of the errors call ``items``.

    Raises
    ------
    ValueError
        For a DataFrame of several columns.
    TypeError
        For a single item (a str, bytes or dict) or a value that holds no items.
    """
    if isinstance(items, pd.DataFrame):
        if items.shape[1] != 1:
            columns, first = ", ".join(map(str, items.columns[:5])), items.columns[0]
            raise ValueError(
                f"{name}: a DataFrame of {items.shape[1]} columns ({columns}); "
                f"pass one column, e.g. {name}.{first}."
            )
        items = items.iloc[:, 0]
    if isinstance(items, pd.Series):
        return items.tolist(), items.index
    if isinstance(items, (str, bytes, bytearray, dict)):
        raise TypeError(
            f"{name}: a {type(items).__name__} is one item, not a list of them; "
            f"pass a list ([{name}]) or a DataFrame column (df.text)."
        )
    try:
        tolist = getattr(items, "tolist", None)
        return (list(tolist()) if callable(tolist) else list(items)), None
    except TypeError:
        raise TypeError(
            f"{name}: a {type(items).__name__} holds no items; pass a list, a "
            "Series or a DataFrame column (df.text)."
        ) from None


def _plain(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else value


def default_payload(item: Any, parameters: dict[str, Any] | None = None) -> Payload:
    """``(json, data)`` for one item: bytes are sent raw, a dict as it is (with
    ``parameters`` merged in), anything else as ``{"inputs": item}``.

    Examples
    --------
    >>> default_payload("hi", {"top_k": 2})
    ({'inputs': 'hi', 'parameters': {'top_k': 2}}, None)
    """
    if isinstance(item, (bytes, bytearray, memoryview)):
        if parameters:
            raise ValueError("parameters cannot be sent with a raw bytes body.")
        return None, bytes(item)
    body = dict(item) if isinstance(item, dict) else {"inputs": _plain(item)}
    if parameters:
        body["parameters"] = {**(body.get("parameters") or {}), **parameters}
    return body, None


class _Engine:
    """Runs the requests of one batch and holds their rows."""

    def __init__(
        self,
        inputs: Sequence[Any],
        *,
        url: str,
        token: str | bool | None,
        endpoint: str | None = None,
        timeout: float | httpx2.Timeout | None = None,
        concurrency: int = 8,
        parameters: dict[str, Any] | None = None,
        payload: Callable[[Any], Any] | None = None,
        path: str = "",
        headers: dict[str, str] | None = None,
        max_retries: int = 5,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1.")
        self.inputs = list(inputs)
        self.url = f"{url.rstrip('/')}/{path.lstrip('/')}" if path else url
        self.endpoint = endpoint or url
        self.token = token if isinstance(token, str) else None
        self.timeout = httpx2.Timeout(60.0, connect=5.0) if timeout is None else timeout
        self.concurrency = concurrency
        self.parameters = parameters
        self.payload = payload
        self.headers = headers or {}
        self.retry = RetryPolicy(max_retries=max_retries, base=0.25, cap=8.0)
        self.transport = transport
        self.rows: list[BatchRow | None] = [None] * len(self.inputs)
        self.finished: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.on_result: ResultCallback | None = None
        self.callback_failed = False

    async def run(self) -> None:
        """Send every request; rows fill in as answers arrive."""
        size = min(self.concurrency, len(self.inputs)) or 1
        limits = httpx2.Limits(max_connections=size, max_keepalive_connections=size)
        headers = {**build_headers(self.token), **self.headers}
        async with httpx2.AsyncClient(
            limits=limits,
            timeout=self.timeout,
            headers=headers,
            transport=self.transport,
        ) as http:
            todo = iter(range(len(self.inputs)))
            workers = [asyncio.create_task(self._work(http, todo)) for _ in range(size)]
            try:
                await asyncio.gather(*workers)
            finally:
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)

    async def _work(self, http: httpx2.AsyncClient, todo: Iterable[int]) -> None:
        for position in todo:
            row = await self._one(http, self.inputs[position])
            self.rows[position] = row
            self.finished.put(position)
            self.report(self.on_result, position, row)

    def report(
        self, on_result: ResultCallback | None, position: int, row: BatchRow
    ) -> None:
        """Call ``on_result``; a callback that fails is logged once, and the batch
        goes on (an interrupt still stops it)."""
        if on_result is None:
            return
        try:
            on_result(position, row)
        except Exception as exc:
            if not self.callback_failed:
                logger.warning(
                    "on_result raised %s for row %s: %s (the batch goes on; later "
                    "failures of the callback are not logged)",
                    type(exc).__name__,
                    position,
                    exc,
                )
            self.callback_failed = True

    def _request(self, item: Any) -> dict[str, Any]:
        built = self.payload(item) if self.payload is not None else item
        if isinstance(built, tuple):
            json, data = built
        else:
            json, data = default_payload(built, self.parameters)
        if data is not None:
            return {
                "content": data,
                "headers": {"content-type": sniff(data) or "application/octet-stream"},
            }
        return {"json": json}

    async def _one(self, http: httpx2.AsyncClient, item: Any) -> BatchRow:
        row = BatchRow(input=item)
        start = time.perf_counter()
        try:
            await self._send(http, item, row)
        except Exception as exc:  # a bad item or an odd answer is that row's error
            row.output = None
            row.error = row.error or _error_text(exc)
        row.elapsed_s = time.perf_counter() - start
        return row

    async def _send(self, http: httpx2.AsyncClient, item: Any, row: BatchRow) -> None:
        request = self._request(item)
        while True:
            row.attempts += 1
            try:
                response = await http.post(self.url, **request)
            except httpx2.TransportError as exc:
                if self.retry.should_retry(row.attempts, None):
                    await asyncio.sleep(self.retry.delay(row.attempts))
                    continue
                row.error = f"connection failed ({type(exc).__name__})"
                return

            row.status_code = response.status_code
            if response.is_success:
                try:
                    row.output = parse_body(response)
                except ValueError as exc:
                    row.error = f"HTTP {response.status_code}, but {_error_text(exc)}"
                return
            if self.retry.should_retry(row.attempts, response):
                hint = retry_after(response)
                await asyncio.sleep(self.retry.delay(row.attempts, hint))
                continue
            row.error = _describe(response, self.endpoint)
            return

    def drain(self, on_result: ResultCallback | None, bar: Any) -> None:
        """Report the rows finished since the last call (on the calling thread)."""
        count = 0
        while True:
            try:
                position = self.finished.get_nowait()
            except queue.Empty:
                break
            count += 1
            row = self.rows[position]
            if row is not None:
                self.report(on_result, position, row)
        if bar is not None and count:
            bar.update(count)

    def frame(
        self, index: pd.Index | None, unfinished: str = CANCELLED
    ) -> pd.DataFrame:
        """Every row, in input order, on the input's index; unfinished rows say
        ``unfinished`` (``cancelled``)."""
        rows = [
            row or BatchRow(input=item, error=unfinished)
            for row, item in zip(self.rows, self.inputs, strict=True)
        ]
        index = pd.RangeIndex(len(rows)) if index is None else index
        return pd.DataFrame(
            {
                "input": pd.Series([r.input for r in rows], index=index, dtype=object),
                "output": pd.Series(
                    [r.output for r in rows], index=index, dtype=object
                ),
                "error": pd.Series([r.error for r in rows], index=index, dtype=object),
                "status_code": pd.Series(
                    [r.status_code for r in rows], index=index, dtype="Int64"
                ),
                "attempts": pd.Series([r.attempts for r in rows], index=index),
                "elapsed_s": pd.Series(
                    [r.elapsed_s for r in rows], index=index, dtype=float
                ),
            }
        )


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"the body is not valid JSON ({exc})"
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}".rstrip(": ")


def _describe(response: httpx2.Response, endpoint: str) -> str:
    error = error_from_response(response, what="run inference", endpoint=endpoint)
    detail = error.server_message or response.reason_phrase
    return f"HTTP {response.status_code}: {detail}"


def _progress_bar(total: int, enabled: bool, description: str) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=description, unit="req", leave=True)


async def run_batch_async(
    items: Iterable[Any],
    *,
    url: str,
    token: str | bool | None = None,
    on_result: ResultCallback | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Send one request per item and return a DataFrame aligned with the items.

    Parameters
    ----------
    items : list, Series or one-column DataFrame
        One payload source per row: text, a dict (sent as it is) or bytes (sent
        raw, for image and audio tasks).
    url : str
        The endpoint's URL.
    token : str or bool, optional
        The token to send (False or None: none).
    on_result : callable, optional
        ``on_result(position, row)``, called in the event loop as rows finish.
    **options
        ``endpoint, timeout, concurrency (8), parameters, payload (a function
        from item to payload), path, headers, max_retries (5), transport``.

    Returns
    -------
    pandas.DataFrame
        Columns ``input, output, error, status_code, attempts, elapsed_s``, one row
        per item in input order, on the Series' index when there is one.
    """
    values, index = as_items(items)
    engine = _Engine(values, url=url, token=token, **options)
    engine.on_result = on_result
    await engine.run()
    return engine.frame(index)


def run_batch(
    items: Iterable[Any],
    *,
    url: str,
    token: str | bool | None = None,
    progress: bool = True,
    on_result: ResultCallback | None = None,
    description: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Synchronous :func:`run_batch_async`, safe to call from a notebook cell.

    Parameters
    ----------
    progress : bool
        Show a ``tqdm.auto`` progress bar.
    on_result : callable, optional
        ``on_result(position, row)``, called on the calling thread as rows finish.
        If it (or the user) raises ``KeyboardInterrupt``, the batch stops and the
        rows that finished are returned; the others say ``cancelled``. Any other
        error it raises is logged once and the batch goes on.
    description : str, optional
        Label of the progress bar.
    """
    values, index = as_items(items)
    engine = _Engine(values, url=url, token=token, **options)
    loop = asyncio.new_event_loop()
    task = loop.create_task(engine.run())
    done = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # re-raised on the calling thread
            failure.append(exc)
        finally:
            loop.close()
            done.set()

    threading.Thread(target=work, name="hfew-batch", daemon=True).start()
    bar = _progress_bar(len(values), progress, description or engine.endpoint)
    try:
        stopped = _wait(engine, done, on_result, bar, lambda: _cancel(loop, task))
    finally:
        if not done.is_set():  # an error other than an interrupt: stop the work
            _cancel(loop, task)
        if bar is not None:
            bar.close()

    if failure and not stopped:
        if not any(engine.rows):
            raise failure[0]
        logger.error("The batch stopped early: %s", _error_text(failure[0]))
        return engine.frame(index, unfinished=f"not sent: {_error_text(failure[0])}")
    return engine.frame(index)


def _wait(
    engine: _Engine,
    done: threading.Event,
    on_result: ResultCallback | None,
    bar: Any,
    cancel: Callable[[], None],
) -> bool:
    """Report rows until the work is done; return whether it was interrupted.

    After the first interrupt the work is cancelled and waited for: further
    interrupts only repeat that, so the rows that finished are never lost.
    """
    interrupts = cancelled = 0
    while True:
        try:
            if interrupts > cancelled:
                # Cancelling here, not in the handler, so a further interrupt
                # cannot escape while the cancellation is being sent.
                cancelled = interrupts
                logger.warning(_STOPPING[cancelled > 1])
                cancel()
            finished = done.wait(POLL_INTERVAL)
            if not interrupts:
                engine.drain(on_result, bar)
            if finished:
                return bool(interrupts)
        except KeyboardInterrupt:
            interrupts += 1


_STOPPING = (
    "Batch interrupted: returning the rows that finished.",
    "Still stopping the batch: waiting for its requests.",
)


def _cancel(loop: asyncio.AbstractEventLoop, task: asyncio.Task[None]) -> None:
    try:
        loop.call_soon_threadsafe(task.cancel)
    except RuntimeError:
        logger.debug("The batch loop had already finished.")
