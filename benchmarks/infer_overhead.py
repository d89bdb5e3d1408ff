"""Per-call overhead of one ``%%infer`` cell against a raw POST, on the sandbox.

The cell runs in a real IPython shell (``run_cell``, so parsing, the endpoint
lookup, the request, the result object and the output formatting all count); the
baseline is ``httpx2.Client.post`` plus ``response.json()`` on a warm connection.
Goal: at most 5 ms more per call.

Run: ``python benchmarks/infer_overhead.py [--calls 300]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import time

import httpx2

from benchmarks.infer_common import machine, sandbox_process

CELL = "%%infer bench\nI love this product!"


def per_call(run, calls: int) -> list[float]:
    seconds = []
    for _ in range(calls):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return seconds


def describe(label: str, seconds: list[float]) -> float:
    median = statistics.median(seconds) * 1000
    p90 = statistics.quantiles(seconds, n=10)[-1] * 1000
    print(f"{label:<34} median {median:6.2f} ms   p90 {p90:6.2f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()

    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    print(machine())
    with sandbox_process() as server:
        os.environ["HF_INFERENCE_ENDPOINTS_API"] = server.url
        os.environ["HF_ENDPOINT"] = server.url
        os.environ["HF_TOKEN"] = server.token

        start_ipython()
        shell = get_ipython()
        shell.run_line_magic("load_ext", "hf_endpoint_widgets")
        http = httpx2.Client(headers={"authorization": f"Bearer {server.token}"})

        def raw() -> None:
            http.post(server.endpoint, json={"inputs": "I love this product!"}).json()

        def cell() -> None:
            outcome = shell.run_cell(CELL, silent=False, store_history=False)
            assert outcome.error_in_exec is None, outcome.error_in_exec

        def magic_only() -> None:
            shell.run_cell_magic("infer", "bench", "I love this product!")

        timings: dict[str, list[float]] = {}
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink):
            for warm in (raw, cell, magic_only):
                per_call(warm, 20)
            for _ in range(3):
                for label, run in (
                    ("raw httpx2 POST + json()", raw),
                    ("%%infer via run_cell (shown)", cell),
                    ("%%infer via run_cell_magic", magic_only),
                ):
                    timings.setdefault(label, []).extend(per_call(run, args.calls // 3))

    medians = {label: describe(label, seconds) for label, seconds in timings.items()}
    base = medians["raw httpx2 POST + json()"]
    for label in list(medians)[1:]:
        print(f"overhead of {label:<30} {medians[label] - base:5.2f} ms (goal <= 5 ms)")


if __name__ == "__main__":
    main()
