"""A virtual clock that runs at a chosen speed and can be advanced by hand."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone

__all__ = ["VirtualClock", "iso"]


def iso(epoch: float) -> str:
    """Format epoch seconds as the API does: ISO 8601, milliseconds, ``Z``.

    Parameters
    ----------
    epoch : float
        Seconds since the Unix epoch.

    Returns
    -------
    str
        For example ``"2023-10-26T12:41:53.263Z"``.
    """
    moment = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class VirtualClock:
    """Virtual seconds since start: ``offset + speed * (monotonic elapsed)``.

    The lifecycle of every endpoint is computed from this clock, so tests move
    time with :meth:`advance` instead of sleeping.

    Parameters
    ----------
    speed : float
        How many virtual seconds pass per real second. ``0`` freezes the clock
        (only :meth:`advance` moves it).
    monotonic, wall : callable
        Time sources, injectable for tests.
    """

    def __init__(
        self,
        speed: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self._lock = threading.Lock()
        self._monotonic = monotonic
        self._speed = float(speed)
        self._offset = 0.0
        self._started = monotonic()
        self._wall = wall
        self.wall0 = wall()

    def now(self) -> float:
        """Return the current virtual time, in seconds since start."""
        with self._lock:
            return self._now()

    def _now(self) -> float:
        return self._offset + self._speed * (self._monotonic() - self._started)

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ValueError("the clock cannot go backwards")
        with self._lock:
            self._offset += seconds
            return self._now()

    @property
    def speed(self) -> float:
        """Virtual seconds per real second."""
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise ValueError("speed must be >= 0")
        with self._lock:
            self._offset = self._now()
            self._started = self._monotonic()
            self._speed = float(value)

    def wall(self) -> float:
        """Real epoch seconds now: what ``createdAt`` and ``updatedAt`` show.

        Those stamp the moment a request or a control call happened. Virtual time
        runs ahead after :meth:`advance`, and the API never dates in the future.
        """
        return self._wall()

    def epoch(self, virtual: float) -> float:
        """Map a virtual time to epoch seconds (state-file times, log lines)."""
        return self.wall0 + virtual

    def virtual(self, epoch: float) -> float:
        """Map epoch seconds back to virtual time."""
        return epoch - self.wall0

    def rebase(self, latest_epoch: float) -> None:
        """Make sure timestamps loaded from disk never lie in the virtual future."""
        with self._lock:
            current = self.wall0 + self._now()
            if latest_epoch > current:
                self.wall0 += latest_epoch - current
