"""The Starlette app: management routes, whoami, hardware, deployed endpoints."""

from __future__ import annotations

import os
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ._backend import Account, Backend
from ._body import loads
from ._catalog import providers_payload
from ._deployed import deployed_endpoint
from ._errors import ApiError, parse_error
from ._middleware import SandboxMiddleware

__all__ = ["create_app"]


def _backend(request: Request) -> Backend:
    backend: Backend = request.app.state.backend
    return backend


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _auth(request: Request, *, namespace: bool = True) -> tuple[Backend, Account]:
    backend = _backend(request)
    scope = request.path_params.get("namespace") if namespace else None
    return backend, backend.require(request.headers.get("authorization"), scope)


async def _json_body(request: Request) -> Any:
    body = await request.body()
    try:
        return loads(body)
    except ValueError as exc:
        raise parse_error(str(exc)) from None


def _names(request: Request) -> tuple[str, str]:
    return request.path_params["namespace"], request.path_params["name"]


async def whoami(request: Request) -> Response:
    backend = _backend(request)
    account = backend.authenticate(request.headers.get("authorization"))
    if account is None:
        raise ApiError(401, "Invalid credentials in Authorization header")
    return JSONResponse(account.whoami())


async def public_providers(request: Request) -> Response:
    # The public route carries no caller, so no quota block.
    return JSONResponse(providers_payload(None))


async def providers(request: Request) -> Response:
    backend, _account = _auth(request)
    used = backend.store.used_accelerators(request.path_params["namespace"])
    return JSONResponse(providers_payload(used))


async def list_endpoints(request: Request) -> Response:
    backend, _account = _auth(request)
    items = backend.store.list_endpoints(
        request.path_params["namespace"], _base_url(request)
    )
    return JSONResponse({"items": items})


async def create_endpoint(request: Request) -> Response:
    backend, account = _auth(request)
    body = await _json_body(request)
    namespace = request.path_params["namespace"]
    raw = backend.store.create(namespace, body, account.actor, _base_url(request))
    return JSONResponse(raw, status_code=202)


async def endpoint(request: Request) -> Response:
    backend, account = _auth(request)
    namespace, name = _names(request)
    store, base_url = backend.store, _base_url(request)
    if request.method == "GET":
        return JSONResponse(store.get(namespace, name, base_url))
    if request.method == "DELETE":
        store.delete(namespace, name)
        return JSONResponse({})
    body = await _json_body(request)
    return JSONResponse(store.update(namespace, name, body, account.actor, base_url))


async def action(request: Request) -> Response:
    backend, account = _auth(request)
    namespace, name = _names(request)
    verb = request.url.path.rsplit("/", 1)[-1]
    method = {
        "pause": backend.store.pause,
        "resume": backend.store.resume,
        "scale-to-zero": backend.store.scale_to_zero,
    }[verb]
    return JSONResponse(method(namespace, name, account.actor, _base_url(request)))


async def logs(request: Request) -> Response:
    backend, _account = _auth(request)
    return PlainTextResponse(backend.store.logs(*_names(request)))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse({"error": exc.message}, exc.status, headers=exc.headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)


def create_app(
    backend: Backend | None = None,
    *,
    speed: float = 1.0,
    seed: int = 0,
    state_file: str | os.PathLike[str] | None = None,
) -> Starlette:
    """Build the sandbox's ASGI app.

    Parameters
    ----------
    backend : Backend, optional
        The state to serve. A new one is built from the other arguments if omitted.
    speed : float
        Virtual seconds per real second.
    seed : int
        Seed of the fault RNG.
    state_file : str or Path, optional
        JSON file that keeps the endpoints across restarts.

    Returns
    -------
    Starlette
        The app; its ``state.backend`` is the :class:`Backend`.

    Examples
    --------
    >>> import httpx2
    >>> app = create_app()
    >>> transport = httpx2.ASGITransport(app=app)  # no socket needed
    """
    if backend is None:
        backend = Backend(speed=speed, seed=seed, state_file=state_file)
    endpoint_path = "/v2/endpoint/{namespace}/{name}"
    deployed_path = "/endpoints/{namespace}/{name}"
    deployed_methods = ["GET", "POST"]
    routes = [
        # Inference first: it is the hot path, and routes are matched in order.
        Route(deployed_path, deployed_endpoint, methods=deployed_methods),
        Route(
            deployed_path + "/{path:path}", deployed_endpoint, methods=deployed_methods
        ),
        Route("/api/whoami-v2", whoami, methods=["GET"]),
        Route("/v2/provider", public_providers, methods=["GET"]),
        Route("/v2/provider/{namespace}", providers, methods=["GET"]),
        Route("/v2/endpoint/{namespace}", list_endpoints, methods=["GET"]),
        Route("/v2/endpoint/{namespace}", create_endpoint, methods=["POST"]),
        Route(endpoint_path, endpoint, methods=["GET", "PUT", "DELETE"]),
        Route(endpoint_path + "/pause", action, methods=["POST"]),
        Route(endpoint_path + "/resume", action, methods=["POST"]),
        Route(endpoint_path + "/scale-to-zero", action, methods=["POST"]),
        Route(endpoint_path + "/logs", logs, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SandboxMiddleware, backend=backend)],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.backend = backend
    return app
