"""Realistic endpoint payloads, one per state, in the shape the API returns."""

from __future__ import annotations

import copy
from typing import Any

_BASE: dict[str, Any] = {
    "name": "my-bert",
    "type": "protected",
    "accountId": None,
    "provider": {"vendor": "aws", "region": "us-east-1"},
    "healthRoute": "/health",
    "compute": {
        "accelerator": "cpu",
        "instanceType": "intel-icl",
        "instanceSize": "x2",
        "scaling": {"minReplica": 0, "maxReplica": 2, "scaleToZeroTimeout": 15},
    },
    "model": {
        "repository": "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
        "revision": "714eb0fa89d2f80546fda750413ed43d93601a13",
        "task": "text-classification",
        "framework": "pytorch",
        "image": {"huggingface": {}},
        "secrets": {"API_KEY": "****"},
    },
    "status": {
        "createdAt": "2026-11-30T09:12:01.512Z",
        "createdBy": {"id": "65f0c1d2e3", "name": "alice"},
        "updatedAt": "2026-12-01T10:00:00Z",
        "updatedBy": {"id": "65f0c1d2e3", "name": "alice"},
        "private": None,
        "state": "running",
        "message": "Endpoint is ready",
        "url": "https://x1y2z3.us-east-1.aws.endpoints.huggingface.cloud",
        "readyReplica": 1,
        "targetReplica": 1,
    },
}

_STATUS: dict[str, dict[str, Any]] = {
    "pending": {"message": "Endpoint waiting to be scheduled", "url": None, "r": 0},
    "initializing": {"message": "Endpoint is initializing", "url": None, "r": 0},
    "running": {"message": "Endpoint is ready", "url": True, "r": 1},
    "updating": {"message": "Endpoint waiting for the update", "url": True, "r": 0},
    "updateFailed": {"message": "Endpoint failed to update", "url": True, "r": 0},
    "paused": {"message": "Endpoint is paused", "url": None, "r": 0},
    "failed": {"message": "Endpoint failed to deploy", "url": None, "r": 0},
    "scaledToZero": {"message": "Endpoint is scaled to zero", "url": True, "r": 0},
}
STATES = tuple(_STATUS)


def endpoint_payload(
    name: str = "my-bert", state: str = "running", **status: Any
) -> dict[str, Any]:
    """An endpoint as the API returns it, in ``state``."""
    raw = copy.deepcopy(_BASE)
    raw["name"] = name
    spec = _STATUS.get(state, {"message": "", "url": None, "r": 0})
    raw["status"].update(
        state=state,
        message=spec["message"],
        readyReplica=spec["r"],
        targetReplica=0 if state in ("paused", "scaledToZero") else 1,
    )
    if spec["url"]:
        raw["status"]["url"] = f"https://{name}.us-east-1.aws.endpoints.example"
    else:
        raw["status"].pop("url")
    raw["status"].update(status)
    return raw


PROVIDERS: dict[str, Any] = {
    "vendors": [
        {
            "name": "aws",
            "status": "available",
            "regions": [
                {
                    "name": "us-east-1",
                    "label": "N. Virginia",
                    "status": "available",
                    "computes": [
                        {
                            "id": "aws-us-east-1-intel-icl-x2",
                            "accelerator": "cpu",
                            "numAccelerators": 1,
                            "memoryGb": 4.0,
                            "gpuMemoryGb": None,
                            "instanceType": "intel-icl",
                            "instanceSize": "x2",
                            "architecture": "Intel Ice Lake",
                            "status": "available",
                            "pricePerHour": 0.067,
                            "quota": {"maxAccelerators": 8, "usedAccelerators": 1},
                        },
                        {
                            "id": "aws-us-east-1-nvidia-l4-x1",
                            "accelerator": "gpu",
                            "numAccelerators": 1,
                            "numCpus": 7,
                            "memoryGb": 30.0,
                            "gpuMemoryGb": 24,
                            "instanceType": "nvidia-l4",
                            "instanceSize": "x1",
                            "architecture": "Nvidia L4",
                            "status": "available",
                            "pricePerHour": 0.8,
                            "quota": {"maxAccelerators": 16, "usedAccelerators": 0},
                        },
                    ],
                }
            ],
        }
    ]
}

#: The compute and model arguments every create call needs.
CREATE_ARGS = dict(
    repository="gpt2",
    framework="pytorch",
    accelerator="cpu",
    instance_size="x2",
    instance_type="intel-icl",
    region="us-east-1",
    vendor="aws",
)
