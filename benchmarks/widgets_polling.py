"""Requests and comm messages per poller tick: 100 endpoints shown by 3 widgets.

Runs against the local sandbox over real HTTP (``pip install
"hf-endpoint-widgets[sandbox]"``). Goals: one list request per tick whatever the
number of widgets, and no message to the page when nothing changed.

    python benchmarks/widgets_polling.py
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Any

import comm
import pandas as pd
from comm.base_comm import BaseComm

from hf_endpoint_widgets import EndpointsClient
from hf_endpoint_widgets import sandbox as sandbox_module
from hf_endpoint_widgets._poller import SLOW_INTERVAL, get_poller
from hf_endpoint_widgets.widgets import EndpointManager, StatusBadge

ENDPOINTS = 100
TICKS = 20
LIST = "/v2/endpoint/*"


class CountingComm(BaseComm):
    sent = 0

    def publish_msg(self, msg_type: str, *args: Any, **kwargs: Any) -> None:
        if msg_type == "comm_msg":
            CountingComm.sent += 1


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def machine() -> str:
    """Return one line describing the interpreter and the machine."""
    return (
        f"python {platform.python_version()} · pandas {pd.__version__} · "
        f"{platform.machine()} · {os.cpu_count()} CPUs · {platform.platform()}"
    )


def main() -> None:
    comm.create_comm = CountingComm
    with sandbox_module.start(speed=1.0) as sb:
        for i in range(ENDPOINTS):
            status = ("running", "paused", "scaledToZero")[i % 3]
            sb.seed(f"endpoint-{i:03d}", status=status)
        clock = Clock()
        client = EndpointsClient(sb.token, api_url=sb.url, hub_url=sb.url, clock=clock)
        widgets = [
            EndpointManager(client, push=False),
            EndpointManager(client, push=False),
            StatusBadge("endpoint-000", client, push=False),
        ]
        poller = get_poller(client, client.namespace)

        start_requests = sb.requests.count("GET", LIST)
        CountingComm.sent = 0
        durations = []
        for _ in range(TICKS):
            clock.now += SLOW_INTERVAL
            started = time.perf_counter()
            for widget in widgets:
                widget._handle_custom_msg({"type": "pull"}, [])
            durations.append(time.perf_counter() - started)
        requests = sb.requests.count("GET", LIST) - start_requests
        idle_messages = CountingComm.sent

        sb.set_status("endpoint-000", "updating")
        clock.now += SLOW_INTERVAL
        CountingComm.sent = 0
        for widget in widgets:
            widget._handle_custom_msg({"type": "pull"}, [])
        changed_messages = CountingComm.sent
        for widget in widgets:
            widget.close()
        poller.stop()
        client.close()

    print(f"endpoints: {ENDPOINTS}, widgets: {len(widgets)}, ticks: {TICKS}")
    print(f"list requests per tick: {requests / TICKS:.2f} (goal 1)")
    print(
        f"comm messages per tick, nothing changed: {idle_messages / TICKS:.2f} (goal 0)"
    )
    print(f"comm messages after one status change: {changed_messages} (one per widget)")
    median, worst = statistics.median(durations) * 1e3, max(durations) * 1e3
    print(f"tick time (3 pulls incl. HTTP): median {median:.1f} ms, max {worst:.1f} ms")
    print(machine())


if __name__ == "__main__":
    main()
