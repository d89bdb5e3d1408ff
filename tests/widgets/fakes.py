"""An in-memory stand-in for ``EndpointsClient`` and a comm that records messages."""

from __future__ import annotations

import copy
from typing import Any

from comm.base_comm import BaseComm

from hf_endpoint_widgets import InferenceEndpoint, InferenceEndpointHardware
from hf_endpoint_widgets.errors import ConflictError, NotFoundError

HARDWARE = {
    "vendors": [
        {
            "name": "aws",
            "regions": [
                {
                    "name": "us-east-1",
                    "computes": [
                        {
                            "id": "aws-us-east-1-cpu-intel-icl-x2",
                            "accelerator": "cpu",
                            "instanceType": "intel-icl",
                            "instanceSize": "x2",
                            "architecture": "Intel Ice Lake",
                            "numAccelerators": 1,
                            "memoryGb": 4,
                            "pricePerHour": 0.067,
                            "status": "available",
                            "quota": {"maxAccelerators": 8, "usedAccelerators": 0},
                        },
                        {
                            "id": "aws-us-east-1-nvidia-l4-x1",
                            "accelerator": "gpu",
                            "instanceType": "nvidia-l4",
                            "instanceSize": "x1",
                            "architecture": "Nvidia L4",
                            "numAccelerators": 1,
                            "memoryGb": 30,
                            "gpuMemoryGb": 24,
                            "pricePerHour": 0.8,
                            "status": "available",
                            "quota": {"maxAccelerators": 4, "usedAccelerators": 1},
                        },
                    ],
                }
            ],
        }
    ]
}


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def raw_endpoint(name: str, status: str = "running", **extra: Any) -> dict[str, Any]:
    """Return an API payload for one endpoint."""
    running = status in {"running", "updating"}
    raw = {
        "name": name,
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
            "revision": "11c5a3d5",
            "task": "text-generation",
            "framework": "pytorch",
            "image": {"huggingface": {}},
            "secrets": {"API_KEY": "s3cret-value"},
        },
        "status": {
            "createdAt": "2026-01-02T03:04:05.123Z",
            "updatedAt": "2026-01-02T03:14:05Z",
            "state": status,
            "message": "Endpoint is ready" if running else f"Endpoint is {status}",
            "readyReplica": 1 if running else 0,
            "targetReplica": 1,
        },
    }
    if running:
        raw["status"]["url"] = f"https://{name}.us-east-1.aws.endpoints.example"
    raw.update(extra)
    return raw


_UPDATED = {
    "min_replica": ("scaling", "minReplica"),
    "max_replica": ("scaling", "maxReplica"),
    "scale_to_zero_timeout": ("scaling", "scaleToZeroTimeout"),
    "instance_type": ("compute", "instanceType"),
    "instance_size": ("compute", "instanceSize"),
    "accelerator": ("compute", "accelerator"),
    "repository": ("model", "repository"),
    "revision": ("model", "revision"),
}


def apply_update(raw: dict[str, Any], kwargs: dict[str, Any]) -> None:
    """Merge update kwargs into a payload, as the API does."""
    sections = {
        "scaling": raw["compute"]["scaling"],
        "compute": raw["compute"],
        "model": raw["model"],
    }
    for arg, value in kwargs.items():
        section, field = _UPDATED[arg]
        sections[section][field] = value


