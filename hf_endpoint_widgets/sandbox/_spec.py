"""Validate create/update bodies and normalise them into a stored endpoint spec."""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from ._catalog import find_compute
from ._errors import ApiError, parse_error, shape_error
from ._tasks import TASK_NAMES, guess_task

__all__ = ["build_spec", "check_body", "merge_update"]

NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
NAME_MAX = 32
# The v2 spec lists these types; "protected" only survives on old endpoints.
TYPES = ("public", "authenticated", "private")
ACCELERATORS = ("cpu", "gpu", "neuron")
METRICS = ("pendingRequests", "hardwareUsage")
IMAGE_VARIANTS = (
    "huggingface",
    "huggingfaceNeuron",
    "custom",
    "hfServe",
    "llamacpp",
    "sGLang",
    "tei",
    "tgi",
    "tgiNeuron",
    "vLLM",
    "vLLMNeuron",
)
_REQ, _OPT, _NULL = 1, 2, 4
_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1
_STR_MAP = "str-map"
_STR_LIST = "str-list"
# Leaves that a PUT replaces as a whole instead of merging key by key.
_REPLACED = {
    "model.image",
    "model.env",
    "model.secrets",
    "model.command",
    "model.args",
    "compute.scaling.measure",
    "tags",
    "privateService",
}
_Schema = dict[str, tuple[Any, int]]
_SCHEMA: _Schema = {
    "name": (str, _REQ),
    "type": (TYPES, _REQ),
    "accountId": (str, _OPT | _NULL),
    "provider": ({"vendor": (str, _REQ), "region": (str, _REQ)}, _REQ),
    "compute": (
        {
            "accelerator": (ACCELERATORS, _REQ),
            "instanceType": (str, _REQ),
            "instanceSize": (str, _REQ),
            "scaling": (
                {
                    "minReplica": (int, _REQ),
                    "maxReplica": (int, _REQ),
                    "scaleToZeroTimeout": (int, _OPT | _NULL),
                    "measure": ("measure", _OPT),
                },
                _REQ,
            ),
        },
        _REQ,
    ),
    "model": (
        {
            "repository": (str, _REQ),
            "framework": (str, _REQ),
            "image": ("image", _REQ),
            "revision": (str, _OPT | _NULL),
            "task": (TASK_NAMES, _OPT),
            "env": (_STR_MAP, _OPT),
            "secrets": (_STR_MAP, _OPT),
            "command": (_STR_LIST, _OPT),
            "args": (_STR_LIST, _OPT),
        },
        _REQ,
    ),
    "route": ({"domain": (str, _OPT), "path": (str, _OPT)}, _OPT),
    "cacheHttpResponses": (bool, _OPT),
    "tags": (_STR_LIST, _OPT),
    "privateService": (dict, _OPT),
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"number `{value}`"
    if isinstance(value, str):
        return f"string {value!r}"
    return "sequence" if isinstance(value, list) else "map"


def _check_value(kind: Any, value: Any, where: str) -> None:
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            raise shape_error(
                f"{where}: invalid type: {_describe(value)}, expected struct"
            )
        _check(kind, value, where, partial=False)
    elif isinstance(kind, tuple):
        if not isinstance(value, str) or value not in kind:
            options = ", ".join(f"`{option}`" for option in kind)
            raise shape_error(
                f"{where}: unknown variant `{value}`, expected one of {options}"
            )
    elif kind == "image":
        _check_image(value, where)
    elif kind == "measure":
        _check_measure(value, where)
    elif kind in (_STR_MAP, _STR_LIST):
        container = dict if kind == _STR_MAP else list
        items = value.values() if isinstance(value, dict) else value
        if not isinstance(value, container) or not all(
            isinstance(v, str) for v in items
        ):
            expected = (
                "a map of strings" if kind == _STR_MAP else "a sequence of strings"
            )
            raise shape_error(
                f"{where}: invalid type: {_describe(value)}, expected {expected}"
            )
    else:
        valid = isinstance(value, kind) and not (
            kind is int and isinstance(value, bool)
        )
        if not valid:
            raise shape_error(
                f"{where}: invalid type: {_describe(value)}, expected {kind.__name__}"
            )
        if kind is int and not _I32_MIN <= value <= _I32_MAX:
            raise shape_error(
                f"{where}: invalid value: {_describe(value)}, expected i32"
            )


def _check(schema: _Schema, data: dict[str, Any], path: str, *, partial: bool) -> None:
    for key, (kind, flags) in schema.items():
        where = f"{path}.{key}" if path else key
        if key not in data:
            if flags & _REQ and not partial:
                prefix = f"{path}: " if path else ""
                raise shape_error(f"{prefix}missing field `{key}`")
            continue
        value = data[key]
        if value is None:
            if flags & _NULL:
                continue
            raise parse_error(f"{where}: expected value")
        if partial and isinstance(kind, dict):
            if not isinstance(value, dict):
                _check_value(kind, value, where)
            _check(kind, value, where, partial=True)
        else:
            _check_value(kind, value, where)


def _check_image(value: Any, where: str) -> None:
    if not isinstance(value, dict) or len(value) != 1:
        raise shape_error(f"{where}: expected a map with a single image variant")
    variant, config = next(iter(value.items()))
    if variant not in IMAGE_VARIANTS:
        options = ", ".join(f"`{option}`" for option in IMAGE_VARIANTS)
        raise shape_error(
            f"{where}: unknown variant `{variant}`, expected one of {options}"
        )
    if not isinstance(config, dict):
        raise shape_error(f"{where}.{variant}: invalid type, expected struct")
    if not variant.startswith("huggingface") and not isinstance(config.get("url"), str):
        raise shape_error(f"{where}.{variant}: missing field `url`")


def _check_measure(value: Any, where: str) -> None:
    if not isinstance(value, dict) or len(value) != 1:
        raise shape_error(f"{where}: expected a map with a single scaling metric")
    metric, threshold = next(iter(value.items()))
    if metric not in METRICS:
        options = ", ".join(f"`{option}`" for option in METRICS)
        raise shape_error(
            f"{where}: unknown variant `{metric}`, expected one of {options}"
        )
    if threshold is not None and not isinstance(threshold, (int, float)):
        raise shape_error(f"{where}.{metric}: invalid type: {_describe(threshold)}")


def check_body(body: Any, *, partial: bool) -> dict[str, Any]:
    """Check the shape of a create (``partial=False``) or update body.

    Raises
    ------
    ApiError
        400 for nulls where a value is required, 422 for missing fields, wrong
        types and unknown enum values, as the real (serde-based) API answers.
    """
    if not isinstance(body, dict):
        raise shape_error(f"invalid type: {_describe(body)}, expected struct")
    _check(_SCHEMA, body, "", partial=partial)

    if not partial:
        name = body["name"]
        if len(name) > NAME_MAX or not NAME_RE.match(name):
            raise ApiError(
                400,
                "Endpoint name must only contain lowercase alphanumeric characters or "
                f"'-' and have a length of {NAME_MAX} characters maximum",
            )
    return body


def merge_update(spec: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge a PUT body into a copy of ``spec`` (the real API merges)."""
    merged = copy.deepcopy(spec)
    patch = _known(_SCHEMA, body)
    model = patch.get("model") or {}
    if "repository" in model and "revision" not in model:
        merged["model"]["revision"] = None
    _merge(merged, copy.deepcopy(patch), "")
    merged["name"] = spec["name"]
    return merged


def _known(schema: _Schema, data: dict[str, Any]) -> dict[str, Any]:
    """Drop the keys the schema does not know, as the API ignores them."""
    kept = {}
    for key, value in data.items():
        if key not in schema:
            continue
        kind = schema[key][0]
        nested = isinstance(kind, dict) and isinstance(value, dict)
        kept[key] = _known(kind, value) if nested else value
    return kept


def _merge(target: dict[str, Any], patch: dict[str, Any], path: str) -> None:
    for key, value in patch.items():
        where = f"{path}.{key}" if path else key
        current = target.get(key)
        if (
            isinstance(value, dict)
            and isinstance(current, dict)
            and where not in _REPLACED
        ):
            _merge(current, value, where)
        else:
            target[key] = value


def build_spec(data: dict[str, Any]) -> dict[str, Any]:
    """Normalise a shape-checked body into the stored form (no ``status``).

    Raises
    ------
    ApiError
        400 for replica settings the API refuses and hardware not in the catalog.
    """
    compute, model, scaling = data["compute"], data["model"], data["compute"]["scaling"]
    minimum, maximum = scaling["minReplica"], scaling["maxReplica"]
    timeout = scaling.get("scaleToZeroTimeout")
    if minimum < 0 or maximum < 1:
        raise ApiError(400, "minReplica must be >= 0 and maxReplica must be >= 1")
    if minimum > maximum:
        raise ApiError(400, "minReplica must be lower than or equal to maxReplica")
    if timeout is not None and timeout <= 0:
        raise ApiError(400, "scaleToZeroTimeout must be a positive number of minutes")
    if timeout is not None and minimum != 0:
        raise ApiError(400, "minReplica must be 0 when scaleToZeroTimeout is set")
    row = find_compute(
        data["provider"]["vendor"],
        data["provider"]["region"],
        compute["accelerator"],
        compute["instanceType"],
        compute["instanceSize"],
    )

    measure = scaling.get("measure") or {"hardwareUsage": None}
    image = model["image"]
    health_route = next(iter(image.values())).get("healthRoute")
    if not isinstance(health_route, str):
        health_route = "/health"
    repository = model["repository"]
    # The real API resolves a missing revision to the head commit of the repository.
    revision = model.get("revision") or hashlib.sha1(repository.encode()).hexdigest()
    spec: dict[str, Any] = {
        "name": data["name"],
        "type": data["type"],
        "accountId": data.get("accountId"),
        "provider": {"vendor": row.vendor, "region": row.region},
        # Clients probe `{url}/{healthRoute without its leading "/"}`.
        "healthRoute": "/" + health_route.lstrip("/"),
        "compute": {
            "id": row.id,
            "accelerator": row.accelerator,
            "instanceType": row.instance_type,
            "instanceSize": row.instance_size,
            "scaling": {
                "minReplica": minimum,
                "maxReplica": maximum,
                "scaleToZeroTimeout": timeout,
                "metric": next(iter(measure)),
                "measure": dict(measure),
            },
        },
        "model": {
            "repository": repository,
            "revision": revision,
            "task": model.get("task") or guess_task(repository),
            "framework": model["framework"],
            "image": copy.deepcopy(image),
            "env": dict(model.get("env") or {}),
            "secrets": dict(model.get("secrets") or {}),
        },
    }

    for key in ("command", "args"):
        if key in model:
            spec["model"][key] = list(model[key])
    for key in ("route", "cacheHttpResponses", "tags", "privateService"):
        if data.get(key) is not None:
            spec[key] = copy.deepcopy(data[key])
    return spec
