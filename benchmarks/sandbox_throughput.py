"""Requests per second of the sandbox for a small inference task.

Run ``python benchmarks/sandbox_throughput.py``. By default the sandbox runs in this
process (so client and server share the GIL); pass ``--url`` to measure a sandbox
started elsewhere with ``hf-endpoints-sandbox --seed-demo``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import httpx2

from hf_endpoint_widgets import sandbox
from hf_endpoint_widgets.sandbox._backend import DEFAULT_TOKEN

ENDPOINT = "bench-classifier"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


async def worker(url: str, token: str, count: int, latencies: list[float]) -> None:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as client:
        for index in range(count):
            started = time.perf_counter()
            response = await client.post(
                url, json={"inputs": f"I love request {index}"}
            )
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()


async def run(
    url: str, token: str, requests: int, concurrency: int
) -> tuple[float, list[float]]:
    await worker(url, token, 50, [])
    latencies: list[float] = []
    shares = [
        requests // concurrency + (i < requests % concurrency)
        for i in range(concurrency)
    ]
    started = time.perf_counter()
    await asyncio.gather(*(worker(url, token, n, latencies) for n in shares))
    return time.perf_counter() - started, latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--url", help="API root of a running sandbox (default: start one)"
    )
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args()

    if args.url:
        running = None
        api = args.url.rstrip("/")
        headers = {"authorization": f"Bearer {args.token}"}
        body = {"repository": "distilbert-sst2", "task": "text-classification"}
        httpx2.post(
            f"{api}/v2/endpoint/sandbox-user",
            headers=headers,
            json={
                "name": ENDPOINT,
                "type": "authenticated",
                "provider": {"vendor": "aws", "region": "us-east-1"},
                "compute": {
                    "accelerator": "cpu",
                    "instanceType": "intel-icl",
                    "instanceSize": "x2",
                    "scaling": {"minReplica": 1, "maxReplica": 1},
                },
                "model": {**body, "framework": "pytorch", "image": {"huggingface": {}}},
            },
        )
        url = f"{api}/endpoints/sandbox-user/{ENDPOINT}"
        mode = "separate process"
        wait_until = time.monotonic() + 30
        while httpx2.get(f"{url}/health", headers=headers).status_code != 200:
            if time.monotonic() > wait_until:
                print("the benchmark endpoint never became ready")
                return 1
            time.sleep(0.2)
    else:
        running = sandbox.start(speed=0)
        running.seed(ENDPOINT, task="text-classification")
        url, mode = running.endpoint_url(ENDPOINT), "in process"

    try:
        elapsed, latencies = asyncio.run(
            run(url, args.token, args.requests, args.concurrency)
        )
    finally:
        if running is not None:
            running.stop()

    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(
        f"sandbox text-classification ({mode}): {args.requests} requests, "
        f"{args.concurrency} clients, {elapsed:.2f} s, "
        f"{args.requests / elapsed:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms | "
        f"nproc={os.cpu_count()}, cpu={cpu_model()}, python {platform.python_version()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
