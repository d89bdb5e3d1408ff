"""``python -m hf_endpoint_widgets.sandbox`` runs the ``hf-endpoints-sandbox`` CLI."""

import sys

from ._cli import main

sys.exit(main())
