"""Run the sandbox in-process: uvicorn on a free port in a daemon thread."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import MutableMapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn

from . import _active
from ._app import create_app
from ._backend import DEFAULT_NAMESPACE, DEFAULT_ORG, DEFAULT_TOKEN, Backend
from ._controls import Controls

if TYPE_CHECKING:
    from hf_endpoint_widgets._client import EndpointsClient

__all__ = ["Sandbox", "start"]

logger = logging.getLogger(__name__)

_STARTUP_TIMEOUT = 10.0


class Sandbox(Controls):
    """A local emulator of the Inference Endpoints API, served over real HTTP.

    Build it with :func:`start` (or call :meth:`start` yourself) and use it as a
    context manager. The control methods (``seed``, ``set_status``, ``faults``,
    ``advance``...) come from :class:`~hf_endpoint_widgets.sandbox._controls.Controls`.

    Parameters
    ----------
    speed : float
        Virtual seconds per real second (``0`` freezes time; use ``advance``).
    seed : int
        Seed of the RNG behind random faults.
    host, port : str, int
        Where to listen; port ``0`` picks a free one.
    token, namespace, org : str
        The fake account: its token, user name and organisation.
    state_file : str or Path, optional
        JSON file that keeps the endpoints across restarts.

    Attributes
    ----------
    url : str
        API root (no ``/v2``); it also serves ``/api/whoami-v2``.
    token, namespace, org : str
        The fake account.
    """

    def __init__(
        self,
        *,
        speed: float = 1.0,
        seed: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        namespace: str = DEFAULT_NAMESPACE,
        org: str = DEFAULT_ORG,
        state_file: str | os.PathLike[str] | None = None,
    ) -> None:
        backend = Backend(
            speed=speed,
            seed=seed,
            token=token,
            namespace=namespace,
            org=org,
            state_file=state_file,
        )
        super().__init__(backend)
        self.token, self.namespace, self.org = token, namespace, org
        self.app = create_app(backend)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._client: EndpointsClient | None = None

    @property
    def url(self) -> str:
        """The API root, e.g. ``http://127.0.0.1:54321``."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    @property
    def running(self) -> bool:
        """Whether the server thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def client(self) -> EndpointsClient:
        """An ``EndpointsClient`` pointed at this sandbox (built on first use)."""
        if self._client is None:
            from hf_endpoint_widgets._client import EndpointsClient

            self._client = EndpointsClient(
                token=self.token, api_url=self.url, hub_url=self.url
            )
        return self._client

    def start(self) -> Sandbox:
        """Bind the port, start uvicorn in a daemon thread, wait until it serves."""
        if self.running:
            return self
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        # IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets of
        # that protocol, and without it every keep-alive answer waits ~40 ms for a
        # delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        self._server = server
        self.backend.drop_connection = self._drop_connection
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"hf-endpoints-sandbox:{self._port}",
            daemon=True,
        )
        self._thread.start()

        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("the sandbox server failed to start")
            time.sleep(0.002)
        logger.info("sandbox serving on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop the server, join its thread, save the state file, restore env vars."""
        self.deactivate()
        if self._client is not None:
            close = getattr(self._client, "close", None)
            if callable(close):
                close()
            self._client = None
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=_STARTUP_TIMEOUT)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout=_STARTUP_TIMEOUT)
        self._server = self._thread = None
        self.backend.drop_connection = None
        self.backend.save()
        logger.info("sandbox stopped")

    def activate(self) -> None:
        """Point ``HF_INFERENCE_ENDPOINTS_API``, ``HF_ENDPOINT`` and ``HF_TOKEN`` here.

        The previous values come back on :meth:`deactivate` (and on :meth:`stop`).
        Activations stack: deactivating the last one points back at the previous.
        """
        env = {
            "HF_INFERENCE_ENDPOINTS_API": self.url,
            "HF_ENDPOINT": self.url,
            "HF_TOKEN": self.token,
        }
        _active._push(self, env)

    def deactivate(self) -> None:
        """Restore the environment variables changed by :meth:`activate`."""
        _active._pop(self)

    def _drop_connection(self, scope: MutableMapping[str, Any]) -> bool:
        """Close the socket of the request in ``scope`` without an answer."""
        server, client = self._server, scope.get("client")
        if server is None or client is None:
            return False
        for connection in list(server.server_state.connections):
            if getattr(connection, "client", None) == tuple(client):
                connection.transport.close()
                return True
        return False

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Sandbox(url={self.url!r}, namespace={self.namespace!r}, {state})"


def start(
    *,
    speed: float = 1.0,
    activate: bool = False,
    seed: int = 0,
    host: str = "127.0.0.1",
    port: int = 0,
    state_file: str | os.PathLike[str] | None = None,
    token: str = DEFAULT_TOKEN,
    namespace: str = DEFAULT_NAMESPACE,
    org: str = DEFAULT_ORG,
) -> Sandbox:
    """Start a sandbox in this process and return it, already serving.

    Parameters
    ----------
    speed : float
        Virtual seconds per real second. At ``1.0`` a new endpoint runs in ~4.5 s.
    activate : bool
        Also export ``HF_INFERENCE_ENDPOINTS_API``, ``HF_ENDPOINT`` and ``HF_TOKEN``
        (restored on stop).
    seed : int
        Seed of the RNG behind random faults.
    host, port, state_file, token, namespace, org
        See :class:`Sandbox`.

    Returns
    -------
    Sandbox
        Use it as a context manager, or call :meth:`Sandbox.stop`.

    Examples
    --------
    >>> from hf_endpoint_widgets import sandbox
    >>> with sandbox.start(speed=10) as sb:  # doctest: +SKIP
    ...     sb.seed("my-llm", task="text-generation")
    ...     endpoints = sb.client.list_inference_endpoints()
    """
    sandbox = Sandbox(
        speed=speed,
        seed=seed,
        host=host,
        port=port,
        token=token,
        namespace=namespace,
        org=org,
        state_file=state_file,
    ).start()
    if activate:
        sandbox.activate()
    return sandbox
