"""Endpoints → DataFrame for 1,000 endpoints, against ``pd.json_normalize``.

``endpoints_dataframe`` builds typed columns (categorical status, Int64, Float64,
UTC datetimes) straight from the dataclasses; ``json_normalize`` only flattens the
raw payloads, with no typing at all.

    python benchmarks/widgets_dataframe.py
"""

from __future__ import annotations

import os
import platform
import timeit

import pandas as pd

from hf_endpoint_widgets import InferenceEndpoint
from hf_endpoint_widgets._tables import endpoints_dataframe

COUNT = 1_000
REPEAT = 7
STATES = ("running", "paused", "scaledToZero", "initializing", "failed")


def payload(i: int) -> dict:
    state = STATES[i % len(STATES)]
    return {
        "name": f"endpoint-{i:04d}",
        "type": "authenticated",
        "healthRoute": "/health",
        "provider": {"vendor": "aws", "region": "us-east-1"},
        "compute": {
            "accelerator": "gpu",
            "instanceType": "nvidia-l4",
            "instanceSize": "x1",
            "scaling": {"minReplica": 0, "maxReplica": 2, "scaleToZeroTimeout": 15},
        },
        "model": {
            "repository": "openai-community/gpt2",
            "revision": "11c5a3d5811f50298f278a704980280950aedb10",
            "task": "text-generation",
            "framework": "pytorch",
            "image": {"huggingface": {}},
        },
        "status": {
            "createdAt": "2026-01-02T03:04:05.263078506Z",
            "updatedAt": "2026-01-02T04:04:05.263Z",
            "state": state,
            "message": f"Endpoint is {state}",
            "url": f"https://endpoint-{i:04d}.us-east-1.aws.endpoints.example",
            "readyReplica": 1,
            "targetReplica": 1,
        },
    }


def best(stmt) -> float:
    return min(timeit.repeat(stmt, number=1, repeat=REPEAT))


def machine() -> str:
    """Return one line describing the interpreter and the machine."""
    return (
        f"python {platform.python_version()} · pandas {pd.__version__} · "
        f"{platform.machine()} · {os.cpu_count()} CPUs · {platform.platform()}"
    )


def main() -> None:
    raws = [payload(i) for i in range(COUNT)]
    endpoints = [InferenceEndpoint.from_raw(raw, "bench") for raw in raws]

    ours = best(lambda: endpoints_dataframe(endpoints))
    flat = best(lambda: pd.json_normalize(raws))
    parse = best(lambda: [InferenceEndpoint.from_raw(raw, "bench") for raw in raws])
    df = endpoints_dataframe(endpoints)

    print(f"endpoints: {COUNT}, best of {REPEAT}")
    print(f"endpoints_dataframe (typed, from dataclasses): {ours * 1e3:7.2f} ms")
    print(f"pd.json_normalize (untyped, from raw dicts):   {flat * 1e3:7.2f} ms")
    print(f"ratio ours / json_normalize: {ours / flat:.2f}")
    print(f"(parsing the payloads into dataclasses: {parse * 1e3:.2f} ms, paid once)")
    memory = df.memory_usage(deep=True).sum() / 1e3
    print(f"columns: {len(df.columns)}, memory: {memory:.0f} kB")
    print(machine())


if __name__ == "__main__":
    main()
