"""The thread-safe endpoint store: the management actions and their rules."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ._clock import VirtualClock
from ._errors import ApiError
from ._lifecycle import STATES, EndpointRecord
from ._quota import check_quota, used_accelerators
from ._spec import build_spec, check_body, merge_update

__all__ = ["Deployed", "Store"]

logger = logging.getLogger(__name__)

# Virtual seconds between two saves of the same endpoint's last request time.
_SAVE_IDLE_EVERY = 60.0


@dataclass(frozen=True)
class Deployed:
    """What the inference routes need to know about an endpoint, at one instant."""

    namespace: str
    name: str
    state: str
    type: str
    task: str
    repository: str
    health_route: str


class Store:
    """All endpoints of a sandbox, keyed by ``(namespace, name)``.

    Every method takes the lock: the store is used from uvicorn's event loop and
    from test threads (``seed``, ``advance``). States advance lazily on read.

    Parameters
    ----------
    clock : VirtualClock
        The clock that drives the lifecycle.
    """

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.on_change: Callable[[], None] | None = None
        self._lock = threading.RLock()
        self._records: dict[tuple[str, str], EndpointRecord] = {}
        self._failing: dict[str, str] = {}
        self._saved_requests: dict[tuple[str, str], float] = {}

    # Failure injection

    def fail_repository(self, repository: str, message: str | None = None) -> None:
        """Make deployments and updates of ``repository`` fail."""
        with self._lock:
            self._failing[repository] = message or (
                f"Repository '{repository}' could not be loaded (sandbox failure)"
            )

    def failure(self, repository: str) -> str | None:
        """Return why ``repository`` fails to deploy, or None if it deploys."""
        if repository in self._failing:
            return self._failing[repository]
        if "fail" in repository.rsplit("/", 1)[-1].lower():
            return (
                f"Model '{repository}' failed to load (sandbox: name contains 'fail')"
            )
        return None

    # Internals

    @contextmanager
    def _changing(self) -> Iterator[None]:
        with self._lock:
            yield
        if self.on_change is not None:
            self.on_change()

    def _record(self, namespace: str, name: str) -> EndpointRecord:
        record = self._records.get((namespace, name))
        if record is None:
            raise ApiError(
                404, f"Endpoint '{name}' not found in namespace '{namespace}'"
            )
        record.settle(self.clock.now(), self.failure)
        return record

    def _render(self, record: EndpointRecord, base_url: str) -> dict[str, Any]:
        return record.render(self.clock, base_url)

    # Management API

    def list_endpoints(self, namespace: str, base_url: str) -> list[dict[str, Any]]:
        """Return the endpoints of ``namespace``, oldest first."""
        with self._lock:
            now = self.clock.now()
            out = []
            for (ns, _name), record in self._records.items():
                if ns == namespace:
                    record.settle(now, self.failure)
                    out.append(self._render(record, base_url))
            return out

    def get(self, namespace: str, name: str, base_url: str) -> dict[str, Any]:
        """Return one endpoint, or raise a 404 ``ApiError``."""
        with self._lock:
            return self._render(self._record(namespace, name), base_url)

    def create(
        self, namespace: str, body: Any, actor: dict[str, str], base_url: str
    ) -> dict[str, Any]:
        """Validate ``body`` and start a deployment (state ``pending``)."""
        spec = build_spec(check_body(body, partial=False))
        with self._changing():
            if (namespace, spec["name"]) in self._records:
                raise ApiError(409, "An endpoint with the same name already exists")
            check_quota(namespace, spec, self._others(namespace, spec["name"]))
            now = self.clock.now()
            record = EndpointRecord.new(namespace, spec, now, actor, self.clock.wall())
            record.enter("pending", now, f"Endpoint created from {record.repository}")

            self._records[(namespace, spec["name"])] = record
            logger.info("created endpoint %s/%s", namespace, spec["name"])
            return self._render(record, base_url)

    def update(
        self,
        namespace: str,
        name: str,
        body: Any,
        actor: dict[str, str],
        base_url: str,
    ) -> dict[str, Any]:
        """Merge ``body`` into the endpoint and roll the change out."""
        check_body(body, partial=True)
        with self._changing():
            record = self._record(namespace, name)
            if record.state == "failed":
                raise ApiError(
                    400, "Cannot update a failed endpoint, delete it instead"
                )

            spec = build_spec(merge_update(record.spec, body))
            if record.state != "paused":
                check_quota(namespace, spec, self._others(namespace, name))
            record.spec = spec
            now = self.clock.now()
            record.changed_by(actor, self.clock.wall())
            if record.state == "paused":
                # A paused endpoint keeps its new configuration for the next resume.
                record.events.append((now, "[paused] Configuration updated"))
            else:
                record.enter("updating", now, "Configuration updated, rolling out")
            return self._render(record, base_url)

    def delete(self, namespace: str, name: str) -> None:
        """Delete an endpoint, or raise a 404 ``ApiError``."""
        with self._changing():
            self._record(namespace, name)
            del self._records[(namespace, name)]
            logger.info("deleted endpoint %s/%s", namespace, name)

    def pause(
        self, namespace: str, name: str, actor: dict[str, str], base_url: str
    ) -> dict[str, Any]:
        """Pause: replicas go to zero and the URL is withdrawn."""
        with self._changing():
            record = self._record(namespace, name)
            if record.state == "failed":
                raise ApiError(400, "Cannot pause a failed endpoint")
            if record.state != "paused":
                now = self.clock.now()
                record.changed_by(actor, self.clock.wall())
                record.enter("paused", now, "Endpoint paused")
            return self._render(record, base_url)

    def resume(
        self, namespace: str, name: str, actor: dict[str, str], base_url: str
    ) -> dict[str, Any]:
        """Resume a paused, scaled-to-zero or update-failed endpoint."""
        with self._changing():
            record = self._record(namespace, name)
            if record.state == "failed":
                raise ApiError(
                    400, "Cannot resume a failed endpoint, delete it instead"
                )
            if record.state in ("running", "pending", "initializing", "updating"):
                raise ApiError(400, f"Endpoint is already running ({record.state})")
            check_quota(namespace, record.spec, self._others(namespace, name))

            now = self.clock.now()
            record.changed_by(actor, self.clock.wall())
            record.enter("initializing", now, "Endpoint resumed, starting a replica")
            return self._render(record, base_url)

    def scale_to_zero(
        self, namespace: str, name: str, actor: dict[str, str], base_url: str
    ) -> dict[str, Any]:
        """Scale to zero now; the URL stays and the next request wakes it."""
        with self._changing():
            record = self._record(namespace, name)
            if record.state in ("failed", "paused"):
                raise ApiError(400, f"Cannot scale a {record.state} endpoint to zero")
            if record.state != "scaledToZero":
                now = self.clock.now()
                record.changed_by(actor, self.clock.wall())
                record.url_assigned = True
                record.enter("scaledToZero", now, "Endpoint scaled to zero")
            return self._render(record, base_url)

    def logs(self, namespace: str, name: str) -> str:
        """Return the lifecycle events of an endpoint as text lines."""
        with self._lock:
            return self._record(namespace, name).log_text(self.clock)

    def used_accelerators(self, namespace: str) -> dict[tuple[str, str, str], int]:
        """Accelerators held per ``(vendor, region, instance type)`` in a namespace."""
        with self._lock:
            return used_accelerators(self._others(namespace, None))

    def _others(self, namespace: str, name: str | None) -> list[EndpointRecord]:
        """The settled records of ``namespace``, except the one called ``name``."""
        now = self.clock.now()
        others = []
        for (ns, other), record in self._records.items():
            if ns == namespace and other != name:
                record.settle(now, self.failure)
                others.append(record)
        return others

    # Deployed endpoints

    def deployed(self, namespace: str, name: str, *, touch: bool) -> Deployed:
        """Describe an endpoint for inference; ``touch`` records a request.

        A request to a scaled-to-zero endpoint wakes it up (``initializing``).
        """
        save = False
        with self._lock:
            record = self._record(namespace, name)
            if touch:
                now = self.clock.now()
                # Saved at most once per virtual minute of traffic: the idle timeout
                # counts in minutes, and a restart loses less than one of them.
                saved = self._saved_requests.get((namespace, name))
                save = saved is None or now - saved >= _SAVE_IDLE_EVERY
                if save:
                    self._saved_requests[(namespace, name)] = now
                record.last_request = now
                if record.state == "scaledToZero":
                    record.enter("initializing", now, "Request received, scaling up")
                    save = True
            spec = record.spec
            snapshot = Deployed(
                namespace=namespace,
                name=name,
                state=record.state,
                type=spec["type"],
                task=spec["model"]["task"],
                repository=record.repository,
                health_route=spec["healthRoute"],
            )
        if save and self.on_change is not None:
            self.on_change()
        return snapshot

    # Direct control (tests, demos)

    def seed(
        self,
        namespace: str,
        spec: dict[str, Any],
        state: str,
        actor: dict[str, str],
        message: str | None = None,
    ) -> EndpointRecord:
        """Insert or replace an endpoint directly in ``state``."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {STATES}")
        with self._changing():
            now = self.clock.now()
            record = EndpointRecord.new(namespace, spec, now, actor, self.clock.wall())
            record.force(state, now, message)

            self._records[(namespace, spec["name"])] = record
            return record

    def set_status(
        self, namespace: str, name: str, state: str, message: str | None = None
    ) -> EndpointRecord:
        """Force an existing endpoint into ``state`` now."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {STATES}")
        with self._changing():
            record = self._record(namespace, name)
            record.force(state, self.clock.now(), message)
            return record

    def remove(self, namespace: str, name: str) -> bool:
        """Delete behind the clients' back; return whether it existed."""
        with self._changing():
            return self._records.pop((namespace, name), None) is not None

    def render(self, record: EndpointRecord, base_url: str) -> dict[str, Any]:
        """Render a record returned by :meth:`seed` or :meth:`set_status`."""
        with self._lock:
            record.settle(self.clock.now(), self.failure)
            return self._render(record, base_url)

    def clear(self) -> None:
        """Forget every endpoint and failing repository."""
        with self._changing():
            self._records.clear()
            self._failing.clear()
            self._saved_requests.clear()

    # Persistence

    def dump(self) -> list[dict[str, Any]]:
        """Return every record in its state-file form."""
        with self._lock:
            return [record.to_json(self.clock) for record in self._records.values()]

    def load(self, items: list[dict[str, Any]]) -> None:
        """Replace the store's content with records from :meth:`dump`."""
        with self._lock:
            latest = max(
                (max(item["since"], item["updatedAt"]) for item in items), default=0.0
            )
            self.clock.rebase(latest)
            records = [EndpointRecord.from_json(item, self.clock) for item in items]
            self._records = {(r.namespace, r.name): r for r in records}
