"""Where the API lives and which token to send, resolved like huggingface_hub does.

Nothing here is cached except the Colab secret, which is read once per process and
only on the calling thread: Colab's secret store is not thread-safe.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.endpoints.huggingface.cloud"
DEFAULT_HUB_URL = "https://huggingface.co"
API_URL_ENV = "HF_INFERENCE_ENDPOINTS_API"
HUB_URL_ENV = "HF_ENDPOINT"

_colab_lock = threading.Lock()
_colab_token: str | None = None
_colab_read = False


def resolve_api_url(explicit: str | None = None) -> str:
    """The API root without ``/v2``: argument, ``HF_INFERENCE_ENDPOINTS_API``, else
    the real service."""
    url = explicit or os.environ.get(API_URL_ENV) or DEFAULT_API_URL
    url = url.rstrip("/")
    return url[: -len("/v2")] if url.endswith("/v2") else url


def resolve_hub_url(explicit: str | None = None) -> str:
    """The Hub root (for ``whoami-v2``): argument, ``HF_ENDPOINT``, else the Hub."""
    return (explicit or os.environ.get(HUB_URL_ENV) or DEFAULT_HUB_URL).rstrip("/")


def _clean(token: str | None) -> str | None:
    token = (token or "").strip()
    return token or None


def token_path() -> Path:
    """The token file: ``HF_TOKEN_PATH``, else ``$HF_HOME/token``."""
    explicit = os.environ.get("HF_TOKEN_PATH")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("HF_HOME")
    if not home:
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        home = str(Path(cache) / "huggingface")
    return Path(home).expanduser() / "token"


def _read_token_file() -> str | None:
    try:
        return _clean(token_path().read_text(encoding="utf-8"))
    except OSError:
        return None


def _read_colab_secret() -> str | None:
    global _colab_token, _colab_read
    if "google.colab" not in sys.modules:
        return None
    if os.environ.get("VERTEX_PRODUCT") == "COLAB_ENTERPRISE":
        return None
    if threading.current_thread() is not threading.main_thread():
        return _colab_token

    with _colab_lock:
        if _colab_read:
            return _colab_token
        _colab_read = True
        try:
            from google.colab import userdata

            _colab_token = _clean(userdata.get("HF_TOKEN"))
        except Exception as exc:  # any refusal means "no token from Colab"
            logger.info(
                "No HF_TOKEN from Colab secrets (%s). Add it under Secrets and grant "
                "this notebook access.",
                type(exc).__name__,
            )
        return _colab_token


def resolve_token(explicit: str | bool | None = None) -> str | None:
    """The token to send, or None.

    Order: the argument; ``HF_TOKEN``; ``HUGGING_FACE_HUB_TOKEN``; the token file
    (``HF_TOKEN_PATH`` or ``$HF_HOME/token``); the Colab secret ``HF_TOKEN``.
    ``False`` means "send no token".
    """
    if explicit is False:
        return None
    if isinstance(explicit, str):
        return _clean(explicit)
    return (
        _clean(os.environ.get("HF_TOKEN"))
        or _clean(os.environ.get("HUGGING_FACE_HUB_TOKEN"))
        or _read_token_file()
        or _read_colab_secret()
    )
