"""The FastAPI application: /api/v1 for clients and the UI, the UI itself at /."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from api.audit import Auditor
from api.auth import SESSION_COOKIE, Authenticator, AuthError, Guard, RateLimited, session_key_of
from api.cursor_seal import CursorSeal
from api.deps import ApiConfig, ApiServices, Principal
from api.gate import AuthBeforeBodyMiddleware
from api.problems import install_problem_handlers, problem_response
from api.ratelimit import MemoryBuckets, RateLimiter, SharedBuckets
from api.render import PageRenderer
from api.routes import analytics, documents, entities, entity_corrections, productions, search, session
from api.security import (
    BodyLimitMiddleware,
    GuardedSearch,
    GuardedServices,
    SearchTimeout,
    SecurityHeadersMiddleware,
)
from catalog.limits import Limits

API_PREFIX = "/api/v1"


def create_app(
    services: ApiServices,
    *,
    limits: Limits | None = None,
    spool_dir: Path | None = None,
    max_upload_bytes: int = 4 << 30,
    open_allowed: bool = True,
    session_secret: bytes | None = None,
    owns_services: bool = False,
) -> FastAPI:
    """The app. `open_allowed`: the server listens on loopback only, so it may run without sign-in
    while no token exists (foia serve decides; tests build it open). `owns_services`: close them when
    the app shuts down (an API process that made them for itself)."""
    renderer = PageRenderer()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        renderer.close()
        guarded.close()
        app.state.guard.limiter.store.close()
        close_services = getattr(services, "close", None)
        if owns_services and callable(close_services):
            close_services()

    app = FastAPI(
        lifespan=lifespan,
        title="FOIA Discovery",
        version="0.1.0",
        description="Search released FOIA records: productions, documents, entities, timelines.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    settings = getattr(services, "settings", None)
    guarded = GuardedSearch(
        services.search,
        timeout=settings.search_timeout_seconds if settings else 10.0,
        max_concurrent=settings.search_concurrency if settings else 8,
        batch_timeout=settings.search_batch_timeout_seconds if settings else 30.0,
    )
    app.state.services = cast(ApiServices, GuardedServices(services, guarded))
    app.state.config = ApiConfig(
        limits=limits or (settings.limits() if settings else Limits()),
        spool_dir=spool_dir or (settings.spool_dir if settings else Path("./data/spool")),
        max_upload_bytes=settings.max_upload_bytes if settings else max_upload_bytes,
    )
    app.state.default_principal = Principal(name="anonymous", role="admin", collection_ids=None)
    _install_access(app, services, settings, open_allowed, session_secret)
    install_problem_handlers(app)
    _install_security_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (productions, search, documents, entities, entity_corrections, session, analytics):
        api.include_router(module.router)
    app.include_router(api)
    app.state.renderer = renderer
    _mount_frontend(app)
    # Innermost first: who is asking is settled before the body is read, and the size limit holds even then.
    app.add_middleware(AuthBeforeBodyMiddleware, api_prefix=API_PREFIX)
    app.add_middleware(BodyLimitMiddleware, max_bytes=app.state.config.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware, docs_path=f"{API_PREFIX}/docs")
    return app


def _install_access(
    app: FastAPI, services: ApiServices, settings: object, open_allowed: bool, session_secret: bytes | None
) -> None:
    authenticator = Authenticator(
        services.catalog.tokens, open_allowed=open_allowed, sessions=services.catalog.sessions
    )
    secret = session_secret or (session_key_of(settings) if settings is not None else None)
    if secret is not None:
        authenticator.session_secret = secret
    if settings is not None:
        authenticator.session_seconds = float(getattr(settings, "session_hours", 12.0)) * 3600
    data_dir = getattr(settings, "data_dir", None)
    limiter = RateLimiter(
        # Every API process of `foia serve` on this data dir counts against the same buckets.
        store=SharedBuckets(Path(data_dir) / "ratelimits.sqlite") if data_dir is not None else MemoryBuckets(),
        per_minute={
            "search": float(getattr(settings, "rate_limit_search_per_minute", 0)),
            "export": float(getattr(settings, "rate_limit_export_per_minute", 0)),
        },
        burst={
            "search": float(getattr(settings, "rate_limit_search_burst", 0)),
            "export": float(getattr(settings, "rate_limit_export_burst", 0)),
        },
    )
    auditor = Auditor(services.catalog.audit)
    app.state.authenticator = authenticator
    app.state.cursor_seal = CursorSeal(authenticator.session_secret)
    app.state.auditor = auditor
    guard = Guard(authenticator, limiter, auditor, API_PREFIX)
    app.state.guard = guard
    app.state.principal_resolver = guard.principal


def _install_security_handlers(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def _auth(_request: Request, exc: AuthError) -> JSONResponse:
        title = "Not signed in" if exc.status == 401 else "Forbidden"
        response = problem_response(
            exc.status, title, exc.detail, f"/problems/{'unauthorized' if exc.status == 401 else 'forbidden'}"
        )
        if exc.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="foia"'
        if exc.forget_session:
            response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    @app.exception_handler(RateLimited)
    async def _limited(_request: Request, exc: RateLimited) -> JSONResponse:
        response = problem_response(429, "Too many requests", str(exc), "/problems/rate-limited")
        response.headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
        return response

    @app.exception_handler(SearchTimeout)
    async def _timeout(_request: Request, exc: SearchTimeout) -> JSONResponse:
        return problem_response(503, "Search took too long", str(exc), "/problems/search-timeout")


def _mount_frontend(app: FastAPI) -> None:
    try:
        from frontend import mount_frontend
    except ImportError:  # the API alone still works without the UI package
        return
    mount_frontend(app)
