"""The sandbox's state in one object: clock, store, account, faults, request log,
and the optional state file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._clock import VirtualClock
from ._errors import ApiError
from ._faults import Faults, RequestLog
from ._state import Store

__all__ = [
    "DEFAULT_NAMESPACE",
    "DEFAULT_ORG",
    "DEFAULT_TOKEN",
    "Account",
    "Backend",
]

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "hf_sandbox_0123456789abcdefABCDEF0123"
DEFAULT_NAMESPACE = "sandbox-user"
DEFAULT_ORG = "sandbox-org"
_STATE_VERSION = 1


def _object_id(name: str) -> str:
    return hashlib.sha1(name.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Account:
    """The one user of the sandbox, their orgs, and the token that proves it."""

    name: str
    orgs: tuple[str, ...]
    token: str

    @property
    def actor(self) -> dict[str, str]:
        """The ``createdBy`` / ``updatedBy`` value."""
        return {"id": _object_id(self.name), "name": self.name}

    def may_use(self, namespace: str) -> bool:
        """Whether endpoints of ``namespace`` are visible to this account."""
        return namespace == self.name or namespace in self.orgs

    def whoami(self) -> dict[str, Any]:
        """The body of ``GET /api/whoami-v2``."""
        return {
            "type": "user",
            "id": _object_id(self.name),
            "name": self.name,
            "fullname": "Sandbox User",
            "email": f"{self.name}@example.com",
            "emailVerified": True,
            "canPay": True,
            "isPro": False,
            "orgs": [
                {
                    "type": "org",
                    "id": _object_id(org),
                    "name": org,
                    "fullname": org.replace("-", " ").title(),
                    "canPay": True,
                    "roleInOrg": "admin",
                }
                for org in self.orgs
            ],
            "auth": {
                "type": "access_token",
                "accessToken": {"displayName": "sandbox", "role": "write"},
            },
        }


class Backend:
    """Everything an app instance serves from.

    Parameters
    ----------
    speed : float
        Virtual seconds per real second.
    seed : int
        Seed of the fault RNG.
    token, namespace, org : str
        The account's token, user name and organisation.
    state_file : str or Path, optional
        JSON file the endpoints are loaded from and saved to on every change.
    """

    def __init__(
        self,
        *,
        speed: float = 1.0,
        seed: int = 0,
        token: str = DEFAULT_TOKEN,
        namespace: str = DEFAULT_NAMESPACE,
        org: str = DEFAULT_ORG,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        self.clock = VirtualClock(speed)
        self.store = Store(self.clock)
        self.account = Account(name=namespace, orgs=(org,), token=token)
        self.faults = Faults(seed)
        self.requests = RequestLog()
        self.state_file = Path(state_file) if state_file is not None else None
        self.drop_connection: Callable[[MutableMapping[str, Any]], bool] | None = None
        self._save_lock = threading.Lock()
        if self.state_file is not None:
            self.load()
            self.store.on_change = self.save

    def authenticate(self, authorization: str | None) -> Account | None:
        """Return the account of a ``Bearer`` header, or None."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or token.strip() != self.account.token:
            return None
        return self.account

    def require(self, authorization: str | None, namespace: str | None) -> Account:
        """Authenticate for the management API and check the namespace.

        Raises
        ------
        ApiError
            401 without a valid token, 403 for a namespace the account may not use.
        """
        account = self.authenticate(authorization)
        if account is None:
            raise ApiError(
                401, "A valid user or organization token, sent as a Bearer, is required"
            )
        if namespace is not None and not account.may_use(namespace):
            raise ApiError(403, f"You don't have access to the namespace '{namespace}'")
        return account

    def load(self) -> None:
        """Load endpoints from the state file, if it exists."""
        if self.state_file is None or not self.state_file.exists():
            return
        data = json.loads(self.state_file.read_text(encoding="utf-8"))
        items = data.get("endpoints", [])
        self.store.load(items)
        logger.info("loaded %s endpoints from %s", len(items), self.state_file)

    def save(self) -> None:
        """Write the endpoints to the state file atomically (no-op without one)."""
        if self.state_file is None:
            return
        payload = {"version": _STATE_VERSION, "endpoints": self.store.dump()}
        with self._save_lock:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(
                dir=self.state_file.parent, prefix=".sandbox-", suffix=".json"
            )
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, indent=1)
            os.replace(tmp, self.state_file)
