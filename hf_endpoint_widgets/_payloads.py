"""Request bodies for create and update, and the checks done before sending them.

A ``ValueError`` raised here means nothing was sent. The bodies use the API's
camelCase keys and follow huggingface_hub's rules: on create ``task`` is omitted when
None; on update only the fields given are sent, because the server merges them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

NAME_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")
NAME_RULE = "lowercase letters, digits and '-', at most 32 characters"
ACCELERATORS = ("cpu", "gpu", "neuron")
TYPES = ("public", "protected", "authenticated", "private")
SCALING_METRICS = ("pendingRequests", "hardwareUsage")

CREATE_DEFAULTS: dict[str, Any] = {
    "repository": None,
    "framework": None,
    "accelerator": None,
    "instance_size": None,
    "instance_type": None,
    "region": None,
    "vendor": None,
    "account_id": None,
    "min_replica": 1,
    "max_replica": 1,
    "scaling_metric": None,
    "scaling_threshold": None,
    "scale_to_zero_timeout": None,
    "revision": None,
    "task": None,
    "custom_image": None,
    "container_command": None,
    "container_args": None,
    "env": None,
    "secrets": None,
    "type": "authenticated",
    "domain": None,
    "path": None,
    "cache_http_responses": None,
    "tags": None,
}
REQUIRED_ON_CREATE = (
    "repository",
    "framework",
    "accelerator",
    "instance_size",
    "instance_type",
    "region",
    "vendor",
)
UPDATE_FIELDS = tuple(k for k in CREATE_DEFAULTS if k not in ("account_id", "type"))


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid endpoint name, or None when it is.

    Examples
    --------
    >>> name_problem("my-bert-1") is None
    True
    """
    if NAME_PATTERN.match(name or ""):
        return None
    return (
        f"{name!r} is not a valid endpoint name: use {NAME_RULE}, starting and "
        "ending with a letter or digit."
    )


def validate_name(name: str) -> None:
    """Raise ``ValueError`` if ``name`` breaks the API's naming rule."""
    problem = name_problem(name)
    if problem:
        raise ValueError(problem)


def validate_scaling(
    name: str,
    min_replica: int | None,
    max_replica: int | None,
    scale_to_zero_timeout: int | None,
) -> None:
    """Check replica bounds and the scale-to-zero rule, as the API documents them."""
    for label, value in (("min_replica", min_replica), ("max_replica", max_replica)):
        if value is not None and value < 0:
            raise ValueError(f"{name}: {label} must be >= 0, got {value}.")
    if (
        min_replica is not None
        and max_replica is not None
        and min_replica > max_replica
    ):
        raise ValueError(
            f"{name}: min_replica ({min_replica}) must be <= max_replica "
            f"({max_replica}). Lower min_replica or raise max_replica."
        )
    if max_replica == 0:
        raise ValueError(f"{name}: max_replica must be at least 1.")
    if scale_to_zero_timeout is not None:
        if scale_to_zero_timeout <= 0:
            raise ValueError(
                f"{name}: scale_to_zero_timeout is in minutes and must be > 0."
            )
        if min_replica is not None and min_replica != 0:
            raise ValueError(
                f"{name}: scale to zero requires min_replica=0 (got {min_replica}). "
                "Set min_replica=0, or drop scale_to_zero_timeout."
            )


