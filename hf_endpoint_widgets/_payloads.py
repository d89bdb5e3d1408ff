"""Request bodies for create and update, and the checks done before sending them.

A ``ValueError`` raised here means nothing was sent. The bodies use the API's
camelCase keys and follow huggingface_hub's rules: on create ``task`` is omitted when
None; on update only the fields given are sent, because the server merges them.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

# The page checks names with the same pattern, so it keeps the ^...$ that JavaScript
# reads; Python matches it with fullmatch, as "$" also matches before a final "\n".
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
#: Engine settings set inside the image variant, and the variants that declare them.
PARALLELISM = {
    "tensor_parallel_size": ("tensorParallelSize", ("sGLang", "vLLM")),
    "data_parallel_size": ("dataParallelSize", ("vLLM",)),
}
UPDATE_FIELDS = (
    *(k for k in CREATE_DEFAULTS if k not in ("account_id", "type")),
    *PARALLELISM,
)


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid endpoint name, or None when it is.

    Examples
    --------
    >>> name_problem("my-bert-1") is None
    True
    """
    if NAME_PATTERN.fullmatch(name or ""):
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


def validate_update_scaling(
    name: str,
    fields: Mapping[str, Any],
    min_replica: int | None,
    max_replica: int | None,
) -> None:
    """Check an update's scaling against the endpoint's current replica bounds,
    each None when unknown (a paused endpoint's maximum of 0 counts as unknown)."""
    low, high = fields.get("min_replica"), fields.get("max_replica")
    validate_scaling(
        name,
        min_replica if low is None else low,
        (max_replica or None) if high is None else high,
        fields.get("scale_to_zero_timeout"),
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
    sizes = _parallel_sizes(name, f)
    if f["custom_image"] is not None:
        model["image"] = image_body(f["custom_image"])
        if sizes:
            model["image"] = _set_parallelism(name, model["image"], sizes)

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


def needs_current_image(fields: Mapping[str, Any]) -> bool:
    """Whether an update sets parallelism sizes without an image, so the endpoint's
    current image must be fetched to carry them (``model.image`` needs its ``url``).
    """
    given = any(fields.get(arg) is not None for arg in PARALLELISM)
    return given and fields.get("custom_image") is None


def with_current_image(
    endpoint: str, body: dict[str, Any], raw: Mapping[str, Any], **fields: Any
) -> dict[str, Any]:
    """``body`` with the endpoint's current image (from its ``raw`` JSON) carrying
    the parallelism sizes, as huggingface_hub sends it.

    Raises ``ValueError`` when the image has registry credentials: the API returns
    them redacted, so sending the image back would overwrite them.
    """
    image = (raw.get("model") or {}).get("image") or {}
    variant = next(iter(image.values()), None)
    if isinstance(variant, Mapping) and "credentials" in variant:
        raise ValueError(
            f"{endpoint} runs an image with registry credentials, which the API "
            "returns redacted. Pass the full custom_image=... with the sizes instead."
        )
    sizes = _parallel_sizes(endpoint, {k: fields.get(k) for k in PARALLELISM})
    model = {**body.get("model", {}), "image": _set_parallelism(endpoint, image, sizes)}
    return {**body, "model": model}


def _parallel_sizes(name: str, f: Mapping[str, Any]) -> dict[str, int]:
    sizes = {}
    for arg, (key, _) in PARALLELISM.items():
        value = f[arg]
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name}: {arg} must be an integer >= 1, got {value!r}.")
        sizes[key] = value
    return sizes


def _set_parallelism(
    name: str, image: Mapping[str, Any], sizes: Mapping[str, int]
) -> dict[str, Any]:
    variant = next(iter(image), None)
    if variant is None or not isinstance(image[variant], Mapping):
        raise ValueError(
            f"{name}: there is no image to set the parallelism sizes in. Pass "
            "custom_image=... with them."
        )
    for arg, (key, variants) in PARALLELISM.items():
        if key in sizes and variant not in variants:
            warnings.warn(
                f"{name}: the {variant!r} image has no {arg} setting, so the API will "
                f"drop it. Images that have it: {', '.join(variants)}.",
                UserWarning,
                stacklevel=4,
            )
    return {variant: {**image[variant], **sizes}}
