"""Shared plumbing of the widgets: page messages, errors, and following a poller."""

from __future__ import annotations

import html
import logging
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from hf_endpoint_widgets._poller import (
    SLOW_INTERVAL,
    Poller,
    PollState,
    describe_error,
    get_poller,
    resolve_push,
)

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient

__all__ = ["MessageWidget", "PolledWidget", "iso_utc", "resolve_client"]

logger = logging.getLogger(__name__)


class _SendRefused(Exception):
    """The comm refused a message sent from the poller's thread."""

    def __init__(self, refusal: Exception) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


#: A new widget fetches at once unless the shared data is younger than this, so
#: widgets opened together (a loop of badges) share one request.
FRESH_AGE = 1.0

#: A widget a page has shown stops following its poller after this long without a
#: message from the page (whose timer pulls at least every minute while visible):
#: cleared outputs and re-run cells keep widgets alive but no longer show them.
#: The next message from the page follows again.
HEARTBEAT = 6 * SLOW_INTERVAL

_push_warned = threading.Event()


def resolve_client(client: EndpointsClient | None) -> EndpointsClient:
    """Return ``client``, or the default client built from the environment."""
    if client is not None:
        return client
    from hf_endpoint_widgets._api import default_client

    return default_client()


def iso_utc(value: datetime | None) -> str:
    """Return ``value`` as an ISO 8601 UTC string ending in ``Z`` ("" for None)."""
    if value is None:
        return ""
    text = value.astimezone(timezone.utc).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def _cause(state: PollState) -> str:
    return describe_error(state.exception) if state.exception is not None else ""


