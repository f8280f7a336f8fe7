"""The FastAPI application: /api/v1 for clients and the UI, the UI itself at /."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI

from api.deps import ApiConfig, ApiServices, Principal
from api.problems import install_problem_handlers
from api.routes import productions
from catalog.limits import Limits

API_PREFIX = "/api/v1"


def create_app(
    services: ApiServices,
    *,
    limits: Limits | None = None,
    spool_dir: Path | None = None,
    max_upload_bytes: int = 4 << 30,
) -> FastAPI:
    app = FastAPI(
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
    api.include_router(productions.router)
    app.include_router(api)
    return app
