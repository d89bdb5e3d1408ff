"""Shared by the inference benchmarks: a sandbox in its own process, and machine
facts to print next to the figures."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SERVER = """
import json, sys
from hf_endpoint_widgets import sandbox
sb = sandbox.start(speed=1000)
sb.seed("bench", task="text-classification")
if float(sys.argv[1]) > 0:
    sb.faults(target="inference", latency=float(sys.argv[1]))
print(json.dumps({"url": sb.url, "token": sb.token,
                  "endpoint": sb.endpoint_url("bench"), "namespace": sb.namespace}),
      flush=True)
sys.stdin.read()
sb.stop()
"""


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    endpoint: str
    namespace: str


@contextmanager
def sandbox_process(latency: float = 0.0) -> Iterator[Server]:
    """A sandbox in a child process (so it does not share our GIL); ``latency``
    seconds stand for the model's own work on each inference request."""
    extra = os.environ.get("PYTHONPATH")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), extra])),
    }
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        assert child.stdout is not None
        info = json.loads(child.stdout.readline())
        yield Server(**info)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def machine() -> str:
    """One line about the machine and the library versions."""
    import httpx2

    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()} | {cpus} CPUs {model} | Python "
        f"{platform.python_version()} | httpx2 {httpx2.__version__}"
    )


def summary(seconds: list[float]) -> str:
    """Median and best of repeated timings."""
    return f"median {statistics.median(seconds):.3f} s, best {min(seconds):.3f} s"
