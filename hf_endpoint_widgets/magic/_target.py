"""Which endpoint a magic talks to: the one named, else the row selected in the
most recent ``EndpointManager``, else the default set by ``%endpoint use``."""

from __future__ import annotations

import difflib
import logging
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from .._api import default_client
from ..errors import InferenceEndpointError, NotFoundError

if TYPE_CHECKING:
    from .._client import EndpointsClient
    from .._models import InferenceEndpoint

__all__ = ["Targets", "latest_manager"]

logger = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
MAX_LISTED = 12


def latest_manager() -> Any:
    """The most recently built ``EndpointManager`` still open, if any."""
    widgets = sys.modules.get("hf_endpoint_widgets.widgets")
    if widgets is None:
        return None
    return widgets.EndpointManager.latest()


def selected_endpoint() -> str | None:
    """``namespace/name`` of the first row selected in the latest manager."""
    manager = latest_manager()
    return str(manager.selection[0]) if manager and manager.selection else None


@dataclass
class Targets:
    """The default endpoint, and a short-lived cache of running endpoints so a
    repeated ``%%infer`` costs one POST, not a GET and a POST."""

    default: str | None = None
    _cache: dict[tuple[int, str], tuple[float, InferenceEndpoint]] = field(
        default_factory=dict
    )

    def name_for(self, given: str | None) -> str:
        """The endpoint reference to use, or a ``UsageError`` listing the choices."""
        name = given or selected_endpoint() or self.default
        if name:
            return name
        listed = self._listing(default_client(), None)
        raise UsageError(
            "No endpoint given: name one (%%infer NAME), select a row in "
            f"EndpointManager, or run %endpoint use NAME.{listed}"
        )

    def get(self, given: str | None, *, fresh: bool = False) -> InferenceEndpoint:
        """The endpoint, fetched (or from the cache while it was running)."""
        name = self.name_for(given)
        client = default_client()
        key = (id(client), name)
        cached = self._cache.get(key)
        if not fresh and cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]

        endpoint = self.fetch(client, name)
        if endpoint.status == "running" and endpoint.url:
            self._cache[key] = (time.monotonic(), endpoint)
        else:
            self._cache.pop(key, None)
        return endpoint

    def forget(self, given: str | None = None) -> None:
        """Drop cached endpoints (all of them when ``given`` is None)."""
        if given is None:
            self._cache.clear()
            return
        for key in [k for k in self._cache if k[1] == given]:
            del self._cache[key]

    def fetch(self, client: EndpointsClient, name: str) -> InferenceEndpoint:
        """Fetch ``name``; a missing one raises a ``UsageError`` with suggestions."""
        try:
            return client.get_inference_endpoint(name)
        except (ValueError, TypeError) as exc:
            if isinstance(exc, InferenceEndpointError):
                raise
            raise UsageError(str(exc)) from None
        except NotFoundError:
            namespace = name.split("/")[0] if "/" in name else None
            short = name.split("/")[-1]
            listed = self._listing(client, namespace, short)
            raise UsageError(f"No endpoint {name!r}.{listed}") from None

    @staticmethod
    def _listing(
        client: EndpointsClient, namespace: str | None, typo: str | None = None
    ) -> str:
        try:
            names = sorted(e.name for e in client.list_inference_endpoints(namespace))
        except (InferenceEndpointError, ValueError) as exc:
            logger.debug("Could not list endpoints: %s", exc)
            return ""
        if not names:
            return " There are no endpoints in this namespace yet."
        hint = ""
        if typo:
            close = difflib.get_close_matches(typo, names, n=3, cutoff=0.6)
            if close:
                hint = " Did you mean " + " or ".join(repr(n) for n in close) + "?"
        more = f" (+{len(names) - MAX_LISTED} more)" if len(names) > MAX_LISTED else ""
        return f"{hint} Endpoints: {', '.join(names[:MAX_LISTED])}{more}."
