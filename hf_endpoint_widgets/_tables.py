"""Endpoints as tables: a typed DataFrame, a styled view and JSON rows for the page.

Everything here speaks the API's vocabulary (``namespace``, ``repository``,
``instance_type``, ``min_replica`` ...) and imports nothing from Jupyter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

from hf_endpoint_widgets._models import InferenceEndpoint

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

    from hf_endpoint_widgets._client import EndpointsClient
    from hf_endpoint_widgets._models import InferenceEndpointHardware

logger = logging.getLogger(__name__)

__all__ = [
    "COLUMNS",
    "STATUS_ORDER",
    "PriceTable",
    "as_endpoint",
    "endpoint_row",
    "endpoints_dataframe",
    "status_value",
    "style_endpoints",
]

#: Known statuses, from "on its way" to "stopped". Unknown wire values are appended
#: to the categories of the DataFrame's ``status`` column, after these.
STATUS_ORDER: tuple[str, ...] = (
    "pending",
    "initializing",
    "updating",
    "updateFailed",
    "running",
    "scaledToZero",
    "paused",
    "failed",
)

_TEXT = (
    "namespace name repository revision task framework type vendor region "
    "accelerator instance_type instance_size url message"
).split()
_INTS = "min_replica max_replica ready_replica target_replica scale_to_zero_timeout"
_INT_COLUMNS = tuple(_INTS.split())
_TIME_COLUMNS = ("created_at", "updated_at")

#: Column order of :func:`endpoints_dataframe` (and keys of :func:`endpoint_row`).
COLUMNS: tuple[str, ...] = (
    "namespace",
    "name",
    "status",
    "repository",
    "revision",
    "task",
    "framework",
    "type",
    "vendor",
    "region",
    "accelerator",
    "instance_type",
    "instance_size",
    *_INT_COLUMNS[:4],
    "scale_to_zero_timeout",
    "price_per_hour",
    "url",
    *_TIME_COLUMNS,
    "message",
)

_SYMBOLS = {
    "pending": "◔",
    "initializing": "◑",
    "updating": "◑",
    "updateFailed": "✖",
    "running": "●",
    "scaledToZero": "○",
    "paused": "❚❚",
    "failed": "✖",
}
_STATUS_COLOURS = {
    "running": "var(--jp-success-color1, #2e7d32)",
    "pending": "var(--jp-warn-color1, #b26a00)",
    "initializing": "var(--jp-warn-color1, #b26a00)",
    "updating": "var(--jp-warn-color1, #b26a00)",
    "updateFailed": "var(--jp-error-color1, #c62828)",
    "failed": "var(--jp-error-color1, #c62828)",
    "scaledToZero": "var(--jp-brand-color1, #1565c0)",
    "paused": "var(--jp-ui-font-color2, #616161)",
}


def status_value(status: object) -> str:
    """Return the wire string of a status (an enum member or a raw string)."""
    value = getattr(status, "value", status)
    return "" if value is None else str(value)


def as_endpoint(endpoint: object) -> InferenceEndpoint:
    """Return ``endpoint`` as one of our :class:`InferenceEndpoint` objects.

    huggingface_hub's ``InferenceEndpoint`` keeps the compute, provider and
    replicas only in its ``raw`` payload, so it is rebuilt from that payload;
    ours are returned as they are.

    Examples
    --------
    >>> as_endpoint(HfApi().get_inference_endpoint("gpt2-demo")).vendor
    'aws'
    """
    if isinstance(endpoint, InferenceEndpoint):
        return endpoint
    raw, namespace = (
        getattr(endpoint, "raw", None),
        getattr(endpoint, "namespace", None),
    )
    if isinstance(raw, Mapping) and raw and isinstance(namespace, str):
        return InferenceEndpoint.from_raw(raw, namespace=namespace)
    # Other look-alikes are read attribute by attribute, whatever they have.
    return cast(InferenceEndpoint, endpoint)


class PriceTable:
    """Price per hour of each compute, looked up by endpoint.

    Parameters
    ----------
    hardware
        Rows of the hardware catalog (``client.list_inference_endpoints_hardware()``).

    Examples
    --------
    >>> prices = PriceTable(client.list_inference_endpoints_hardware())
    >>> prices.price(endpoint)
    0.8
    """

    def __init__(self, hardware: Iterable[InferenceEndpointHardware] = ()) -> None:
        self._by_key: dict[tuple[str, str, str, str], float] = {}
        self._by_id: dict[str, float] = {}
        for row in hardware:
            price = row.price_per_hour
            if price is None:
                continue
            key = (row.vendor, row.region, row.instance_type, row.instance_size)
            self._by_key[key] = float(price)
            self._by_id[row.id] = float(price)

    def __len__(self) -> int:
        return len(self._by_id)

    def price(self, endpoint: InferenceEndpoint) -> float | None:
        """Return the hourly price of one replica of ``endpoint``, or None."""
        endpoint = as_endpoint(endpoint)
        key = (
            endpoint.vendor or "",
            endpoint.region or "",
            endpoint.instance_type or "",
            endpoint.instance_size or "",
        )
        found = self._by_key.get(key)
        if found is None:
            compute = (getattr(endpoint, "raw", None) or {}).get("compute") or {}
            found = self._by_id.get(str(compute.get("id", "")))
        return found


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    text = value.astimezone(timezone.utc).isoformat()
    return text.replace("+00:00", "Z")


def endpoint_row(
    endpoint: InferenceEndpoint, price_per_hour: float | None = None
) -> dict[str, Any]:
    """Return a JSON-safe dict describing ``endpoint`` for the page.

    Times are ISO 8601 strings in UTC; the raw payload (which may hold secrets and
    env values) is left out, and so is any token.

    Examples
    --------
    >>> endpoint_row(endpoint, price_per_hour=0.8)["status"]
    'running'
    """
    endpoint = as_endpoint(endpoint)
    row: dict[str, Any] = {"id": f"{endpoint.namespace}/{endpoint.name}"}
    for column in COLUMNS:
        if column == "status":
            row[column] = status_value(endpoint.status)
        elif column == "price_per_hour":
            row[column] = None if price_per_hour is None else float(price_per_hour)
        elif column in _TIME_COLUMNS:
            row[column] = _iso(getattr(endpoint, column, None))
        elif column in _INT_COLUMNS:
            value = getattr(endpoint, column, None)
            row[column] = None if value is None else int(value)
        else:
            value = getattr(endpoint, column, None)
            row[column] = None if value is None else str(getattr(value, "value", value))
    return row


def endpoints_dataframe(
    endpoints: Iterable[InferenceEndpoint] | None = None,
    *,
    client: EndpointsClient | None = None,
    namespace: str | None = None,
    hardware: Iterable[InferenceEndpointHardware] | PriceTable | None = None,
) -> pd.DataFrame:
    """Return one typed row per endpoint, columns in the API's vocabulary.

    Parameters
    ----------
    endpoints
        Endpoints to tabulate. When None, they are listed with ``client`` (the
        default client when that is None too) in ``namespace``.
    client, namespace
        Used only when ``endpoints`` is None.
    hardware
        Catalog rows (or a :class:`PriceTable`) that fill ``price_per_hour``.
        When None, the catalog is fetched with ``client`` if the endpoints were
        too (prices stay missing if that fails); otherwise prices are missing.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`. ``status`` is an ordered categorical following
        :data:`STATUS_ORDER`; statuses the package does not know are kept and added
        as extra categories after the known ones. Replica counts and the
        scale-to-zero timeout (minutes) are ``Int64``, ``price_per_hour`` is
        ``Float64``, times are UTC-aware datetimes, the rest are strings.

    Examples
    --------
    >>> df = endpoints_dataframe(client.list_inference_endpoints())
    >>> df[df.status == "running"][["name", "instance_type", "price_per_hour"]]
    """
    import pandas as pd

    if endpoints is None:
        if client is None:
            from hf_endpoint_widgets._api import default_client

            client = default_client()
        endpoints = client.list_inference_endpoints(namespace)
        if hardware is None:
            hardware = _catalog_or_none(client, namespace)
    items: Sequence[InferenceEndpoint] = [as_endpoint(e) for e in endpoints]
    if hardware is None or isinstance(hardware, PriceTable):
        prices = hardware
    else:
        prices = PriceTable(hardware)

    columns: dict[str, Any] = {}
    for column in _TEXT:
        values = [getattr(e, column, None) for e in items]
        columns[column] = pd.array(_as_text(values), dtype="string")
    statuses = [status_value(e.status) for e in items]
    extra = sorted(set(statuses) - set(STATUS_ORDER) - {""})
    columns["status"] = pd.Categorical(
        [s or None for s in statuses], categories=[*STATUS_ORDER, *extra], ordered=True
    )
    for column in _INT_COLUMNS:
        columns[column] = pd.array(
            [getattr(e, column, None) for e in items], dtype="Int64"
        )
    price_list = [None if prices is None else prices.price(e) for e in items]
    columns["price_per_hour"] = pd.array(price_list, dtype="Float64")
    for column in _TIME_COLUMNS:
        columns[column] = pd.to_datetime(
            [getattr(e, column, None) for e in items], utc=True
        ).as_unit("us")

    return pd.DataFrame({name: columns[name] for name in COLUMNS})


def _catalog_or_none(
    client: EndpointsClient, namespace: str | None
) -> list[InferenceEndpointHardware] | None:
    try:
        return list(client.list_inference_endpoints_hardware(namespace))
    except Exception as exc:
        logger.warning("No prices: the hardware catalog failed (%s)", exc)
        return None


def _as_text(values: list[object]) -> list[str | None]:
    return [None if v is None else str(getattr(v, "value", v)) for v in values]


def _status_css(value: object) -> str:
    colour = _STATUS_COLOURS.get(str(value))
    return f"color: {colour}; font-weight: 600" if colour else ""


def _status_label(value: object) -> str:
    if value is None or value != value:
        return ""
    return f"{_SYMBOLS.get(str(value), '?')} {value}"


def style_endpoints(df: pd.DataFrame) -> Styler:
    """Return a Styler that shows each status as a symbol, its word and a colour.

    Every cell is HTML-escaped, so server text (names, messages) shows as text.
    Colours use JupyterLab theme variables, with fallbacks outside Jupyter.

    Examples
    --------
    >>> style_endpoints(endpoints_dataframe(client.list_inference_endpoints()))
    """
    formatters: dict[str, Callable[[object], str]] = {}
    if "status" in df.columns:
        formatters["status"] = _status_label
    if "price_per_hour" in df.columns:
        formatters["price_per_hour"] = "{:.3f}".format
    styler = df.style.format(formatters, escape="html", na_rep="")
    styler = styler.format_index(escape="html", axis=1)
    if "status" in df.columns:
        styler = styler.map(_status_css, subset=["status"])
    return styler.hide(axis="index")


def rows_by_id(
    endpoints: Iterable[InferenceEndpoint], prices: PriceTable | None
) -> Mapping[str, dict[str, Any]]:
    """Return :func:`endpoint_row` dicts keyed by ``"namespace/name"``."""
    rows: dict[str, dict[str, Any]] = {}
    for endpoint in map(as_endpoint, endpoints):
        price = None if prices is None else prices.price(endpoint)
        row = endpoint_row(endpoint, price)
        rows[row["id"]] = row
    return rows
