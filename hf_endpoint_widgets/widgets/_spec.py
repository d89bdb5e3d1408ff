"""Check a creation or update spec and turn it into the client's kwargs.

The page validates the same rules live (it receives :data:`NAME_RULE`); Python checks
again because a spec can also come from code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from hf_endpoint_widgets import _payloads

if TYPE_CHECKING:
    from hf_endpoint_widgets._models import InferenceEndpoint, InferenceEndpointHardware

__all__ = [
    "NAME_RULE",
    "TASKS",
    "TYPES",
    "UPDATE_KEYS",
    "SpecError",
    "parse_env",
    "validate_spec",
    "validate_update",
]

NAME_PATTERN = _payloads.NAME_PATTERN.pattern
NAME_MAX_LENGTH = 32
#: The API's rule for endpoint names, as sent to the page.
NAME_RULE = {"pattern": NAME_PATTERN, "max_length": NAME_MAX_LENGTH}
TYPES = ("public", "authenticated", "private")
FRAMEWORKS = ("pytorch", "tensorflow", "custom")
TASKS = (
    "text-generation",
    "text2text-generation",
    "text-classification",
    "token-classification",
    "zero-shot-classification",
    "question-answering",
    "fill-mask",
    "summarization",
    "translation",
    "feature-extraction",
    "sentence-similarity",
    "sentence-embeddings",
    "sentence-ranking",
    "table-question-answering",
    "image-classification",
    "object-detection",
    "image-segmentation",
    "text-to-image",
    "automatic-speech-recognition",
    "audio-classification",
    "custom",
)
_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SpecError(ValueError):
    """A spec the API would refuse; ``fields`` maps each bad field to its problem."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.fields.items()))


def name_problem(name: str) -> str | None:
    """Return why ``name`` is not a valid endpoint name, or None."""
    if not name:
        return "required"
    if len(name) > NAME_MAX_LENGTH:
        return f"at most {NAME_MAX_LENGTH} characters"
    if re.fullmatch(NAME_PATTERN, name):
        return None
    if re.fullmatch(r"[a-z0-9-]+", name):
        return "must start and end with a letter or digit"
    return "only lowercase letters, digits and '-'"