class MessageWidget(anywidget.AnyWidget):
    """An AnyWidget that dispatches ``{"type": ...}`` messages from its page.

    Replies travel only through traits: ``error`` (dismissible in the page) and
    ``notice``. An exception in a handler is logged and shown in ``error``.
    """

    error = traitlets.Unicode("", help="Error shown in the page.").tag(sync=True)
    notice = traitlets.Unicode("", help="Short confirmation shown.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        # Page messages, Python calls and the poller's thread all write traits.
        self._sync_lock = threading.RLock()
        super().__init__(**kwargs)
        self._seen_requests: deque[object] = deque(maxlen=64)
        self.on_msg(self._on_page_msg)

    def _on_page_msg(self, _widget: object, content: object, _buffers: object) -> None:
        if not isinstance(content, dict) or "type" not in content:
            return
        request = content.get("request")
        if request is not None:
            if request in self._seen_requests:
                logger.debug("Ignoring repeated request %r", request)
                return
            self._seen_requests.append(request)
        try:
            self._handle_page_msg(str(content["type"]), content)
        except Exception as exc:
            logger.exception("%s failed to handle %r", type(self).__name__, content)
            with self._writing():
                self.error = f"Unexpected error: {describe_error(exc)}"

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Set traits in one message to the page, one thread at a time."""
        with self._sync_lock, self.hold_sync():
            yield

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        data["text/html"] = self._static_html()
        return data, metadata

    def _static_html(self) -> str:
        """What front ends that cannot render widgets show (nbviewer, a VS Code
        without widget support); front ends that render widgets ignore it."""
        return (
            f"<p>{html.escape(type(self).__name__)}: open this notebook in "
            "JupyterLab, Notebook 7 or Colab to use the widget.</p>"
        )

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "dismiss":
            self.dismiss()
        else:
            logger.debug("Ignoring page message of type %r", kind)

    def dismiss(self) -> None:
        """Clear the error and notice shown in the page."""
        with self._writing():
            self.error = ""
            self.notice = ""


class PolledWidget(MessageWidget):
    """A widget that follows the shared poller of (client, namespace).

    Subclasses implement :meth:`_values` (trait values from a :class:`PollState`).
    Traits are set only when they differ from the current ones, in one
    ``hold_sync`` batch, so an unchanged refresh sends nothing to the page.
    """

    namespace = traitlets.Unicode("", help="Namespace followed.").tag(sync=True)
    push = traitlets.Bool(False, help="Updates pushed by a thread.").tag(sync=True)
    poll_interval_ms = traitlets.Int(2000, help="Page pull timer period.").tag(
        sync=True
    )
    last_refresh = traitlets.Unicode(
        "", help="When the data last changed (ISO 8601, UTC)."
    ).tag(sync=True)

    def __init__(
        self,
        client: EndpointsClient | None,
        namespace: str,
        push: bool | None,
        **kwargs: Any,
    ) -> None:
        self._client = resolve_client(client)
        self._action_error = ""
        self._hidden_cause = ""
        self._closed = False
        self._follow_lock = threading.RLock()
        self._following = False
        self._heard_at: float | None = None
        self._push_failed = False
        pushing = resolve_push(push)
        self._poller = get_poller(self._client, namespace, push=pushing)
        # A widget opened later than the others must not show their older data.
        self._poller.tick(max_age=FRESH_AGE)

        initial = self._values(self._poller.state)
        super().__init__(namespace=namespace, push=pushing, **initial, **kwargs)
        self._follow()

    @property
    def client(self) -> EndpointsClient:
        """The ``EndpointsClient`` this widget talks to."""
        return self._client

    @property
    def _live(self) -> Poller:
        """The poller, followed again first if the page had stopped showing this
        widget, so Python never reads a stopped poller's old state."""
        if not self._following and not self._closed:
            logger.info("%s used from Python; following %s", self, self.namespace)
            self._follow()
        return self._poller

    def refresh(self) -> None:
        """Fetch the endpoints now and update every widget of this namespace."""
        self._live.refresh_now()
        self._sync(self._poller.state)

    def close(self) -> None:
        """Close the widget and stop polling when no other widget needs it."""
        self._closed = True
        poller = getattr(self, "_poller", None)
        if poller is not None:
            poller.unsubscribe(self)
        super().close()

    def dismiss(self) -> None:
        """Clear the error (until a new one happens) and the notice."""
        self._action_error = ""
        self._hidden_cause = _cause(self._poller.state)
        super().dismiss()

    def _follow(self) -> None:
        """Subscribe to the shared poller, or to a fresh one if it just stopped."""
        with self._follow_lock:
            old = poller = self._poller
            while not poller.subscribe(self):
                poller = get_poller(self._client, self.namespace, push=self.push)
            self._poller = poller
            self._following = True
        if poller is not old:
            poller.tick(max_age=FRESH_AGE)
            self._sync(poller.state)

    def _heard(self) -> None:
        """The page sent a message, so it shows this widget: follow if idle."""
        with self._follow_lock:
            self._heard_at = self._poller._clock()
            idle = not self._following and not self._closed
        if idle:
            logger.info("%s shown again; following %s", self, self.namespace)
            self._follow()

    def _unfollow_if_unseen(self) -> bool:
        """Stop following when no page message came for :data:`HEARTBEAT` seconds
        after one did (widgets used only from Python follow until closed)."""
        with self._follow_lock:
            heard = self._heard_at
            if heard is None or self._poller._clock() - heard <= HEARTBEAT:
                return False
            logger.info(
                "%s: no message from its page for %.0f s; stopped following %s "
                "until it pulls again",
                self,
                self._poller._clock() - heard,
                self.namespace,
            )
            self._following = False
            self._heard_at = None
            self._poller.unsubscribe(self)
            return True

    def _on_page_msg(self, widget: object, content: object, buffers: object) -> None:
        self._heard()
        super()._on_page_msg(widget, content, buffers)

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "pull":
            if self._push_failed and self.push:
                with self._writing():
                    self.push = False
                    self.send_state()  # what the thread could not send
            self._poller.tick()
            self._sync(self._poller.state)
        elif kind == "refresh":
            self.refresh()
            with self._writing():
                self.notice = (
                    f"Refreshed at {iso_utc(datetime.now(timezone.utc))[11:19]}"
                )
        else:
            super()._handle_page_msg(kind, content)

    def _on_poll(self, state: PollState, pushed: bool) -> None:
        # Only the push thread ticks without a page asking, so only it checks.
        if pushed and self._unfollow_if_unseen():
            return
        if pushed and (self._push_failed or not self.push):
            return
        if not pushed:
            self._sync(state)
            return
        try:
            self._sync(state)
        except _SendRefused as exc:
            self._fall_back_to_pull(exc.refusal)

    def _send(self, msg: Any, buffers: Any = None) -> None:
        # Marks what the comm refused, so only that turns the widget to pull.
        try:
            super()._send(msg, buffers)
        except Exception as exc:
            if threading.current_thread() is threading.main_thread():
                raise
            raise _SendRefused(exc) from exc

    def _fall_back_to_pull(self, exc: Exception) -> None:
        """Some kernels (ipykernel 7.0) refuse messages sent from other threads:
        this widget then updates when its page pulls, as on Colab."""
        self._push_failed = True
        level = logging.DEBUG if _push_warned.is_set() else logging.WARNING
        _push_warned.set()
        logger.log(
            level,
            "%s could not update from the poller's thread (%s); it now updates "
            "when its page pulls. Set HFEW_PUSH=0 to start that way.",
            self,
            describe_error(exc),
        )

    def _sync(self, state: PollState) -> None:
        if self._closed:
            return
        with self._sync_lock:
            while True:
                self._apply(self._values(state))
                # An observer may have refreshed meanwhile: end on the newest data.
                latest = self._poller.state
                if latest is state or latest.generation < state.generation:
                    return
                state = latest

    def _apply(self, values: Mapping[str, Any]) -> None:
        """Set the traits that differ from ``values``, in one message to the page."""
        with self._sync_lock:
            changes = {k: v for k, v in values.items() if getattr(self, k) != v}
            if not changes:
                return
            with self._writing():
                for name, value in changes.items():
                    setattr(self, name, value)

    def _set_action_error(self, message: str) -> None:
        self._action_error = message
        self._sync(self._poller.state)

    def _values(self, state: PollState) -> dict[str, Any]:
        if _cause(state) != self._hidden_cause:
            self._hidden_cause = ""
        poll_error = "" if self._hidden_cause else state.error
        return {
            "error": self._action_error or poll_error,
            "last_refresh": iso_utc(state.changed_at),
            "poll_interval_ms": int(state.interval * 1000),
        }