class FakeClient:
    """Just enough of ``EndpointsClient`` for the widgets, counting every call."""

    token = "hf_secret_token_value"

    def __init__(self, namespace: str = "alice") -> None:
        self.namespace = namespace
        self.clock = FakeClock()
        self.raws: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail: Exception | None = None
        self.fail_actions: dict[str, Exception] = {}
        self.healthy = True
        self.probes: list[str] = []
        self.update_calls: list[tuple[str, dict[str, Any]]] = []

    def add(
        self,
        name: str,
        status: str = "running",
        namespace: str | None = None,
        **extra: Any,
    ) -> None:
        self.raws[f"{namespace or self.namespace}/{name}"] = raw_endpoint(
            name, status, **extra
        )

    def set_status(self, name: str, status: str, message: str | None = None) -> None:
        raw = self.raws[name if "/" in name else f"{self.namespace}/{name}"]
        raw["status"]["state"] = status
        if status == "running":
            url = f"https://{raw['name']}.us-east-1.aws.endpoints.example"
            raw["status"].setdefault("url", url)
        if message is not None:
            raw["status"]["message"] = message

    def probe_health(self, url: str) -> bool:
        self.probes.append(url)
        return self.healthy

    def count(self, kind: str) -> int:
        return sum(1 for call, _ in self.calls if call == kind)

    def list_inference_endpoints(
        self, namespace: str | None = None
    ) -> list[InferenceEndpoint]:
        namespace = namespace or self.namespace
        self.calls.append(("list", namespace))
        if self.fail is not None:
            raise self.fail
        owners = {key: key.split("/")[0] for key in self.raws}
        return [
            InferenceEndpoint.from_raw(copy.deepcopy(raw), owners[key])
            for key, raw in self.raws.items()
            if namespace in ("*", owners[key])
        ]

    def list_inference_endpoints_hardware(
        self, namespace: str | None = None
    ) -> list[InferenceEndpointHardware]:
        self.calls.append(("hardware", namespace or self.namespace))
        return InferenceEndpointHardware.list_from_raw(HARDWARE)

    def _act(
        self,
        action: str,
        name: str,
        namespace: str | None,
        state: str | None,
        *,
        keep: bool = False,
    ) -> InferenceEndpoint | None:
        key = f"{namespace or self.namespace}/{name}"
        self.calls.append((action, key))
        if action in self.fail_actions:
            raise self.fail_actions[action]
        if key not in self.raws:
            raise NotFoundError(
                f"{key} not found",
                status_code=404,
                server_message=f"Endpoint '{name}' not found",
            )
        if keep:
            return InferenceEndpoint.from_raw(self.raws[key], key.split("/")[0])
        if state is None:
            del self.raws[key]
            return None
        self.raws[key]["status"]["state"] = state
        return InferenceEndpoint.from_raw(self.raws[key], key.split("/")[0])

    def pause_inference_endpoint(self, name: str, *, namespace: str | None = None):
        return self._act("pause", name, namespace, "paused")

    def resume_inference_endpoint(self, name: str, *, namespace: str | None = None):
        return self._act("resume", name, namespace, "pending")

    def scale_to_zero_inference_endpoint(
        self, name: str, *, namespace: str | None = None
    ):
        return self._act("scale_to_zero", name, namespace, "scaledToZero")

    def delete_inference_endpoint(self, name: str, *, namespace: str | None = None):
        self._act("delete", name, namespace, None)

    def get_inference_endpoint(
        self, name: str, *, namespace: str | None = None
    ) -> InferenceEndpoint:
        endpoint = self._act("get", name, namespace, None, keep=True)
        assert endpoint is not None
        return endpoint

    def update_inference_endpoint(
        self, name: str, *, namespace: str | None = None, **kwargs: Any
    ) -> InferenceEndpoint:
        key = f"{namespace or self.namespace}/{name}"
        self.update_calls.append((key, kwargs))
        if key in self.raws and "update" not in self.fail_actions:
            apply_update(self.raws[key], kwargs)
        endpoint = self._act("update", name, namespace, "updating")
        assert endpoint is not None
        return endpoint

    def create_inference_endpoint(
        self, name: str, *, namespace: str | None = None, **kwargs: Any
    ) -> InferenceEndpoint:
        key = f"{namespace or self.namespace}/{name}"
        self.calls.append(("create", key))
        if key in self.raws:
            raise ConflictError(
                f"{key} exists",
                status_code=409,
                server_message="An endpoint with the same name already exists",
            )
        self.add(name, "pending", namespace=namespace)
        self.raws[key]["create_kwargs"] = kwargs
        return InferenceEndpoint.from_raw(self.raws[key], key.split("/")[0])


class RecordingComm(BaseComm):
    """A comm that keeps every message it would have sent to the page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.messages: list[dict[str, Any]] = []
        super().__init__(*args, **kwargs)

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        self.messages.append({"msg_type": msg_type, "data": data})

    def updates(self) -> list[dict[str, Any]]:
        return [
            m["data"]["state"]
            for m in self.messages
            if m["msg_type"] == "comm_msg" and m["data"].get("method") == "update"
        ]
