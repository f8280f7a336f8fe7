"""The served app: the API over the services, the browser UI at / (composed here, so api/ never imports
the UI), built by `foia serve` and by each of its API processes from the settings in its environment.

`foia serve` with FOIA_API_PROCESSES > 1 hands uvicorn this factory by name; uvicorn starts that many
processes (a fresh interpreter each), all accepting on one socket, and restarts any that dies. The serving
process keeps the ingest worker; these only answer requests.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import structlog
from fastapi import FastAPI

from api.app import create_app
from api.auth import session_key_of
from api.config import ApiSettings, RateLimits
from api.deps import ApiServices
from foia.lifetime import set_parent_death_signal
from foia.logsetup import configure_logging
from foia.netcheck import is_loopback
from foia.settings import Settings
from foia.wiring import open_services
from frontend import mount_frontend
from ingest.indexing import Indexer
from ingest.screening import Screener, collection_names

log = structlog.get_logger("foia.asgi")

SERVING_PID_VARIABLE = "FOIA_SERVING_PID"  # set by `foia serve` for its API processes


def die_with_parent() -> None:
    """If the serving process is killed outright (kill -9), its API processes die with it instead of
    keeping the port and answering from an orphaned process nobody supervises."""
    if not set_parent_death_signal() and sys.platform.startswith("linux"):
        log.warning("no_parent_death_signal")
    # The signal only covers a death from now on: a parent killed while this process was still importing
    # has already left it to init.
    serving = os.environ.get(SERVING_PID_VARIABLE)
    if serving and os.getppid() != int(serving):
        log.warning("serving_process_gone", serving_pid=int(serving))
        os._exit(1)


def app_from_environment() -> FastAPI:
    die_with_parent()
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    services = open_services(settings)
    return served_app(
        services, api_settings(settings), open_allowed=is_loopback(settings.host), on_shutdown=services.close
    )


def api_settings(settings: Settings) -> ApiSettings:
    secret = settings.session_secret.get_secret_value() if settings.session_secret is not None else None
    return ApiSettings(
        limits=settings.limits(),
        spool_dir=settings.spool_dir,
        max_upload_bytes=settings.max_upload_bytes,
        search_timeout_seconds=settings.search_timeout_seconds,
        search_batch_timeout_seconds=settings.search_batch_timeout_seconds,
        search_concurrency=settings.search_concurrency,
        session_secret=session_key_of(secret, settings.data_dir),
        session_hours=settings.session_hours,
        rate_limits=RateLimits(
            search_per_minute=settings.rate_limit_search_per_minute,
            search_burst=settings.rate_limit_search_burst,
            export_per_minute=settings.rate_limit_export_per_minute,
            export_burst=settings.rate_limit_export_burst,
            bulk_per_minute=settings.rate_limit_bulk_per_minute,
            bulk_burst=settings.rate_limit_bulk_burst,
        ),
        rate_limit_store=settings.data_dir / "ratelimits.sqlite",
    )


def served_app(
    services: ApiServices,
    settings: ApiSettings | None = None,
    *,
    open_allowed: bool = True,
    on_shutdown: Callable[[], None] | None = None,
) -> FastAPI:
    """The app `foia serve` runs: the API (api.app.create_app, same arguments) and the browser UI at /."""
    app = create_app(services, settings, open_allowed=open_allowed, on_shutdown=on_shutdown)
    install_screening(app, services)
    mount_frontend(app)
    return app


def install_screening(app: FastAPI, services: ApiServices) -> None:
    """The screener POST /watchlists/{id}/screen starts runs with (api/routes/watchlists.py): built here,
    since api/ does not import ingest/. It reads the index's own page records from the catalog."""
    catalog = services.catalog
    app.state.screener = Screener(catalog, Indexer(catalog, services.search).records_for, collection_names(catalog))
