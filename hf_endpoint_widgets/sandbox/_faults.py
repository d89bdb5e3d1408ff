"""Faults on demand (latency, errors, 429 bursts, dropped connections) and the
request log."""

from __future__ import annotations

import functools
import random
import re
import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Literal

__all__ = ["Decision", "FaultRule", "Faults", "RequestLog", "RequestRecord", "Target"]

Target = Literal["management", "inference", "all"]
_TARGETS = ("management", "inference", "all")


@dataclass
class FaultRule:
    """Faults for one scope: a route family, optionally one endpoint.

    Counters (``fail_next``, ``rate_limit_next``, ``drop_next``) go down by one per
    request they hit; ``error_rate`` draws from the sandbox's seeded RNG.
    """

    target: Target = "all"
    endpoint: tuple[str, str] | None = None
    latency: float = 0.0
    error_rate: float = 0.0
    error_status: int = 503
    fail_next: int = 0
    rate_limit_next: int = 0
    retry_after: int = 1
    drop_next: int = 0

    def matches(self, kind: str, endpoint: tuple[str, str] | None) -> bool:
        if self.target not in ("all", kind):
            return False
        return self.endpoint is None or self.endpoint == endpoint


@dataclass(frozen=True)
class Decision:
    """What to do with one request: wait ``latency``, then ``action`` (if any)."""

    latency: float = 0.0
    action: Literal["drop", "rate_limit", "error"] | None = None
    status: int = 0
    retry_after: int = 0


class Faults:
    """The fault rules of a sandbox.

    Parameters
    ----------
    seed : int
        Seed of the RNG behind ``error_rate``, so runs are reproducible.
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: dict[tuple[str, tuple[str, str] | None], FaultRule] = {}
        self._random = random.Random(seed)

    def set(
        self,
        target: Target = "all",
        endpoint: tuple[str, str] | None = None,
        **changes: float,
    ) -> FaultRule:
        """Create or update the rule of ``(target, endpoint)``; return it."""
        if target not in _TARGETS:
            raise ValueError(f"target must be one of {_TARGETS}, not {target!r}")
        with self._lock:
            rule = self._rules.setdefault(
                (target, endpoint), FaultRule(target=target, endpoint=endpoint)
            )
            for key, value in changes.items():
                if not hasattr(rule, key) or key in ("target", "endpoint"):
                    raise TypeError(f"unknown fault {key!r}")
                setattr(rule, key, type(getattr(rule, key))(value))
            return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def decide(self, kind: str, endpoint: tuple[str, str] | None) -> Decision:
        """Pick the fault for one request and consume the counter it uses.

        Rules on one endpoint win over rules on every endpoint. Latencies add up.
        """
        with self._lock:
            if not self._rules:
                return Decision()
            rules = [r for r in self._rules.values() if r.matches(kind, endpoint)]
            rules.sort(key=lambda rule: rule.endpoint is None)
            latency = sum(rule.latency for rule in rules)
            for rule in rules:
                if rule.drop_next > 0:
                    rule.drop_next -= 1
                    return Decision(latency, "drop")
            for rule in rules:
                if rule.rate_limit_next > 0:
                    rule.rate_limit_next -= 1
                    return Decision(latency, "rate_limit", 429, rule.retry_after)
            for rule in rules:
                if rule.fail_next > 0:
                    rule.fail_next -= 1
                    return Decision(latency, "error", rule.error_status)
            for rule in rules:
                if rule.error_rate > 0 and self._random.random() < rule.error_rate:
                    return Decision(latency, "error", rule.error_status)
            return Decision(latency)


@functools.lru_cache(maxsize=128)
def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*)", path)
    wildcards = {"**": ".*", "*": "[^/]*"}
    return re.compile("".join(wildcards.get(p) or re.escape(p) for p in parts))


@dataclass(frozen=True)
class RequestRecord:
    """One request seen by the sandbox; ``status`` is 0 for a dropped connection."""

    method: str
    path: str
    status: int
    at: float

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


class RequestLog:
    """The requests the sandbox answered, in order (the newest ``maxlen``).

    ``log["GET /v2/endpoint/sandbox-user"]`` counts one method and path;
    :meth:`count` also takes ``*`` wildcards in the path.
    """

    def __init__(self, maxlen: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=maxlen)

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    @property
    def entries(self) -> list[RequestRecord]:
        """A copy of the records, oldest first."""
        with self._lock:
            return list(self._records)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """Count requests by method and path; None matches anything.

        In ``path``, ``*`` matches within one segment and ``**`` across segments:
        ``"/v2/endpoint/*"`` counts list requests, ``"/endpoints/**"`` every call to
        a deployed endpoint.
        """
        pattern = None if path is None else _path_pattern(path)
        return sum(
            1
            for record in self.entries
            if (method is None or record.method == method.upper())
            and (pattern is None or pattern.fullmatch(record.path))
        )

    def counter(self) -> Counter[str]:
        """Requests per ``"METHOD /path"``."""
        return Counter(record.key for record in self.entries)

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()

    def __getitem__(self, key: str) -> int:
        method, _, path = key.partition(" ")
        return self.count(method, path)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __repr__(self) -> str:
        return f"RequestLog({len(self)} requests)"
