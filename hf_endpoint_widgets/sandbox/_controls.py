"""Direct control of a sandbox from Python: seed endpoints, move time, inject faults."""

from __future__ import annotations

import copy
from typing import Any

from ._backend import Backend
from ._errors import ApiError
from ._faults import FaultRule, RequestLog, Target
from ._spec import build_spec, check_body
from ._tasks import DEFAULT_REPOSITORIES

__all__ = ["Controls"]

# Keyword arguments of `seed` and where they go in the endpoint JSON.
_FIELD_PATHS = {
    "type": ("type",),
    "vendor": ("provider", "vendor"),
    "region": ("provider", "region"),
    "accelerator": ("compute", "accelerator"),
    "instance_type": ("compute", "instanceType"),
    "instance_size": ("compute", "instanceSize"),
    "min_replica": ("compute", "scaling", "minReplica"),
    "max_replica": ("compute", "scaling", "maxReplica"),
    "scale_to_zero_timeout": ("compute", "scaling", "scaleToZeroTimeout"),
    "framework": ("model", "framework"),
    "revision": ("model", "revision"),
    "custom_image": ("model", "image"),
    "env": ("model", "env"),
    "secrets": ("model", "secrets"),
    "tags": ("tags",),
    "cache_http_responses": ("cacheHttpResponses",),
}
_RAW_KEYS = ("compute", "model", "provider", "route", "accountId", "privateService")


def _deep_merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


