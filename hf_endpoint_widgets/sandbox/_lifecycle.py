"""One endpoint's record and its state machine, advanced lazily from the clock."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._clock import VirtualClock, iso

__all__ = ["MESSAGES", "STATES", "EndpointRecord"]

# Virtual seconds spent in each transient state. At speed 1 a new endpoint is
# running after 4.5 s, slow enough for a person to watch every state go by.
PENDING_S = 1.5
INITIALIZING_S = 3.0
UPDATING_S = 3.0
# Lifecycle events kept per endpoint for the logs route.
MAX_EVENTS = 500

# Messages of the HF test payloads where known ("waiting to be scheduled", "ready",
# "waiting for the update", "failed to deploy"); the others are plain descriptions.
MESSAGES = {
    "pending": "Endpoint waiting to be scheduled",
    "initializing": "Endpoint is initializing",
    "updating": "Endpoint waiting for the update",
    "updateFailed": "Endpoint failed to update",
    "running": "Endpoint is ready",
    "paused": "Endpoint is paused",
    "failed": "Endpoint failed to deploy",
    "scaledToZero": "Endpoint is scaled to zero",
}
STATES = tuple(MESSAGES)
_SPEC_KEYS = (
    "name",
    "type",
    "accountId",
    "provider",
    "healthRoute",
    "compute",
    "model",
    "route",
    "cacheHttpResponses",
    "tags",
    "privateService",
)


@dataclass
class EndpointRecord:
    """Everything the sandbox knows about one endpoint.

    Times are virtual seconds (see :class:`VirtualClock`), except ``created_at``
    and ``updated_at``: real epoch seconds of the requests that created and last
    changed the endpoint. ``spec`` holds the normalised configuration; the
    ``status`` block is computed on render.
    """

    namespace: str
    spec: dict[str, Any]
    state: str
    since: float
    created_at: float
    updated_at: float
    created_by: dict[str, str]
    updated_by: dict[str, str]
    message: str | None = None
    error: str | None = None
    url_assigned: bool = False
    last_request: float | None = None
    events: list[tuple[float, str]] = field(default_factory=list)

    @classmethod
    def new(
        cls,
        namespace: str,
        spec: dict[str, Any],
        now: float,
        actor: dict[str, str],
        wall: float,
    ) -> EndpointRecord:
        """A record created at virtual ``now`` (real ``wall``) by ``actor``.

        Call :meth:`enter` next.
        """
        return cls(
            namespace=namespace,
            spec=spec,
            state="pending",
            since=now,
            created_at=wall,
            updated_at=wall,
            created_by=dict(actor),
            updated_by=dict(actor),
            last_request=now,
        )

    def changed_by(self, actor: dict[str, str], wall: float) -> None:
        """Record a change by ``actor`` at real time ``wall`` (never going back)."""
        self.updated_at = max(wall, self.updated_at)
        self.updated_by = dict(actor)

    @property
    def name(self) -> str:
        return str(self.spec["name"])

    @property
    def repository(self) -> str:
        return str(self.spec["model"]["repository"])

    @property
    def target_replicas(self) -> int:
        return max(int(self.spec["compute"]["scaling"]["minReplica"]), 1)

    def enter(
        self,
        state: str,
        at: float,
        note: str,
        *,
        message: str | None = None,
        error: str | None = None,
    ) -> None:
        """Switch to ``state`` at virtual time ``at`` and log ``note``."""
        self.state, self.since = state, at
        self.message, self.error = message, error
        if state == "running":
            self.url_assigned = True
        elif state in ("paused", "failed"):
            # The guide shows url=None while paused; resume brings the same URL back.
            self.url_assigned = False
        self.events.append((at, f"[{state}] {note}"))
        del self.events[:-MAX_EVENTS]

    def force(self, state: str, at: float, message: str | None = None) -> None:
        """Put the endpoint in ``state`` directly (tests and demos)."""
        error = message if state in ("failed", "updateFailed") else None
        if state in ("running", "updating", "updateFailed", "scaledToZero"):
            self.url_assigned = True
        note = message or "State set directly"
        self.enter(state, at, note, message=message, error=error)

    def _next_transition(self) -> float | None:
        if self.state == "pending":
            return self.since + PENDING_S
        if self.state == "initializing":
            return self.since + INITIALIZING_S
        if self.state == "updating":
            return self.since + UPDATING_S
        scaling = self.spec["compute"]["scaling"]
        timeout = scaling.get("scaleToZeroTimeout")
        if self.state == "running" and timeout and scaling["minReplica"] == 0:
            idle_from = max(self.since, self.last_request or self.since)
            return float(idle_from + 60.0 * timeout)
        return None

    def settle(self, now: float, failure: Callable[[str], str | None]) -> bool:
        """Apply every transition due by ``now``; return whether any happened."""
        changed = False
        while True:
            at = self._next_transition()
            if at is None or at > now:
                return changed
            changed = True
            reason = failure(self.repository)
            if self.state == "pending":
                self.enter("initializing", at, "Replica scheduled, loading the model")
            elif self.state == "initializing" and reason:
                self.enter(
                    "failed",
                    at,
                    reason,
                    message=f"{MESSAGES['failed']}: {reason}",
                    error=reason,
                )
            elif self.state == "updating" and reason:
                self.enter(
                    "updateFailed",
                    at,
                    reason,
                    message=f"{MESSAGES['updateFailed']}: {reason}",
                    error=reason,
                )
            elif self.state in ("initializing", "updating"):
                self.enter("running", at, "Replica ready, serving requests")
            else:
                minutes = self.spec["compute"]["scaling"]["scaleToZeroTimeout"]
                self.enter("scaledToZero", at, f"No request for {minutes} min")

    def replicas(self) -> tuple[int, int]:
        """Return ``(readyReplica, targetReplica)`` for the current state."""
        if self.state in ("paused", "scaledToZero"):
            return 0, 0
        target = self.target_replicas
        return (target if self.state == "running" else 0), target

    def render(self, clock: VirtualClock, base_url: str) -> dict[str, Any]:
        """Return the endpoint JSON as the API sends it (secrets redacted)."""
        raw = {
            key: copy.deepcopy(self.spec[key]) for key in _SPEC_KEYS if key in self.spec
        }
        model = raw["model"]
        model["secrets"] = {key: "" for key in model.get("secrets", {})}
        for config in model["image"].values():
            if isinstance(config, dict) and "credentials" in config:
                # The API returns registry credentials redacted like this.
                config["credentials"] = {"username": "", "password": None}

        ready, target = self.replicas()
        status: dict[str, Any] = {
            "createdAt": iso(self.created_at),
            "createdBy": dict(self.created_by),
            "updatedAt": iso(self.updated_at),
            "updatedBy": dict(self.updated_by),
            "private": None,
            "state": self.state,
            "message": self.message or MESSAGES.get(self.state, self.state),
        }
        if self.url_assigned:
            status["url"] = f"{base_url}/endpoints/{self.namespace}/{self.name}"
        status["readyReplica"] = ready
        status["targetReplica"] = target
        if self.error:
            status["errorMessage"] = self.error
        raw["status"] = status
        return raw

    def log_text(self, clock: VirtualClock) -> str:
        """Return the lifecycle events so far, one line each."""
        # Transitions happen in virtual time, which may run ahead of the wall clock.
        now = clock.wall()
        return "".join(
            f"{iso(min(clock.epoch(at), now))} {line}\n" for at, line in self.events
        )

    def to_json(self, clock: VirtualClock) -> dict[str, Any]:
        """Serialise for the state file, with times as epoch seconds."""
        return {
            "namespace": self.namespace,
            "spec": self.spec,
            "state": self.state,
            "since": clock.epoch(self.since),
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
            "createdBy": self.created_by,
            "updatedBy": self.updated_by,
            "message": self.message,
            "error": self.error,
            "urlAssigned": self.url_assigned,
            "lastRequest": None
            if self.last_request is None
            else clock.epoch(self.last_request),
            "events": [[clock.epoch(at), line] for at, line in self.events],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], clock: VirtualClock) -> EndpointRecord:
        """Rebuild a record saved by :meth:`to_json`."""
        last = data.get("lastRequest")
        # Older sandboxes stamped these in virtual time, possibly in the future.
        now = clock.wall()
        return cls(
            namespace=data["namespace"],
            spec=data["spec"],
            state=data["state"],
            since=clock.virtual(data["since"]),
            created_at=min(data["createdAt"], now),
            updated_at=min(data["updatedAt"], now),
            created_by=data["createdBy"],
            updated_by=data["updatedBy"],
            message=data.get("message"),
            error=data.get("error"),
            url_assigned=bool(data.get("urlAssigned")),
            last_request=None if last is None else clock.virtual(last),
            events=[(clock.virtual(at), line) for at, line in data.get("events", [])],
        )
