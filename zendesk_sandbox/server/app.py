"""The aiohttp application: middlewares (stats, faults, rate limit, auth) around one dispatching handler."""

from __future__ import annotations

import warnings

from aiohttp import web

from . import control, faults, ratelimit

from ..foundation import errors
from .auth import IDENTITY, Credentials, make_auth_middleware, oauth_tokens
from ..foundation.clock import SandboxClock
from ..foundation.compression import make_compression_middleware
from .control import Stats
from ..data.account import Account
from ..paging.endpoint import Ctx
from .router import Router
from ..foundation.routing import normalize_path
from ..tables.combined import ENDPOINT_TABLES


def build_router() -> Router:
    router = Router()
    for table in ENDPOINT_TABLES:
        for endpoint in table:
            router.add(endpoint.path, endpoint)
    return router


def make_stats_middleware(router: Router):
    @web.middleware
    async def stats_middleware(request: web.Request, handler):
        if request.path.startswith("/_sandbox/"):  # control requests are not "requests made" by a client
            return await handler(request)
        endpoint, _ = router.match(request.path)
        template = endpoint.path if endpoint is not None else normalize_path(request.path)
        try:
            response = await handler(request)
        except web.HTTPException as e:
            request.app["stats"].record(template, e.status)
            raise
        except BaseException:
            request.app["stats"].record(template, "error")
            raise
        request.app["stats"].record(template, response.status)
        return response

    return stats_middleware


async def dispatch(request: web.Request) -> web.StreamResponse:
    app = request.app
    path = request.path
    if path.startswith("/_sandbox/"):
        return await control.handle(request)
    if normalize_path(path) == "/oauth/tokens":
        return await oauth_tokens(request)
    endpoint, params = app["router"].match(path)
    if endpoint is None:
        return errors.invalid_endpoint().response()
    if request.method not in ("GET", "HEAD"):
        return errors.json_response(
            {
                "error": "MethodNotAllowed",
                "description": "The sandbox is read-only; change data with POST /_sandbox/mutate",
            },
            405,
        )
    try:
        if endpoint.gate is not None:
            refusal = endpoint.gate(app["settings"])
            if refusal is not None:
                raise refusal
        user_id, role = request.get(IDENTITY, (None, None))
        if endpoint.admin_only and role != "admin":
            raise errors.forbidden_admin_only()
        ctx = Ctx(app["account"], request.query, params, path, user_id, role)
        body = endpoint.handle(ctx)
    except errors.ZendeskError as e:
        return e.response()
    if isinstance(body, web.StreamResponse):  # handlers that set headers (Help Center's Link) answer themselves
        return body
    return errors.json_response(body)


def create_app(settings, base_url: str, clock: SandboxClock | None = None) -> web.Application:
    """The app serving one generated account whose links start with base_url."""
    clock = clock or SandboxClock(settings.time_scale)
    router = build_router()
    credentials = Credentials(settings, clock, settings.subdomain)
    middlewares = [control.make_control_guard(settings), make_stats_middleware(router)]
    middlewares += [faults.make_fault_middleware(settings), ratelimit.make_ratelimit_middleware(settings)]
    middlewares.append(make_auth_middleware(credentials))
    # outermost: whatever the inner layers answer (errors, 429s, faults' bodies) leaves compressed
    middlewares.insert(0, make_compression_middleware(settings))
    app = web.Application(middlewares=middlewares)
    with warnings.catch_warnings():
        # string keys are the documented contract with the rate-limit and fault middlewares (app["clock"])
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app["settings"] = settings
        app["clock"] = clock
        app["credentials"] = credentials
        app["stats"] = Stats()
        app["router"] = router
        app["account"] = Account(settings, clock, base_url)
    faults.add_control_routes(app)  # /_sandbox/faults and /_sandbox/ratelimit, before the catch-all
    ratelimit.add_control_routes(app)
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app
