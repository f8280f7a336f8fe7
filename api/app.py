"""The FastAPI application: /api/v1 for clients and the UI, the UI itself at /."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api.audit import Auditor
from api.auth import Authenticator, Guard
from api.config import ApiSettings
from api.cursor_seal import CursorSeal
from api.deps import ApiServices, GuardedServices, Principal
from api.docs_page import install_docs
from api.gate import AuthBeforeBodyMiddleware
from api.guarded_search import GuardedSearch
from api.problems import install_problem_handlers
from api.ratelimit import MemoryBuckets, RateLimiter, SharedBuckets
from api.render import PageRenderer
from api.request_log import RequestLogMiddleware
from api.routes import (
    alerts,
    analytics,
    documents,
    entities,
    entity_corrections,
    fields,
    notes,
    productions,
    saved_searches,
    search,
    session,
    tag_bulk,
    tags,
    watchlists,
)
from api.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from ingest.indexing import Indexer

API_PREFIX = "/api/v1"
DOCS_PATH = f"{API_PREFIX}/docs"


def create_app(
    services: ApiServices,
    settings: ApiSettings | None = None,
    *,
    open_allowed: bool = True,
    on_shutdown: Callable[[], None] | None = None,
) -> FastAPI:
    """The API under /api/v1 (the entry point mounts the UI beside it). `open_allowed`: the server listens
    on loopback only, so it may run without sign-in while no token exists (foia serve decides; tests build
    it open). `on_shutdown`: called when the app stops (an API process closing the services it made)."""
    settings = settings or ApiSettings()
    renderer = PageRenderer()
    guarded = GuardedSearch(
        services.search,
        timeout=settings.search_timeout_seconds,
        max_concurrent=settings.search_concurrency,
        batch_timeout=settings.search_batch_timeout_seconds,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        renderer.close()
        guarded.close()
        app.state.guard.limiter.store.close()
        if on_shutdown is not None:
            on_shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="FOIA Discovery",
        version="0.1.0",
        description="Search released FOIA records: productions, documents, entities, timelines.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # The docs page is ours (api/docs_page.py): FastAPI's loads Swagger UI from a CDN. No OAuth2 sign-in
        # exists, so neither does its redirect page; ReDoc is not offered.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.services = GuardedServices(services.catalog, services.blobs, guarded)
    app.state.config = settings
    app.state.default_principal = Principal(name="anonymous", role="admin", collection_ids=None)
    _install_access(app, services, settings, open_allowed)
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (
        productions,
        search,
        documents,
        entities,
        entity_corrections,
        fields,
        session,
        analytics,
        notes,
        tags,
        tag_bulk,
        saved_searches,
        alerts,
        watchlists,
    ):
        api.include_router(module.router)
    app.include_router(api)
    install_docs(app, docs_path=DOCS_PATH, openapi_url=f"{API_PREFIX}/openapi.json", title=app.title)
    app.state.renderer = renderer
    # Marks (tags) changed through the API reach the index before the answer: pages rebuilt from the catalog.
    app.state.marks_indexer = Indexer(services.catalog, guarded)
    # Innermost first: who is asking is settled before the body is read, and the size limit holds even then.
    app.add_middleware(AuthBeforeBodyMiddleware, api_prefix=API_PREFIX)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware, docs_path=DOCS_PATH)
    app.add_middleware(RequestLogMiddleware)  # outermost: its request id is on every line, refusals too
    return app


def _install_access(app: FastAPI, services: ApiServices, settings: ApiSettings, open_allowed: bool) -> None:
    authenticator = Authenticator(
        services.catalog.tokens, open_allowed=open_allowed, sessions=services.catalog.sessions
    )
    if settings.session_secret is not None:
        authenticator.session_secret = settings.session_secret
    authenticator.session_seconds = settings.session_hours * 3600
    limits = settings.rate_limits
    limiter = RateLimiter(
        # Every API process of `foia serve` on this data dir counts against the same buckets.
        store=SharedBuckets(settings.rate_limit_store) if settings.rate_limit_store is not None else MemoryBuckets(),
        per_minute={
            "search": limits.search_per_minute,
            "export": limits.export_per_minute,
            "bulk": limits.bulk_per_minute,
        },
        burst={"search": limits.search_burst, "export": limits.export_burst, "bulk": limits.bulk_burst},
    )
    auditor = Auditor(services.catalog.audit)
    app.state.authenticator = authenticator
    app.state.cursor_seal = CursorSeal(authenticator.session_secret)
    app.state.auditor = auditor
    guard = Guard(authenticator, limiter, auditor, API_PREFIX)
    app.state.guard = guard
    app.state.principal_resolver = guard.principal