def _choice(name: str, label: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        raise ValueError(
            f"{name}: unknown {label} {value!r}; use one of {', '.join(allowed)}."
        )


def image_body(custom_image: Mapping[str, Any] | None) -> dict[str, Any]:
    """``model.image``: a dict with a top-level ``url`` is a custom image; anything
    else is already keyed by its variant (``tgi``, ``vLLM``...)."""
    if custom_image is None:
        return {"huggingface": {}}
    if "url" in custom_image:
        return {"custom": dict(custom_image)}
    return dict(custom_image)


def _scaling(
    min_replica: int | None,
    max_replica: int | None,
    scale_to_zero_timeout: int | None,
    scaling_metric: str | None,
    scaling_threshold: float | None,
) -> dict[str, Any]:
    scaling: dict[str, Any] = {}
    if min_replica is not None:
        scaling["minReplica"] = min_replica
    if max_replica is not None:
        scaling["maxReplica"] = max_replica
    if scale_to_zero_timeout is not None:
        scaling["scaleToZeroTimeout"] = scale_to_zero_timeout
    if scaling_metric is not None:
        scaling["measure"] = {scaling_metric: scaling_threshold}
    return scaling


def _fields(
    name: str, given: Mapping[str, Any], defaults: Mapping[str, Any]
) -> dict[str, Any]:
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise TypeError(
            f"{name}: unknown field(s) {', '.join(unknown)}; known fields are "
            f"{', '.join(defaults)}."
        )
    return {**defaults, **given}


def create_body(name: str, **given: Any) -> dict[str, Any]:
    """The JSON body of ``POST /v2/endpoint/{namespace}``, validated."""
    validate_name(name)
    f = _fields(name, given, CREATE_DEFAULTS)
    missing = [k for k in REQUIRED_ON_CREATE if f[k] is None]
    if missing:
        raise ValueError(
            f"{name}: {', '.join(missing)} must be given to create an endpoint. "
            "list_inference_endpoints_hardware() shows the valid compute choices."
        )
    validate_scaling(
        name, f["min_replica"], f["max_replica"], f["scale_to_zero_timeout"]
    )
    _choice(name, "accelerator", f["accelerator"], ACCELERATORS)
    _choice(name, "type", f["type"], TYPES)
    _choice(name, "scaling_metric", f["scaling_metric"], SCALING_METRICS)

    scaling = _scaling(
        f["min_replica"],
        f["max_replica"],
        None,
        f["scaling_metric"],
        f["scaling_threshold"],
    )
    scaling["scaleToZeroTimeout"] = f["scale_to_zero_timeout"]
    model: dict[str, Any] = {
        "framework": f["framework"],
        "repository": f["repository"],
        "revision": f["revision"],
        "image": image_body(f["custom_image"]),
    }
    optional_model = {
        "task": f["task"],
        "command": f["container_command"],
        "args": f["container_args"],
    }
    model.update({k: v for k, v in optional_model.items() if v is not None})
    model.update({k: dict(f[k]) for k in ("env", "secrets") if f[k]})

    body: dict[str, Any] = {
        "accountId": f["account_id"],
        "compute": {
            "accelerator": f["accelerator"],
            "instanceSize": f["instance_size"],
            "instanceType": f["instance_type"],
            "scaling": scaling,
        },
        "model": model,
        "name": name,
        "provider": {"region": f["region"], "vendor": f["vendor"]},
        "type": f["type"],
    }
    _add_route_and_extras(body, f)
    return body


def update_body(name: str, **given: Any) -> dict[str, Any]:
    """The JSON body of ``PUT /v2/endpoint/{namespace}/{name}``: only what is given."""
    f = _fields(name, given, dict.fromkeys(UPDATE_FIELDS))
    validate_scaling(
        name, f["min_replica"], f["max_replica"], f["scale_to_zero_timeout"]
    )
    _choice(name, "accelerator", f["accelerator"], ACCELERATORS)
    _choice(name, "scaling_metric", f["scaling_metric"], SCALING_METRICS)

    compute = {
        key: f[arg]
        for key, arg in (
            ("accelerator", "accelerator"),
            ("instanceSize", "instance_size"),
            ("instanceType", "instance_type"),
        )
        if f[arg] is not None
    }
    scaling = _scaling(
        f["min_replica"],
        f["max_replica"],
        f["scale_to_zero_timeout"],
        f["scaling_metric"],
        f["scaling_threshold"],
    )
    if scaling:
        compute["scaling"] = scaling

    model = {
        key: f[arg]
        for key, arg in (
            ("repository", "repository"),
            ("framework", "framework"),
            ("revision", "revision"),
            ("task", "task"),
            ("command", "container_command"),
            ("args", "container_args"),
            ("env", "env"),
            ("secrets", "secrets"),
        )
        if f[arg] is not None
    }
    if f["custom_image"] is not None:
        model["image"] = image_body(f["custom_image"])

    body: dict[str, Any] = {}
    if compute:
        body["compute"] = compute
    if model:
        body["model"] = model
    _add_route_and_extras(body, f)
    return body


def _add_route_and_extras(body: dict[str, Any], f: Mapping[str, Any]) -> None:
    route = {k: f[k] for k in ("domain", "path") if f[k] is not None}
    if route:
        body["route"] = route
    if f["cache_http_responses"] is not None:
        body["cacheHttpResponses"] = f["cache_http_responses"]
    if f["tags"] is not None:
        body["tags"] = list(f["tags"])
