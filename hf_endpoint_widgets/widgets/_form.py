"""``CreateEndpointForm``: create an endpoint from the hardware catalog's pickers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import traitlets

from hf_endpoint_widgets._poller import describe_error
from hf_endpoint_widgets.widgets._assets import asset
from hf_endpoint_widgets.widgets._base import resolve_client
from hf_endpoint_widgets.widgets._formbase import FormWidget
from hf_endpoint_widgets.widgets._spec import (
    FRAMEWORKS,
    NAME_RULE,
    TASKS,
    TYPES,
    SpecError,
    validate_spec,
)

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpoint
    from hf_endpoint_widgets._poller import Poller

__all__ = ["CreateEndpointForm"]

logger = logging.getLogger(__name__)


class CreateEndpointForm(FormWidget):
    """A form that creates an Inference Endpoint.

    The page validates the name live and fills the vendor, region and instance
    pickers from the hardware catalog (with prices); Python validates the spec
    again, creates the endpoint, and refreshes the shared poller so every
    ``EndpointManager`` of the namespace shows it.

    Parameters
    ----------
    client
        An ``EndpointsClient``; the default client if None.
    namespace
        Namespace to create in; the client's namespace if None.
    poller
        The poller whose hardware catalog to share (an ``EndpointManager`` passes
        its own); a shared one of ``namespace`` when None.

    Examples
    --------
    >>> form = CreateEndpointForm()
    >>> form  # doctest: +SKIP
    >>> form.submit({"name": "gpt2-demo", "repository": "gpt2", "vendor": "aws",
    ...              "region": "us-east-1", "instance_type": "intel-icl",
    ...              "instance_size": "x2"})
    """

    _esm = asset("forms.js")
    _css = asset("widgets.css")
    _kind = traitlets.Unicode("create", help="Which form forms.js renders.").tag(
        sync=True
    )

    namespace = traitlets.Unicode("", help="Namespace to create in.").tag(sync=True)
    created = traitlets.Unicode("", help='"namespace/name" once created.').tag(
        sync=True
    )
    tasks = traitlets.List(traitlets.Unicode()).tag(sync=True)
    frameworks = traitlets.List(traitlets.Unicode()).tag(sync=True)
    types = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _name_rule = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        client: EndpointsClient | None = None,
        *,
        namespace: str | None = None,
        poller: Poller | None = None,
    ) -> None:
        self._client = resolve_client(client)
        self._poller = poller
        super().__init__(
            namespace=namespace or self._client.namespace,
            tasks=list(TASKS),
            frameworks=list(FRAMEWORKS),
            types=list(TYPES),
            _name_rule=dict(NAME_RULE),
        )

    @property
    def _catalog_namespace(self) -> str:
        return self.namespace

    def submit(self, spec: Mapping[str, Any]) -> InferenceEndpoint:
        """Validate ``spec`` and create the endpoint.

        Raises
        ------
        SpecError
            When a field is invalid (also shown in ``field_errors``).
        InferenceEndpointError
            When the API refuses the creation (also shown in ``error``).
        RuntimeError
            When another creation from this form is still running.
        """
        endpoint = self._create(spec, page=False)
        assert endpoint is not None
        return endpoint

    def _handle_page_msg(self, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "create":
            spec = content.get("spec")
            self._create(spec if isinstance(spec, Mapping) else {}, page=True)
        else:
            super()._handle_page_msg(kind, content)

    def _create(
        self, spec: Mapping[str, Any], *, page: bool
    ) -> InferenceEndpoint | None:
        return self._one_at_a_time(
            lambda: self._create_locked(spec, page),
            busy_message="A creation is already running; wait for it to finish.",
            page=page,
        )

    def _create_locked(
        self, spec: Mapping[str, Any], page: bool
    ) -> InferenceEndpoint | None:
        try:
            name, kwargs = validate_spec(spec, self._catalog())
        except SpecError as exc:
            self._refuse(exc.fields, f"Fix the highlighted fields: {exc}")
            if page:
                return None
            raise
        kwargs.setdefault("namespace", self.namespace)

        self._start("create")
        try:
            endpoint = self._client.create_inference_endpoint(name, **kwargs)
        except Exception as exc:
            logger.warning("Creating %s/%s failed: %s", kwargs["namespace"], name, exc)
            with self._writing():
                self.error = (
                    f"Could not create {kwargs['namespace']}/{name}: "
                    f"{describe_error(exc)}. Next: fix the spec or pick another "
                    "instance, then submit again."
                )
            if page:
                return None
            raise

        endpoint_id = f"{endpoint.namespace}/{endpoint.name}"
        logger.info("%s: created", endpoint_id)
        self._refresh_pollers(endpoint.namespace)
        with self._writing():
            self.created = endpoint_id
            self.notice = (
                f"Created {endpoint_id}. It starts as pending; follow it with "
                f"StatusBadge({endpoint_id!r})."
            )
        return endpoint
