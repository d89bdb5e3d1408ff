"""Where the widgets' JavaScript and CSS live.

A wheel carries ``js/`` as ``hf_endpoint_widgets/static/``; a source checkout (and so an
editable install) reads the repository's ``js/`` directly, so edits show up at once.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ASSETS", "asset"]


def _assets_dir() -> Path:
    package = Path(__file__).resolve().parent.parent
    static = package / "static"
    if static.is_dir():
        return static
    return package.parent / "js"


ASSETS: Path = _assets_dir()


def asset(name: str) -> Path:
    """Return the path of ``name`` (e.g. ``"badge.js"``) in the assets directory."""
    return ASSETS / name
