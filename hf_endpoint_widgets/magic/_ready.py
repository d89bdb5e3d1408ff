"""Get an endpoint ready to answer, or say in one line why it is not.

* running: nothing to do;
* scaledToZero: the request itself wakes it (the caller retries 503s), or
  :func:`wake_up` does without sending a payload;
* pending, initializing, updating: wait with ``--wait``, else explain;
* paused: never resumed silently, since it costs money; ``--resume`` resumes and
  waits;
* failed, updateFailed: the server's message and the next step.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from ..errors import InferenceEndpointFailedError, InferenceEndpointTimeoutError

if TYPE_CHECKING:
    from .._models import InferenceEndpoint

__all__ = [
    "Progress",
    "ensure_ready",
    "say",
    "show_badge",
    "wait_running",
    "waiting",
    "wake_up",
]

logger = logging.getLogger(__name__)

REFRESH_EVERY = 2.0


def _clean(text: str | None) -> str:
    return " ".join((text or "").split()) or "no message"


def say(text: str) -> None:
    """One line of news for the person running the cell."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def show_badge(endpoint: InferenceEndpoint) -> Any:
    """Display a ``StatusBadge`` for the endpoint when the widgets are available."""
    try:
        from ..widgets import StatusBadge
    except ImportError:
        return None
    try:
        badge = StatusBadge(endpoint)
    except Exception as exc:  # a badge is a nicety: never fail the request for it
        logger.info("No status badge for %s: %s", endpoint.id, exc)
        return None

    from IPython.display import display

    display(badge)  # type: ignore[no-untyped-call]
    return badge


class Progress:
    """A ``tqdm.auto`` bar of seconds waited, up to a timeout."""

    def __init__(self, what: str, timeout: float) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=max(1, round(timeout)),
            desc=what,
            unit="s",
            bar_format="{desc}: {n:.0f}/{total:.0f} s waited |{bar}|",
        )

    def at(self, elapsed: float) -> None:
        """Move the bar to ``elapsed`` seconds."""
        step = min(elapsed, self._bar.total) - self._bar.n
        if step > 0:
            self._bar.update(step)

    def on_wait(self, elapsed: float, delay: float) -> None:
        """Callback of ``InferenceClient.post(..., on_wait=...)``."""
        self.at(elapsed)

    def close(self) -> None:
        """Remove nothing; stop updating."""
        self._bar.close()


@contextmanager
def waiting(
    endpoint: InferenceEndpoint, what: str, timeout: float
) -> Iterator[Progress]:
    """Show a badge and a progress bar while waiting for ``endpoint``."""
    say(f"{endpoint.id} is {endpoint.status}: {what} (up to {timeout:g} s).")
    show_badge(endpoint)
    progress = Progress(what, timeout)
    try:
        yield progress
    finally:
        progress.close()


def wait_running(
    endpoint: InferenceEndpoint, *, timeout: float, progress: Progress | None = None
) -> InferenceEndpoint:
    """``endpoint.wait`` with a progress bar, failing in one line (failed state,
    timeout)."""
    on_wait = progress.at if progress is not None else None
    try:
        return endpoint.wait(timeout, REFRESH_EVERY, on_wait=on_wait)
    except InferenceEndpointFailedError:
        refuse_failed(endpoint)
        raise
    except InferenceEndpointTimeoutError as exc:
        raise InferenceEndpointTimeoutError(
            f"{endpoint.id} is still {endpoint.status} after {timeout:g} s. Run "
            "again with a longer --timeout, or follow it with %endpoint show.",
            endpoint=endpoint.id,
        ) from exc


def wake_up(endpoint: InferenceEndpoint, timeout: float) -> None:
    """Wake a scaled-to-zero endpoint with a badge and a progress bar, before the
    payload is sent (see ``InferenceClient.wake``)."""
    with waiting(endpoint, "waking it up", timeout) as progress:
        endpoint.client.wake(wake_timeout=timeout, on_wait=progress.on_wait)
    logger.info("Woke %s", endpoint.id)


def refuse_failed(endpoint: InferenceEndpoint) -> None:
    """A ``UsageError`` with the server's message for failed endpoints."""
    if endpoint.status == "failed":
        raise UsageError(
            f"{endpoint.id} failed to deploy: {_clean(endpoint.message)}. Next step: "
            "read its logs, fix the configuration, then create it again."
        )
    if endpoint.status == "updateFailed":
        raise UsageError(
            f"{endpoint.id} failed to update: {_clean(endpoint.message)}. Next step: "
            "update it again with a working configuration (model, image or hardware)."
        )


def ensure_ready(
    endpoint: InferenceEndpoint,
    *,
    wait: bool,
    resume: bool,
    timeout: float,
) -> bool:
    """Make sure ``endpoint`` can answer; return True when the request must wake it
    from zero replicas."""
    status = str(endpoint.status)
    refuse_failed(endpoint)
    if status == "running":
        return False
    if status == "scaledToZero":
        return True

    if endpoint.is_transitional:
        if not wait:
            raise UsageError(
                f"{endpoint.id} is {status} and cannot answer yet. Add --wait to "
                f"wait for it (up to --timeout, {timeout:g} s), or follow it with "
                f"%endpoint show {endpoint.id}."
            )
        with waiting(endpoint, "waiting until it runs", timeout) as progress:
            wait_running(endpoint, timeout=timeout, progress=progress)
        return False

    if status == "paused":
        if not resume:
            raise UsageError(
                f"{endpoint.id} is paused, and %%infer never resumes an endpoint on "
                "its own because a running endpoint is billed. Add --resume to "
                "resume it and wait, or resume it from EndpointManager."
            )
        say(f"{endpoint.id} is paused: resuming it, as --resume asks.")
        endpoint.resume()
        logger.info("Resumed %s", endpoint.id)
        with waiting(endpoint, "waiting until it runs", timeout) as progress:
            wait_running(endpoint, timeout=timeout, progress=progress)
        return False

    raise UsageError(
        f"{endpoint.id} is {status or 'in an unknown state'}: it cannot answer. "
        f"Look at it with %endpoint show {endpoint.id}."
    )
