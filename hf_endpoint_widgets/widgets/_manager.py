"""``EndpointManager``: a live table of endpoints with lifecycle buttons."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets
import traitlets

from hf_endpoint_widgets._poller import PollState
from hf_endpoint_widgets._refs import endpoint_ref
from hf_endpoint_widgets._tables import endpoints_dataframe, style_endpoints
from hf_endpoint_widgets.widgets import _actions
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import PolledWidget, resolve_client
from hf_endpoint_widgets.widgets._form import CreateEndpointForm
from hf_endpoint_widgets.widgets._update import UpdateEndpointForm

if TYPE_CHECKING:
    import pandas as pd

    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpoint

__all__ = ["EndpointManager"]

logger = logging.getLogger(__name__)

_OPEN: list[weakref.ref[EndpointManager]] = []
_OPEN_LOCK = threading.Lock()

_METHODS = {
    "pause": "pause_inference_endpoint",
    "resume": "resume_inference_endpoint",
    "scale_to_zero": "scale_to_zero_inference_endpoint",
    "update": "update_inference_endpoint",
    "delete": "delete_inference_endpoint",
}


class EndpointManager(PolledWidget):
    """A live, sortable table of a namespace's endpoints with lifecycle buttons.

    Parameters
    ----------
    client
        An ``EndpointsClient``; the default client (from the environment) if None.
    namespace
        Namespace to list; the client's namespace if None. ``"*"`` lists the
        user's endpoints and those of every organization they belong to (one list
        request per namespace on each refresh).
    push
        Push updates from a background thread. None: on, except on Colab or when
        ``HFEW_PUSH=0``. The page also pulls on a timer, which works everywhere.

    Examples
    --------
    >>> manager = EndpointManager()
    >>> manager  # doctest: +SKIP
    >>> manager.selected = ["gpt2-demo"]
    >>> manager.pause()  # the selection, or pass endpoints explicitly
    >>> manager.to_dataframe()[["name", "status", "price_per_hour"]]
    """

    _esm = asset("manager.js")
    _css = asset("widgets.css")

    endpoints = traitlets.List(
        traitlets.Dict(), help="One row per endpoint (see _tables.endpoint_row)."
    ).tag(sync=True)
    selection = traitlets.List(
        traitlets.Unicode(), help='Selected endpoints as "namespace/name".'
    ).tag(sync=True)
    busy = traitlets.Unicode("", help="Action in flight, or empty.").tag(sync=True)
    total_price_per_hour = traitlets.Float(
        0.0, help="Hourly cost of the replicas running now."
    ).tag(sync=True)
    form = traitlets.Instance(ipywidgets.Widget, allow_none=True).tag(
        sync=True, **ipywidgets.widget_serialization
    )
    editor = traitlets.Instance(ipywidgets.Widget, allow_none=True).tag(
        sync=True, **ipywidgets.widget_serialization
    )
    _rules = traitlets.Dict(help="Statuses in which each action is valid.").tag(
        sync=True
    )

    def __init__(
        self,
        client: EndpointsClient | None = None,
        *,
        namespace: str | None = None,
        push: bool | None = None,
    ) -> None:
        client = resolve_client(client)
        namespace = namespace or client.namespace
        self._action_lock = threading.Lock()
        self._selection_lock = threading.Lock()
        super().__init__(client, namespace, push, _rules=_actions.rules_for_page())
        with _OPEN_LOCK:
            _OPEN.append(weakref.ref(self))

    @classmethod
    def latest(cls) -> EndpointManager | None:
        """The most recently created manager that is still open, if any.

        ``%%infer`` sends to the row selected in it when no endpoint is named.
        """
        with _OPEN_LOCK:
            _OPEN[:] = [ref for ref in _OPEN if (m := ref()) is not None and m.is_open]
            return _OPEN[-1]() if _OPEN else None

    @property
    def is_open(self) -> bool:
        """False once :meth:`close` ran."""
        return not self._closed

    @traitlets.validate("selection")
    def _valid_selection(self, proposal: Any) -> list[str]:
        return list(dict.fromkeys(str(item) for item in proposal["value"]))

    @property
    def selected(self) -> list[InferenceEndpoint]:
        """Selected endpoints (settable with endpoints, ids or names; ``[]`` or
        None clears the selection).

        Raises ``ValueError`` when setting an endpoint this manager does not show.
        """
        state = self._live.state
        found = (state.endpoint(endpoint_id) for endpoint_id in self.selection)
        return [endpoint for endpoint in found if endpoint is not None]

    @selected.setter
    def selected(self, endpoints: object) -> None:
        ids = self._given_ids([endpoints])
        state = self._live.state
        if any(i not in state.rows for i in ids):
            state = self._poller.refresh_now(fast=False)
        missing = [i for i in ids if i not in state.rows]
        if missing:
            raise ValueError(
                f"{', '.join(missing)} is not shown in this manager of "
                f"{self.namespace}; see the valid ones with "
                "manager.to_dataframe()[['namespace', 'name']]."
            )
        with self._writing():
            self.selection = ids

    def pause(self, *endpoints: object) -> None:
        """Pause ``endpoints`` (the selection when none are given)."""
        self._run("pause", self._ids(endpoints))

    def resume(self, *endpoints: object) -> None:
        """Resume paused or scaled-to-zero ``endpoints`` (default: the selection)."""
        self._run("resume", self._ids(endpoints))

    def scale_to_zero(self, *endpoints: object) -> None:
        """Scale running ``endpoints`` to zero replicas (default: the selection)."""
        self._run("scale_to_zero", self._ids(endpoints))

    def update(self, endpoint: object = None, **changes: Any) -> InferenceEndpoint:
        """Update one endpoint (default: the single selected one) with ``changes``.

        ``changes`` are ``update_inference_endpoint``'s keyword arguments (such as
        ``max_replica=2`` or ``instance_size="x2"``); the API merges them into the
        endpoint, which rolls them out as ``updating``.
        """
        ids = self._ids([] if endpoint is None else [endpoint])
        if len(ids) != 1:
            raise ValueError(
                f"Cannot update {len(ids)} endpoints at once; select one, or name it: "
                "manager.update('my-endpoint', max_replica=2)."
            )
        self._run("update", ids, changes=changes)
        updated = self._live.state.endpoint(ids[0])
        assert updated is not None
        return updated

    def delete(self, *endpoints: object) -> None:
        """Delete ``endpoints`` at once (default: the selection). Cannot be undone.

        Only the page asks for a typed confirmation.
        """
        self._run("delete", self._ids(endpoints))

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for row in self.endpoints:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        return f"EndpointManager({self.namespace!r}: {summary or 'no endpoints'})"

    def _static_html(self) -> str:
        frame = self.to_dataframe()
        columns = ["name", "status", "task", "instance_type", "price_per_hour", "url"]
        return str(style_endpoints(frame[columns]).to_html())

    def create_form(self) -> CreateEndpointForm:
        """Return a creation form bound to this manager's client and namespace."""
        poller = self._poller
        return CreateEndpointForm(self._client, namespace=poller.own, poller=poller)

    def update_form(self, endpoint: object = None) -> UpdateEndpointForm:
        """Return an update form for ``endpoint`` (default: the selected one)."""
        ids = self._ids([] if endpoint is None else [endpoint])
        if len(ids) != 1:
            raise ValueError(f"Select one endpoint to update, not {len(ids)}.")
        found = self._live.state.endpoint(ids[0])
        namespace = ids[0].split("/", 1)[0]
        poller = self._poller if self._poller.own == namespace else None
        return UpdateEndpointForm(found or ids[0], self._client, poller=poller)

    def to_dataframe(self) -> pd.DataFrame:
        """Return the endpoints shown, as :func:`endpoints_dataframe` does."""
        state = self._live.state
        return endpoints_dataframe(state.endpoints, hardware=self._poller.prices)

    def close(self) -> None:
        """Close the manager, its embedded forms, and stop polling if unused."""
        for name in ("form", "editor"):
            child = getattr(self, name, None)
            if child is not None:
                child.close()
        super().close()

    def _given_ids(self, endpoints: Iterable[object]) -> list[str]:
        ids = []
        for item in (x for given in endpoints for x in _as_list(given)):
            namespace, name = endpoint_ref(item, self._poller.own)
            ids.append(f"{namespace}/{name}")
        return ids

    def _ids(self, endpoints: Iterable[object]) -> list[str]:
        """The ids of ``endpoints``, or the selection when none are given."""
        return self._given_ids(endpoints) or list(self.selection)

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "action":
            names = content.get("names") or []
            action = str(content.get("action", ""))
            confirm = content.get("confirm")
            self._run(action, [str(n) for n in names], confirm=confirm, page=True)
        elif kind == "new_endpoint":
            if self.form is None:
                form = self.create_form()
                with self._writing():
                    self.form = form
        elif kind == "edit":
            self._open_editor()
        else:
            super()._handle_page_msg(kind, content)

    def _open_editor(self) -> None:
        try:
            editor = self.update_form()
        except Exception as exc:
            self._set_action_error(f"Could not open the update form: {exc}")
            return
        with self._writing():
            old, self.editor = self.editor, editor
        if old is not None:
            old.close()

    def _run(
        self,
        action: str,
        ids: Sequence[str],
        *,
        confirm: object = None,
        page: bool = False,
        changes: Mapping[str, Any] | None = None,
    ) -> None:
        if not self._action_lock.acquire(blocking=False):
            message = (
                f"Still busy with {self.busy or 'another action'}; "
                f"{_actions.LABELS.get(action, action)} was not sent."
            )
            if page:
                with self._writing():
                    self.notice = message
                return
            raise RuntimeError(message)
        try:
            self._run_locked(action, list(ids), confirm, page, changes or {})
        finally:
            with self._writing():
                self.busy = ""
            self._action_lock.release()

    def _run_locked(
        self,
        action: str,
        ids: list[str],
        confirm: object,
        page: bool,
        changes: Mapping[str, Any],
    ) -> None:
        state = self._live.state
        if not page and any(i not in state.rows for i in ids):
            state = self._poller.refresh_now()
        problem = _check(action, ids, state, confirm if page else None, page)
        if problem is not None:
            self._set_action_error(problem)
            if page:
                return
            raise ValueError(problem)

        with self._writing():
            self.busy = action
            self._set_action_error("")
        method = getattr(self._client, _METHODS[action])
        done: list[str] = []
        failures: list[tuple[str, Exception]] = []
        for endpoint_id in ids:
            namespace, name = endpoint_id.split("/", 1)
            try:
                method(name, namespace=namespace, **changes)
            except Exception as exc:
                logger.warning("%s of %s failed: %s", action, endpoint_id, exc)
                failures.append((endpoint_id, exc))
                continue
            logger.info("%s: %s requested", endpoint_id, action)
            done.append(endpoint_id)

        self._poller.refresh_now()
        with self._writing():
            if done:
                self.notice = f"{_actions.DONE[action]} {', '.join(done)}."
            self._set_action_error(
                " ".join(_actions.failure_message(action, i, e) for i, e in failures)
            )
        if failures and not page:
            raise failures[0][1]

    def _values(self, state: PollState) -> dict[str, Any]:
        values = super()._values(state)
        rows = sorted(state.rows.values(), key=lambda row: row["id"])
        values["endpoints"] = rows
        values["total_price_per_hour"] = _burn(rows)
        if state.generation and hasattr(self, "selection"):
            kept = [i for i in self.selection if i in state.rows]
            if kept != self.selection:
                values["selection"] = kept
        return values


def _check(
    action: str,
    ids: Sequence[str],
    state: PollState,
    confirm: object,
    page: bool,
) -> str | None:
    missing = [i for i in ids if i not in state.rows]
    if action in _actions.RULES and missing:
        return (
            f"{', '.join(missing)} is not listed; it may have been deleted. "
            "Refresh the list and select again."
        )
    problem = _actions.refusal(action, [state.rows[i] for i in ids])
    if problem is None and action == "delete" and page:
        phrase = _actions.delete_phrase(ids)
        if confirm != phrase:
            return f"Deletion not confirmed: type {phrase!r} exactly to delete."
    return problem


def _burn(rows: Iterable[Mapping[str, Any]]) -> float:
    total = 0.0
    for row in rows:
        price, ready = row.get("price_per_hour"), row.get("ready_replica")
        if row.get("status") == "running" and price is not None and ready:
            total += price * ready
    return round(total, 4)


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [value]
    return list(value)
