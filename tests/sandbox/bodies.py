"""Request bodies shared by the sandbox tests."""

from __future__ import annotations

from typing import Any


def create_body(name: str = "my-endpoint", **overrides: Any) -> dict[str, Any]:
    """The body huggingface_hub sends for a small CPU endpoint."""
    body: dict[str, Any] = {
        "compute": {
            "accelerator": "cpu",
            "instanceSize": "x2",
            "instanceType": "intel-icl",
            "scaling": {"maxReplica": 1, "minReplica": 1, "scaleToZeroTimeout": None},
        },
        "model": {
            "framework": "pytorch",
            "repository": "openai-community/gpt2",
            "revision": None,
            "image": {"huggingface": {}},
            "task": "text-generation",
        },
        "name": name,
        "provider": {"region": "us-east-1", "vendor": "aws"},
        "type": "authenticated",
    }
    for key, value in overrides.items():
        section, _, leaf = key.partition("__")
        if leaf:
            body[section][leaf] = value
        else:
            body[key] = value
    return body
