"""Which lifecycle action is valid in which status: the one table both sides follow.

The manager sends :data:`RULES` to the page (trait ``_rules``), so the buttons the
page enables are exactly the actions Python accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hf_endpoint_widgets._models import InferenceEndpointStatus
from hf_endpoint_widgets._poller import describe_error

__all__ = [
    "ACTIONS",
    "ANY",
    "RULES",
    "delete_phrase",
    "failure_message",
    "refusal",
    "rules_for_page",
]

ACTIONS = ("pause", "resume", "scale_to_zero", "update", "delete")

#: Matches every status, including ones this package does not know.
ANY = "*"

#: Statuses in which each action is accepted. Pause works on anything that still
#: holds (or is about to hold) replicas; resume wakes a paused or scaled-to-zero
#: endpoint; scale to zero needs a running one; a failed endpoint can only be deleted
#: (and created again).
RULES: Mapping[str, frozenset[str]] = {
    "pause": frozenset(
        {
            "pending",
            "initializing",
            "updating",
            "updateFailed",
            "running",
            "scaledToZero",
        }
    ),
    "resume": frozenset({"paused", "scaledToZero"}),
    "scale_to_zero": frozenset({"running"}),
    "update": frozenset(s.value for s in InferenceEndpointStatus) - {"failed"},
    "delete": frozenset({ANY}),
}

LABELS = {
    "pause": "pause",
    "resume": "resume",
    "scale_to_zero": "scale to zero",
    "update": "update",
    "delete": "delete",
}
DONE = {
    "pause": "Pause requested for",
    "resume": "Resume requested for",
    "scale_to_zero": "Scale to zero requested for",
    "update": "Update requested for",
    "delete": "Deleted",
}

_NEXT_STEPS = {
    400: "refresh to see its current status, then try again",
    401: "check that your token is valid (HF_TOKEN or huggingface_hub.login())",
    403: "check that your token may manage endpoints in this namespace",
    404: "it may already be gone; refresh the list",
    409: "refresh to see its current status, then try again",
    422: "refresh to see its current status, then try again",
    429: "wait a minute, then try again",
}


def allowed(action: str, status: str) -> bool:
    """Return True when ``action`` is valid for an endpoint in ``status``."""
    accepted = RULES[action]
    return ANY in accepted or status in accepted


def refusal(action: str, rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Explain why ``action`` cannot run on ``rows``, or return None when it can.

    Examples
    --------
    >>> refusal("resume", [{"id": "me/demo", "status": "running"}])
    'Cannot resume me/demo: it is running; resume works on paused or scaledToZero ...'
    """
    if action not in RULES:
        return f"Unknown action {action!r}; use one of {', '.join(ACTIONS)}."
    if not rows:
        return f"Select at least one endpoint to {LABELS[action]}."
    for row in rows:
        if not allowed(action, row["status"]):
            accepted = " or ".join(sorted(RULES[action]))
            label, status = LABELS[action], row["status"] or "unknown"
            return (
                f"Cannot {label} {row['id']}: it is {status}; "
                f"{label} works on {accepted} endpoints."
            )
    return None


def delete_phrase(ids: Sequence[str]) -> str:
    """Return the text the user must type to confirm deleting ``ids``.

    The names of the endpoints, in order and joined by ``", "``; their full ids when
    two share a name. So a confirmation holds only for the endpoints it names.

    Examples
    --------
    >>> delete_phrase(["me/chat", "me/embedder"])
    'chat, embedder'
    """
    names = [endpoint_id.rsplit("/", 1)[-1] for endpoint_id in ids]
    return ", ".join(names if len(set(names)) == len(names) else ids)


def failure_message(action: str, endpoint_id: str, exc: BaseException) -> str:
    """Describe a failed action on one endpoint, with the next step to take."""
    code = getattr(exc, "status_code", None)
    fallback = getattr(exc, "hint", None) or "try again in a minute."
    step = _NEXT_STEPS.get(code or 0, fallback.rstrip("."))
    what = f"Could not {LABELS[action]} {endpoint_id}"
    return f"{what}: {describe_error(exc)}. Next: {step}."


def rules_for_page() -> dict[str, list[str]]:
    """Return :data:`RULES` as JSON for the page."""
    return {action: sorted(statuses) for action, statuses in RULES.items()}
