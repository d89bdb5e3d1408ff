"""``%endpoints`` and ``%endpoint use|show|wait``: the table, the default endpoint,
a badge, and waiting."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from IPython.core.error import UsageError

from .._api import default_client
from ..errors import InferenceEndpointError
from ._infer import one_line
from ._ready import say, show_badge, wait_running, waiting, wake_up
from ._target import Targets, selected_endpoint

__all__ = ["endpoint_command", "show_endpoints"]

logger = logging.getLogger(__name__)


def show_endpoints(namespace: str | None) -> Any:
    """An ``EndpointManager`` of the namespace, or a DataFrame without widgets."""
    try:
        from ..widgets import EndpointManager
    except ImportError as exc:
        logger.info("Widgets unavailable (%s): showing a DataFrame", exc)
        from .._tables import endpoints_dataframe

        return endpoints_dataframe(client=default_client(), namespace=namespace)
    try:
        return EndpointManager(namespace=namespace)
    except InferenceEndpointError as exc:
        raise UsageError(one_line(exc)) from None


def endpoint_command(args: argparse.Namespace, targets: Targets) -> Any:
    """Run ``%endpoint ACTION [NAME]``."""
    try:
        return _command(args, targets)
    except InferenceEndpointError as exc:
        raise UsageError(one_line(exc)) from None


def _command(args: argparse.Namespace, targets: Targets) -> Any:
    if args.action is None:
        if args.name:
            raise UsageError("Say what to do: %endpoint use|show|wait NAME.")
        say(f"Default endpoint of %%infer: {targets.default or 'none'}.")
        return None

    endpoint = targets.get(args.name, fresh=True)
    if args.action == "use":
        targets.default = endpoint.id
        say(f"%%infer now sends to {endpoint.id} ({endpoint.status}) by default.")
        selected = selected_endpoint()
        if selected is not None:
            say(
                f"The row selected in EndpointManager ({selected}) still comes first: "
                "clear that selection, or name the endpoint in %%infer."
            )
        return None
    if args.action == "show":
        badge = show_badge(endpoint)
        if badge is None:
            say(f"{endpoint.id}: {endpoint.status} {endpoint.message or ''}".strip())
        return None

    if endpoint.status == "paused":
        raise UsageError(
            f"{endpoint.id} is paused: resume it first (it is billed again once it "
            "runs), then wait."
        )
    if endpoint.status == "scaledToZero":
        wake_up(endpoint, args.timeout)
        endpoint.fetch()
    if endpoint.status != "running":
        with waiting(endpoint, "waiting until it runs", args.timeout) as progress:
            wait_running(endpoint, timeout=args.timeout, progress=progress)
    say(f"{endpoint.id} is running.")
    return None
