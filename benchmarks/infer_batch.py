"""Batch throughput: ``InferenceClient.batch`` against raw ``httpx2.AsyncClient`` and a
sequential huggingface_hub ``InferenceClient`` loop, on the sandbox.

Goals: at least 0.9x raw httpx2, at least 10x the sequential loop.

Run: ``python benchmarks/infer_batch.py [--items 2000] [--concurrency 32]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from functools import partial

import httpx2

from benchmarks.infer_common import Server, machine, sandbox_process, summary
from hf_endpoint_widgets import InferenceClient


def payloads(n: int) -> list[str]:
    return [
        f"review {i}: this product is {'great' if i % 2 else 'bad'}" for i in range(n)
    ]


async def raw_httpx(server: Server, items: list[str], concurrency: int) -> int:
    """The baseline: a semaphore, gather, and one pooled AsyncClient."""
    limits = httpx2.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    headers = {"authorization": f"Bearer {server.token}"}
    gate = asyncio.Semaphore(concurrency)

    async with httpx2.AsyncClient(limits=limits, headers=headers, timeout=60) as http:

        async def one(text: str) -> int:
            async with gate:
                response = await http.post(server.endpoint, json={"inputs": text})
                response.json()
                return response.status_code

        codes = await asyncio.gather(*(one(text) for text in items))
    return sum(code == 200 for code in codes)


def ours(server: Server, items: list[str], concurrency: int) -> int:
    client = InferenceClient(server.endpoint, token=server.token)
    frame = client.batch(items, concurrency=concurrency, progress=False)
    return int(frame["error"].isna().sum())


def sequential_hub(server: Server, items: list[str]) -> int:
    from huggingface_hub import InferenceClient as HubClient

    client = HubClient(model=server.endpoint, token=server.token)
    done = 0
    for text in items:
        client.text_classification(text)
        done += 1
    return done


def timed(label: str, run, repeat: int, expected: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        ok = run()
        seconds.append(time.perf_counter() - start)
        assert ok == expected, f"{label}: {ok} of {expected} succeeded"
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--latency",
        type=float,
        nargs="*",
        default=[0.0, 0.02],
        help="model seconds per request to emulate; each value is one run",
    )
    args = parser.parse_args()
    items = payloads(args.items)

    print(machine())
    print(f"{args.items} text-classification payloads, concurrency {args.concurrency}")
    print("(each line on a fresh sandbox process, after a short warm-up)")
    for latency in args.latency:
        compare(items, args.concurrency, args.repeat, latency)


def compare(items: list[str], concurrency: int, repeat: int, latency: float) -> None:
    print(f"\n-- model latency {latency * 1000:.0f} ms per request --")
    runs = (
        ("raw httpx2.AsyncClient", repeat, partial(raw_sync, concurrency=concurrency)),
        ("InferenceClient.batch", repeat, partial(ours, concurrency=concurrency)),
        ("huggingface_hub sequential", 1, sequential_hub),
    )
    results = {}
    for label, times, run in runs:
        with sandbox_process(latency) as server:
            ours(server, items[:64], concurrency)
            seconds = timed(label, partial(run, server, items), times, len(items))
        results[label] = statistics.median(seconds)
        rate = len(items) / statistics.median(seconds)
        print(f"{label:<28} {summary(seconds)}  ({rate:,.0f} req/s)")

    batch = results["InferenceClient.batch"]
    vs_raw = results["raw httpx2.AsyncClient"] / batch
    vs_hub = results["huggingface_hub sequential"] / batch
    print(f"batch vs raw httpx2:      {vs_raw:.2f}x throughput (goal >= 0.9x)")
    print(f"batch vs sequential hub:  {vs_hub:.1f}x throughput (goal >= 10x)")


def raw_sync(server: Server, items: list[str], concurrency: int) -> int:
    return asyncio.run(raw_httpx(server, items, concurrency))


if __name__ == "__main__":
    main()
