"""One poller per (client, namespace), shared by every widget that shows its endpoints.

Each tick makes one list request for the whole namespace, whatever the number of
widgets. Ticks are fast (``FAST_INTERVAL``) while an endpoint is on its way somewhere
or an action just happened, slow (``SLOW_INTERVAL``) when everything is stable, and
back off exponentially on errors up to ``MAX_BACKOFF``.

Two ways to deliver updates:

* **push**: a daemon thread ticks when due and calls the subscribers, which set their
  traits from that thread (JupyterLab, Notebook 7);
* **pull**: the page's timer sends ``{"type": "pull"}``; the widget calls
  :meth:`Poller.tick`, which fetches only when due, and copies the cached state into
  its traits on the comm-handling thread. This is the mode that works on Colab, where
  trait changes made by other threads never reach the page.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

from hf_endpoint_widgets._tables import PriceTable, rows_by_id

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpoint, InferenceEndpointHardware

__all__ = [
    "PollState",
    "Poller",
    "get_poller",
    "in_colab",
    "pollers_showing",
    "resolve_push",
]

logger = logging.getLogger(__name__)

FAST_INTERVAL = 2.0
SLOW_INTERVAL = 30.0
MAX_BACKOFF = 60.0
ACTION_WINDOW = 30.0
PULL_SLACK = 0.5
HARDWARE_RETRY = 300.0
JOIN_TIMEOUT = 30.0


def in_colab() -> bool:
    """Return True when running in Google Colab."""
    return "google.colab" in sys.modules


def resolve_push(push: bool | None = None) -> bool:
    """Decide whether a widget gets updates pushed from a thread.

    An explicit ``push`` wins; then the ``HFEW_PUSH`` environment variable
    (``0``/``false``/``no``/``off`` or ``1``/``true``/``yes``/``on``); otherwise push is
    on everywhere except Colab.
    """
    if push is not None:
        return bool(push)
    env = os.environ.get("HFEW_PUSH", "").strip().lower()
    if env in {"0", "false", "no", "off"}:
        return False
    if env in {"1", "true", "yes", "on"}:
        return True
    return not in_colab()


def describe_error(exc: BaseException) -> str:
    """Return a one-line description of ``exc`` with its HTTP status when known."""
    code = getattr(exc, "status_code", None)
    text = getattr(exc, "server_message", None) or str(exc) or type(exc).__name__
    text = " ".join(str(text).split())
    return f"HTTP {code}: {text}" if code else text


@dataclass(frozen=True)
class PollState:
    """What the poller last learnt about a namespace (immutable snapshot)."""

    endpoints: tuple[InferenceEndpoint, ...] = ()
    rows: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    error: str = ""
    exception: BaseException | None = None
    refreshed_at: datetime | None = None
    changed_at: datetime | None = None
    interval: float = FAST_INTERVAL
    generation: int = 0

    def endpoint(self, endpoint_id: str) -> InferenceEndpoint | None:
        """Return the endpoint ``"namespace/name"``, or None when not listed."""
        for endpoint in self.endpoints:
            if f"{endpoint.namespace}/{endpoint.name}" == endpoint_id:
                return endpoint
        return None


class Subscriber(Protocol):
    def _on_poll(self, state: PollState, pushed: bool) -> None: ...


class Poller:
    """Refresh the endpoints of one namespace for every subscribed widget.

    Prefer :func:`get_poller`, which shares one poller per (client, namespace).

    Parameters
    ----------
    client
        An ``EndpointsClient``.
    namespace
        The namespace listed on every tick.
    push
        Run a daemon thread that ticks when due (started on the first subscriber).
    clock
        Monotonic clock in seconds; ``client.clock`` when None.
    start_thread
        False keeps the thread off even when ``push`` is True (for tests).

    Examples
    --------
    >>> poller = get_poller(client, "my-org")
    >>> poller.tick()  # fetches only when due
    True
    >>> poller.state.rows["my-org/gpt2-demo"]["status"]
    'running'
    """

    def __init__(
        self,
        client: EndpointsClient,
        namespace: str,
        *,
        push: bool = False,
        clock: Callable[[], float] | None = None,
        now: Callable[[], datetime] | None = None,
        start_thread: bool = True,
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.push = push
        self.requests = 0
        self.hardware_requests = 0
        self._clock = clock or getattr(client, "clock", None) or time.monotonic
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._start_thread = start_thread
        self._lock = threading.Lock()
        self._fetch_lock = threading.Lock()
        self._hardware_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop_event = threading.Event()
        self._subscribers: list[weakref.ref[Any]] = []
        self._had_subscribers = False
        self._state = PollState()
        self._next_due = -math.inf
        self._fetched_at = -math.inf
        self._fast_until = -math.inf
        self._failures = 0
        self._hardware: list[InferenceEndpointHardware] | None = None
        self._prices: PriceTable | None = None
        self._hardware_retry_at = -math.inf
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        mode = "push" if self.push else "pull"
        return f"<Poller {self.namespace!r} {mode} requests={self.requests}>"

    @property
    def state(self) -> PollState:
        """The latest snapshot."""
        with self._lock:
            return self._state

    @property
    def own(self) -> str:
        """The namespace to create in and price with: the user's one for ``"*"``."""
        return self.client.namespace if self.namespace == "*" else self.namespace

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` ran (a stopped poller is never reused)."""
        return self._stop_event.is_set()

    @property
    def prices(self) -> PriceTable | None:
        """Prices from the hardware catalog, once fetched."""
        return self._prices

    def subscribe(self, subscriber: Subscriber) -> bool:
        """Deliver every new state to ``subscriber`` (held weakly).

        Returns False, subscribing nothing, when the poller has stopped: get a
        fresh one with :func:`get_poller`.
        """
        with self._lock:
            if self.stopped:
                return False
            self._subscribers.append(weakref.ref(subscriber, self._on_gone))
            self._had_subscribers = True
        if self.push:
            self.start()
        return True

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop delivering to ``subscriber``; the last one out stops the poller."""
        with self._lock:
            self._subscribers = [
                ref for ref in self._subscribers if ref() not in (None, subscriber)
            ]
            empty = not self._subscribers
            if empty:
                # Under the lock, so no one subscribes to a poller about to stop.
                self._stop_event.set()
        if empty:
            self.stop()

    def tick(self, *, slack: float = PULL_SLACK, max_age: float | None = None) -> bool:
        """Fetch if a refresh is due (within ``slack`` seconds), or if the last one
        is older than ``max_age`` seconds; return True if it fetched."""
        if self.stopped or not self._is_due(slack, max_age):
            return False
        if not self._fetch_lock.acquire(blocking=False):
            return False
        try:
            if not self._is_due(slack, max_age):
                return False
            self._fetch()
        finally:
            self._fetch_lock.release()
        self._notify()
        return True

    def refresh_now(self, *, fast: bool = True) -> PollState:
        """Fetch at once; with ``fast`` (after an action) keep ticking fast a while."""
        if fast:
            with self._lock:
                self._fast_until = self._clock() + ACTION_WINDOW
        with self._fetch_lock:
            state = self._fetch()
        self._notify()
        self._wake.set()
        return state

    def hardware(self, *, refresh: bool = False) -> list[InferenceEndpointHardware]:
        """Return the hardware catalog, fetched once and cached.

        Raises the client's error when the catalog cannot be fetched.
        """
        with self._hardware_lock:
            if self._hardware is None or refresh:
                self.hardware_requests += 1
                client = self.client
                rows = list(client.list_inference_endpoints_hardware(self.own))
                self._hardware = rows
                self._prices = PriceTable(rows)
            return self._hardware

    def start(self) -> None:
        """Start the push thread (idempotent; no-op when stopped or disabled)."""
        with self._lock:
            if self._thread is not None or self.stopped or not self._start_thread:
                return
            self._thread = threading.Thread(
                target=self._run, name=f"hfew-poller-{self.namespace}", daemon=True
            )
            thread = self._thread
        thread.start()

    def stop(self) -> None:
        """Stop polling and join the thread (idempotent)."""
        self._stop_event.set()
        self._wake.set()
        _forget(self)
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():
                logger.warning("Poller thread %s did not stop in time", thread.name)

    def _is_due(self, slack: float, max_age: float | None = None) -> bool:
        with self._lock:
            now = self._clock()
            if max_age is not None and now - self._fetched_at > max_age:
                return True
            return now + slack >= self._next_due

    def _on_gone(self, _ref: weakref.ref[Any]) -> None:
        self._wake.set()

    def _live(self) -> list[Subscriber]:
        with self._lock:
            alive = [sub for ref in self._subscribers if (sub := ref()) is not None]
            self._subscribers = [ref for ref in self._subscribers if ref() is not None]
            return alive

    def _retire(self) -> bool:
        """Mark the poller stopped once its last subscriber is gone; True if stopped."""
        with self._lock:
            self._subscribers = [ref for ref in self._subscribers if ref() is not None]
            if self._had_subscribers and not self._subscribers:
                self._stop_event.set()
            return self.stopped

    def _run(self) -> None:
        logger.debug("Poller thread for %s started", self.namespace)
        while not self._stop_event.is_set():
            if self._retire():
                self.stop()
                break
            self.tick(slack=0.0)
            with self._lock:
                delay = max(0.0, self._next_due - self._clock())
            self._wake.wait(delay)
            self._wake.clear()
        logger.debug("Poller thread for %s stopped", self.namespace)

    def _notify(self) -> None:
        # Called without _fetch_lock, so a subscriber may refresh again; each one
        # gets the newest state, even when another fetch finished in between.
        pushed = threading.current_thread() is self._thread
        for subscriber in self._live():
            try:
                subscriber._on_poll(self.state, pushed)
            except Exception:
                logger.exception("Subscriber %r failed to apply a refresh", subscriber)

    def _ensure_prices(self) -> None:
        if self._prices is not None or self._clock() < self._hardware_retry_at:
            return
        try:
            self.hardware()
        except Exception as exc:
            self._hardware_retry_at = self._clock() + HARDWARE_RETRY
            logger.warning(
                "Could not fetch the hardware catalog of %s (%s); prices are "
                "unknown for now",
                self.namespace,
                describe_error(exc),
            )

    def _fetch(self) -> PollState:
        self.requests += 1
        with self._lock:
            self._fetched_at = self._clock()
        logger.debug("Listing endpoints of %s", self.namespace)
        try:
            endpoints = tuple(self.client.list_inference_endpoints(self.namespace))
        except Exception as exc:
            return self._record_failure(exc)

        self._ensure_prices()
        rows = rows_by_id(endpoints, self._prices)
        with self._lock:
            old = self._state
            now = self._clock()
            moving = any(e.is_transitional for e in endpoints)
            fast = moving or now < self._fast_until
            interval = FAST_INTERVAL if fast else SLOW_INTERVAL
            self._next_due = now + interval
            self._failures = 0
            wall = self._now()
            changed = rows != old.rows or old.generation == 0
            self._state = replace(
                old,
                endpoints=endpoints,
                rows=rows,
                error="",
                exception=None,
                refreshed_at=wall,
                changed_at=wall if changed else old.changed_at,
                interval=interval,
                generation=old.generation + 1,
            )
            state = self._state
        if old.error:
            logger.info("Endpoints of %s reachable again", self.namespace)
        _log_transitions(old, state)
        return state

    def _record_failure(self, exc: BaseException) -> PollState:
        with self._lock:
            self._failures += 1
            delay = min(FAST_INTERVAL * 2 ** (self._failures - 1), MAX_BACKOFF)
            self._next_due = self._clock() + delay
            message = (
                f"Could not refresh the endpoints of {self.namespace}: "
                f"{describe_error(exc)}. Retrying in {delay:.0f} s."
            )
            self._state = replace(
                self._state, error=message, exception=exc, interval=delay
            )
            state = self._state
        logger.warning("%s (attempt %d)", message, self._failures)
        return state


def _log_transitions(old: PollState, new: PollState) -> None:
    if old.generation == 0:
        return
    for endpoint_id, row in new.rows.items():
        before = old.rows.get(endpoint_id)
        if before is None:
            logger.info("%s: appeared (%s)", endpoint_id, row["status"])
        elif before["status"] != row["status"]:
            logger.info("%s: %s -> %s", endpoint_id, before["status"], row["status"])
    for endpoint_id in old.rows.keys() - new.rows.keys():
        logger.info("%s: gone", endpoint_id)


_REGISTRY: dict[tuple[int, str], Poller] = {}
_REGISTRY_LOCK = threading.Lock()


def get_poller(
    client: EndpointsClient,
    namespace: str,
    *,
    push: bool = False,
    start_thread: bool = True,
) -> Poller:
    """Return the shared poller of (client, namespace), creating it when needed.

    When ``push`` is True the poller's thread is enabled, even if the poller was
    first created for pull-only widgets.

    Examples
    --------
    >>> get_poller(client, "my-org") is get_poller(client, "my-org")
    True
    """
    with _REGISTRY_LOCK:
        for key, old in list(_REGISTRY.items()):
            if old._retire():
                del _REGISTRY[key]
                old._wake.set()
        key = (id(client), namespace)
        poller = _REGISTRY.get(key)
        if poller is None:
            poller = Poller(client, namespace, push=push, start_thread=start_thread)
            _REGISTRY[key] = poller
    if push and not poller.push:
        poller.push = True
        if poller._live():
            poller.start()
    return poller


def pollers_showing(client: EndpointsClient, namespace: str) -> list[Poller]:
    """Return the shared pollers of ``client`` that list ``namespace``: its own one
    and ``"*"``'s, the exact one first (none is created).

    Examples
    --------
    >>> for poller in pollers_showing(client, "my-org"):
    ...     poller.refresh_now()
    """
    with _REGISTRY_LOCK:
        found = [
            poller
            for poller in _REGISTRY.values()
            if poller.client is client
            and poller.namespace in (namespace, "*")
            and not poller.stopped
        ]
    return sorted(found, key=lambda poller: poller.namespace == "*")


def _forget(poller: Poller) -> None:
    with _REGISTRY_LOCK:
        for key, value in list(_REGISTRY.items()):
            if value is poller:
                del _REGISTRY[key]


def active_pollers() -> list[Poller]:
    """Return the pollers currently shared (for diagnostics and tests)."""
    with _REGISTRY_LOCK:
        return list(_REGISTRY.values())
