"""``hf-endpoints-sandbox``: run the sandbox from a shell."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType
from typing import Any

from ._backend import DEFAULT_NAMESPACE, DEFAULT_ORG, DEFAULT_TOKEN

__all__ = ["main", "seed_demo"]

logger = logging.getLogger(__name__)

# name, task, state, extra seed() arguments
_DEMO: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("gpt2-demo", "text-generation", "running", {}),
    ("sentiment", "text-classification", "running", {"scale_to_zero_timeout": 15}),
    ("embeddings", "feature-extraction", "scaledToZero", {"scale_to_zero_timeout": 15}),
    ("whisper", "automatic-speech-recognition", "paused", {}),
    (
        "sdxl",
        "text-to-image",
        "pending",
        {"accelerator": "gpu", "instance_type": "nvidia-l4", "instance_size": "x1"},
    ),
    ("broken-model", "text-generation", "failed", {"message": "Model failed to load"}),
)


def seed_demo(sandbox: Any) -> list[str]:
    """Seed a few endpoints in different states; skip names that already exist.

    Parameters
    ----------
    sandbox : Sandbox
        The sandbox to fill.

    Returns
    -------
    list of str
        The names seeded.
    """
    seeded = []
    demos = [(sandbox.namespace, *demo) for demo in _DEMO]
    demos.append(
        (
            sandbox.org,
            "team-llm",
            "text-generation",
            "running",
            {
                "accelerator": "gpu",
                "instance_type": "nvidia-a10g",
                "instance_size": "x1",
            },
        )
    )
    for namespace, name, task, state, extra in demos:
        try:
            sandbox.get(name, namespace=namespace)
        except KeyError:
            sandbox.seed(name, task=task, status=state, namespace=namespace, **extra)
            seeded.append(f"{namespace}/{name}")
    return seeded


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hf-endpoints-sandbox",
        description="A local emulator of the Hugging Face Inference Endpoints API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--port", type=int, default=8000, help="port (0 = any free)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="virtual seconds per real second"
    )
    parser.add_argument(
        "--state-file", help="JSON file that keeps endpoints across runs"
    )
    parser.add_argument(
        "--seed-demo", action="store_true", help="add demo endpoints in every state"
    )
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the accepted token")
    parser.add_argument("--namespace", default=DEFAULT_NAMESPACE, help="user name")
    parser.add_argument("--org", default=DEFAULT_ORG, help="organisation name")
    parser.add_argument("--log-level", default="INFO", help="log level of the sandbox")
    return parser


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sandbox until Ctrl+C (or SIGTERM), then save the state file."""
    args = _parser().parse_args(argv)
    try:
        from ._server import Sandbox
    except ImportError:
        print('The sandbox needs: pip install "hf-endpoint-widgets[sandbox]"')
        return 1
    package_logger = logging.getLogger("hf_endpoint_widgets")
    package_logger.setLevel(args.log_level.upper())
    package_logger.addHandler(logging.StreamHandler(sys.stderr))

    sandbox = Sandbox(
        speed=args.speed,
        host=args.host,
        port=args.port,
        token=args.token,
        namespace=args.namespace,
        org=args.org,
        state_file=args.state_file,
    ).start()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        seeded = seed_demo(sandbox) if args.seed_demo else []
        print(f"Inference Endpoints sandbox running at {sandbox.url}")
        print(f"  namespace: {sandbox.namespace} (org: {sandbox.org})")
        print(f"  token:     {sandbox.token}")
        if seeded:
            print(f"  seeded:    {', '.join(seeded)}")
        print("Point clients at it with:")
        print(f"  export HF_INFERENCE_ENDPOINTS_API={sandbox.url}")
        print(f"  export HF_ENDPOINT={sandbox.url}")
        print(f"  export HF_TOKEN={sandbox.token}")
        print("Press Ctrl+C to stop.", flush=True)
        while sandbox.running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