class Controls:
    """Python-side controls shared by every way of running the sandbox.

    Parameters
    ----------
    backend : Backend
        The state being controlled.
    """

    namespace: str

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.namespace = backend.account.name

    @property
    def url(self) -> str:
        """The API root the endpoint URLs are built from."""
        raise NotImplementedError

    def _where(self, name: str, namespace: str | None) -> tuple[str, str]:
        if namespace is None and "/" in name:
            namespace, name = name.split("/", 1)
        return namespace or self.namespace, name

    # Endpoints

    def seed(
        self,
        name: str,
        *,
        task: str = "text-generation",
        status: str = "running",
        namespace: str | None = None,
        repository: str | None = None,
        message: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create (or replace) an endpoint directly in ``status``.

        Parameters
        ----------
        name : str
            Endpoint name (``"namespace/name"`` also works).
        task : str
            The model's task; it decides what inference returns.
        status : str
            Any of the 8 states: ``pending``, ``initializing``, ``updating``,
            ``updateFailed``, ``running``, ``paused``, ``failed``, ``scaledToZero``.
            Transient states carry on from now.
        namespace : str, optional
            Defaults to the sandbox user's namespace.
        repository : str, optional
            Defaults to a well-known model for ``task``.
        message : str, optional
            Overrides ``status.message``.
        **fields
            ``type, vendor, region, accelerator, instance_type, instance_size,
            min_replica, max_replica, scale_to_zero_timeout, framework, revision,
            custom_image, env, secrets, tags, cache_http_responses`` or raw API
            sections (``compute``, ``model``, ``provider``, ``route``...) to merge.

        Returns
        -------
        dict
            The endpoint JSON, as ``GET`` returns it.
        """
        namespace, name = self._where(name, namespace)
        body: dict[str, Any] = {
            "name": name,
            "type": "authenticated",
            "accountId": None,
            "provider": {"vendor": "aws", "region": "us-east-1"},
            "compute": {
                "accelerator": "cpu",
                "instanceType": "intel-icl",
                "instanceSize": "x2",
                "scaling": {
                    "minReplica": 1,
                    "maxReplica": 1,
                    "scaleToZeroTimeout": None,
                },
            },
            "model": {
                "repository": repository
                or DEFAULT_REPOSITORIES.get(task, "sandbox/model"),
                "framework": "pytorch",
                "image": {"huggingface": {}},
                "revision": None,
                "task": task,
            },
        }

        if fields.get("scale_to_zero_timeout") and "min_replica" not in fields:
            fields["min_replica"] = 0
        for key, value in fields.items():
            if key in _RAW_KEYS:
                _deep_merge(body, {key: value})
                continue
            if key not in _FIELD_PATHS:
                raise TypeError(f"seed() got an unexpected keyword argument {key!r}")
            *parents, leaf = _FIELD_PATHS[key]
            target = body
            for parent in parents:
                target = target[parent]
            target[leaf] = copy.deepcopy(value)

        # Old endpoints may still carry the retired "protected" type.
        probe = (
            {**body, "type": "authenticated"} if body["type"] == "protected" else body
        )
        try:
            spec = build_spec(check_body(probe, partial=False))
            spec["type"] = body["type"]
        except ApiError as exc:
            raise ValueError(exc.message) from None

        store = self.backend.store
        record = store.seed(
            namespace, spec, status, self.backend.account.actor, message
        )
        return store.render(record, self.url)

    def set_status(
        self,
        name: str,
        status: str,
        message: str | None = None,
        namespace: str | None = None,
    ) -> dict[str, Any]:
        """Force an endpoint into ``status`` now; return its JSON."""
        namespace, name = self._where(name, namespace)
        store = self.backend.store
        return store.render(
            store.set_status(namespace, name, status, message), self.url
        )

    def get(self, name: str, namespace: str | None = None) -> dict[str, Any]:
        """Return an endpoint's JSON, as ``GET`` would (``KeyError`` if unknown)."""
        namespace, name = self._where(name, namespace)
        try:
            return self.backend.store.get(namespace, name, self.url)
        except ApiError as exc:
            raise KeyError(exc.message) from None

    def delete(self, name: str, namespace: str | None = None) -> bool:
        """Delete an endpoint behind the clients' back; return whether it existed."""
        return self.backend.store.remove(*self._where(name, namespace))

    def endpoint_url(self, name: str, namespace: str | None = None) -> str:
        """The URL an endpoint is (or will be) served at."""
        namespace, name = self._where(name, namespace)
        return f"{self.url}/endpoints/{namespace}/{name}"

    def logs(self, name: str, namespace: str | None = None) -> str:
        """The lifecycle events of an endpoint, as ``GET .../logs`` returns them."""
        return self.backend.store.logs(*self._where(name, namespace))

    def fail_repository(self, repository: str, message: str | None = None) -> None:
        """Make deployments (and updates) of ``repository`` fail with ``message``.

        Repositories whose name contains ``fail`` (``acme/model-that-fails``) fail
        without this call.
        """
        self.backend.store.fail_repository(repository, message)

    # Time

    def advance(self, seconds: float) -> float:
        """Move the virtual clock forward; return the new virtual time."""
        return self.backend.clock.advance(seconds)

    @property
    def speed(self) -> float:
        """Virtual seconds per real second (settable)."""
        return self.backend.clock.speed

    @speed.setter
    def speed(self, value: float) -> None:
        self.backend.clock.speed = value

    # Faults and observation

    def faults(
        self,
        *,
        target: Target = "all",
        endpoint: str | None = None,
        namespace: str | None = None,
        latency: float | None = None,
        error_rate: float | None = None,
        error_status: int | None = None,
        fail_next: int | None = None,
        rate_limit_next: int | None = None,
        retry_after: int | None = None,
        drop_next: int | None = None,
    ) -> FaultRule:
        """Add or change faults; only the arguments given change.

        Parameters
        ----------
        target : {"all", "management", "inference"}
            Which routes: the ``/v2`` API (and whoami), the deployed URLs, or both.
        endpoint : str, optional
            Limit the rule to one endpoint (``"name"`` or ``"namespace/name"``).
        latency : float
            Seconds (real time) added before answering.
        error_rate : float
            Probability of answering ``error_status`` (seeded RNG).
        error_status : int
            Status of injected errors, 503 by default (500, 502... also work).
        fail_next : int
            The next N requests answer ``error_status``.
        rate_limit_next, retry_after : int
            The next N requests answer 429 with ``Retry-After: retry_after``.
        drop_next : int
            The next N requests get their connection closed without an answer.

        Returns
        -------
        FaultRule
            The live rule; its counters show what is left.
        """
        if error_status is not None and not 400 <= error_status <= 599:
            raise ValueError("error_status must be a 4xx or 5xx status code")
        if error_rate is not None and not 0.0 <= error_rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")

        key = None if endpoint is None else self._where(endpoint, namespace)
        changes = {
            name: value
            for name, value in (
                ("latency", latency),
                ("error_rate", error_rate),
                ("error_status", error_status),
                ("fail_next", fail_next),
                ("rate_limit_next", rate_limit_next),
                ("retry_after", retry_after),
                ("drop_next", drop_next),
            )
            if value is not None
        }
        return self.backend.faults.set(target, key, **changes)

    def clear_faults(self) -> None:
        """Remove every fault."""
        self.backend.faults.clear()

    @property
    def requests(self) -> RequestLog:
        """Every request answered so far (``sb.requests["GET /v2/endpoint/ns"]``)."""
        return self.backend.requests

    def reset(self) -> None:
        """Forget endpoints, failing repositories, faults and the request log."""
        self.backend.store.clear()
        self.backend.faults.clear()
        self.backend.requests.clear()
