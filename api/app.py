"""The FastAPI application: /api/v1 for clients and the UI, the UI itself at /."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI

from api.deps import ApiConfig, ApiServices, Principal
from api.problems import install_problem_handlers
from api.render import PageRenderer
from api.routes import documents, entities, productions, search
from catalog.limits import Limits

API_PREFIX = "/api/v1"


def create_app(
    services: ApiServices,
    *,
    limits: Limits | None = None,
    spool_dir: Path | None = None,
    max_upload_bytes: int = 4 << 30,
) -> FastAPI:
    renderer = PageRenderer()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        renderer.close()

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
    app.state.services = services
    app.state.config = ApiConfig(
        limits=limits or (settings.limits() if settings else Limits()),
        spool_dir=spool_dir or (settings.spool_dir if settings else Path("./data/spool")),
        max_upload_bytes=settings.max_upload_bytes if settings else max_upload_bytes,
    )
    app.state.default_principal = Principal(name="anonymous", role="admin", collection_ids=None)
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (productions, search, documents, entities):
        api.include_router(module.router)
    app.include_router(api)
    app.state.renderer = renderer
    _mount_frontend(app)
    return app


def _mount_frontend(app: FastAPI) -> None:
    try:
        from frontend import mount_frontend
    except ImportError:  # the API alone still works without the UI package
        return
    mount_frontend(app)