def parse_env(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse ``KEY=VALUE`` lines (blank lines and ``#`` comments skipped).

    Examples
    --------
    >>> parse_env("MAX_BATCH=8\\n# note\\nMODE=fast")
    {'MAX_BATCH': '8', 'MODE': 'fast'}
    """
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items()}
    env: dict[str, str] = {}
    for number, line in enumerate(str(text).splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not _ENV_KEY.match(key):
            raise ValueError(f"line {number} is not KEY=VALUE")
        if key in env:
            raise ValueError(f"{key} is set twice")
        env[key] = value.strip()
    return env


def _int(value: object, field: str, problems: dict[str, str]) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        problems[field] = "must be a whole number"
        return None
    if number < 0:
        problems[field] = "must be 0 or more"
    return number


def _text(spec: Mapping[str, Any], key: str) -> str:
    value = spec.get(key)
    return "" if value is None else str(value).strip()


def _compute(
    spec: Mapping[str, Any],
    hardware: Iterable[InferenceEndpointHardware] | None,
    problems: dict[str, str],
) -> dict[str, str]:
    keys = ("vendor", "region", "instance_type", "instance_size")
    compute = {key: _text(spec, key) for key in keys}
    for key, value in compute.items():
        if not value:
            problems[key] = "required"
    accelerator = _text(spec, "accelerator")
    if hardware is not None and not any(k in problems for k in keys):
        match = next(
            (h for h in hardware if all(getattr(h, k) == compute[k] for k in keys)),
            None,
        )
        if match is None:
            problems["instance_type"] = "not in the hardware catalog of this region"
        else:
            accelerator = accelerator or match.accelerator
    if not accelerator and not any(k in problems for k in keys):
        problems["accelerator"] = "required (cpu, gpu or neuron)"
    compute["accelerator"] = accelerator
    return compute


def validate_spec(
    spec: Mapping[str, Any],
    hardware: Iterable[InferenceEndpointHardware] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Check a creation spec; return ``(name, kwargs)`` for the client.

    Parameters
    ----------
    spec
        Keys in the API's vocabulary: ``name, repository, revision, task, framework,
        vendor, region, instance_type, instance_size, accelerator, min_replica,
        max_replica, scale_to_zero_timeout`` (minutes), ``type`` and ``env``
        (``KEY=VALUE`` lines or a dict).
    hardware
        Catalog rows; when given, the compute must be one of them (and fills
        ``accelerator``).

    Raises
    ------
    SpecError
        Listing every invalid field.

    Examples
    --------
    >>> name, kwargs = validate_spec({"name": "gpt2-demo", "repository": "gpt2", ...})
    >>> client.create_inference_endpoint(name, **kwargs)
    """
    problems: dict[str, str] = {}
    name = _text(spec, "name")
    if (problem := name_problem(name)) is not None:
        problems["name"] = problem
    repository = _text(spec, "repository")
    if not repository:
        problems["repository"] = "required"
    compute = _compute(spec, hardware, problems)

    min_replica = _int(spec.get("min_replica"), "min_replica", problems)
    max_replica = _int(spec.get("max_replica"), "max_replica", problems)
    timeout = _int(spec.get("scale_to_zero_timeout"), "scale_to_zero_timeout", problems)
    min_replica = 1 if min_replica is None else min_replica
    max_replica = max(1, min_replica) if max_replica is None else max_replica
    if max_replica < 1:
        problems["max_replica"] = "must be 1 or more"
    elif max_replica < min_replica:
        problems["max_replica"] = "must be at least min replicas"
    if timeout == 0:
        timeout = None
    if timeout is not None and min_replica != 0:
        problems["scale_to_zero_timeout"] = "needs min replicas 0"

    endpoint_type = _text(spec, "type") or "authenticated"
    if endpoint_type not in TYPES:
        problems["type"] = f"one of {', '.join(TYPES)}"
    try:
        env = parse_env(spec.get("env"))
    except ValueError as exc:
        problems["env"] = str(exc)
        env = {}
    if problems:
        raise SpecError(problems)

    kwargs: dict[str, Any] = {
        "repository": repository,
        "framework": _text(spec, "framework") or "pytorch",
        **compute,
        "min_replica": min_replica,
        "max_replica": max_replica,
        "scale_to_zero_timeout": timeout,
        "type": endpoint_type,
    }
    for key in ("revision", "task"):
        if value := _text(spec, key):
            kwargs[key] = value
    if env:
        kwargs["env"] = env
    if namespace := _text(spec, "namespace"):
        kwargs["namespace"] = namespace
    return name, kwargs


#: What an update from the form may change (region and vendor cannot change).
UPDATE_KEYS = (
    "repository",
    "revision",
    "instance_type",
    "instance_size",
    "min_replica",
    "max_replica",
    "scale_to_zero_timeout",
)


def _instance(
    spec: Mapping[str, Any],
    endpoint: InferenceEndpoint,
    hardware: Iterable[InferenceEndpointHardware] | None,
    problems: dict[str, str],
) -> dict[str, Any]:
    current = (endpoint.instance_type, endpoint.instance_size)
    wanted = (
        _text(spec, "instance_type") or current[0],
        _text(spec, "instance_size") or current[1],
    )
    if wanted == current:
        return {}
    changes: dict[str, Any] = {"instance_type": wanted[0], "instance_size": wanted[1]}
    if hardware is None:
        return changes
    where = (endpoint.vendor, endpoint.region)
    match = next(
        (
            h
            for h in hardware
            if (h.vendor, h.region, h.instance_type, h.instance_size) == where + wanted
        ),
        None,
    )
    if match is None:
        region = f"{endpoint.vendor}/{endpoint.region}"
        problems["instance_type"] = f"not in the hardware catalog of {region}"
    elif match.accelerator != endpoint.accelerator:
        changes["accelerator"] = match.accelerator
    return changes


def _scaling(
    spec: Mapping[str, Any], endpoint: InferenceEndpoint, problems: dict[str, str]
) -> dict[str, Any]:
    given = {
        key: _int(spec.get(key), key, problems)
        for key in ("min_replica", "max_replica", "scale_to_zero_timeout")
        if key in spec
    }
    if given.get("scale_to_zero_timeout") == 0:
        problems["scale_to_zero_timeout"] = "must be 1 minute or more"
    if "scale_to_zero_timeout" in given and given["scale_to_zero_timeout"] is None:
        if endpoint.scale_to_zero_timeout is not None:
            # Updates are merged and send no nulls, so a set timeout cannot be removed.
            problems["scale_to_zero_timeout"] = (
                "cannot be turned off by an update; set a longer timeout instead"
            )
        del given["scale_to_zero_timeout"]
    changes = {
        key: value
        for key, value in given.items()
        if value is not None and value != getattr(endpoint, key)
    }

    low = changes.get("min_replica", endpoint.min_replica) or 0
    high = changes.get("max_replica", endpoint.max_replica)
    timeout = changes.get("scale_to_zero_timeout", endpoint.scale_to_zero_timeout)
    if high is not None and high < 1:
        problems.setdefault("max_replica", "must be 1 or more")
    elif high is not None and high < low:
        problems.setdefault("max_replica", "must be at least min replicas")
    if timeout is not None and low != 0:
        field = "min_replica" if "min_replica" in changes else "scale_to_zero_timeout"
        problems.setdefault(field, "must be 0 while scale to zero is on")
    return changes


def validate_update(
    spec: Mapping[str, Any],
    endpoint: InferenceEndpoint,
    hardware: Iterable[InferenceEndpointHardware] | None = None,
) -> dict[str, Any]:
    """Check the changes ``spec`` makes to ``endpoint``; return update kwargs.

    Only the values that differ from the endpoint's are returned, since the API
    merges an update into the endpoint. An empty or unchanged field is left as it is.

    Parameters
    ----------
    spec
        Any of :data:`UPDATE_KEYS`.
    endpoint
        The endpoint as it is now.
    hardware
        Catalog rows; when given, a new instance must be one of them in the
        endpoint's vendor and region (and sets ``accelerator`` when it differs).

    Raises
    ------
    SpecError
        Listing every invalid field.

    Examples
    --------
    >>> validate_update({"max_replica": "2", "min_replica": "0"}, endpoint)
    {'max_replica': 2}
    """
    problems = {
        key: "cannot be changed by an update" for key in spec if key not in UPDATE_KEYS
    }
    changes: dict[str, Any] = {}
    if "repository" in spec:
        repository = _text(spec, "repository")
        if not repository:
            problems["repository"] = "required"
        elif repository != endpoint.repository:
            changes["repository"] = repository
    revision = _text(spec, "revision")
    if revision and revision != endpoint.revision:
        changes["revision"] = revision
    changes.update(_instance(spec, endpoint, hardware, problems))
    changes.update(_scaling(spec, endpoint, problems))
    if problems:
        raise SpecError(problems)
    return changes
