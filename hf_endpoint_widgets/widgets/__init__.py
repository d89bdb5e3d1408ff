"""Jupyter widgets for Inference Endpoints (anywidget; ipywidgets 7.6+ and 8).

* :class:`EndpointManager`: a live table of a namespace's endpoints with lifecycle
  buttons, a cost line and a creation form.
* :class:`StatusBadge`: the live status of one endpoint, with ``wait_for``.
* :class:`CreateEndpointForm`: create an endpoint from the hardware catalog.
* :class:`UpdateEndpointForm`: change an endpoint's model, instance or scaling.

All of them share one poller per (client, namespace).
"""

from hf_endpoint_widgets.widgets._badge import StatusBadge
from hf_endpoint_widgets.widgets._form import CreateEndpointForm
from hf_endpoint_widgets.widgets._manager import EndpointManager
from hf_endpoint_widgets.widgets._update import UpdateEndpointForm

__all__ = ["CreateEndpointForm", "EndpointManager", "StatusBadge", "UpdateEndpointForm"]
