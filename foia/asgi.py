"""The API as each of `foia serve`'s API processes builds it: from the settings in its environment.

`foia serve` with FOIA_API_PROCESSES > 1 hands uvicorn this factory by name; uvicorn starts that many
processes (a fresh interpreter each), all accepting on one socket, and restarts any that dies. The serving
process keeps the ingest worker; these only answer requests.
"""

from __future__ import annotations

import os
import sys

import structlog
from fastapi import FastAPI

from api.app import create_app
from foia.lifetime import set_parent_death_signal
from foia.logsetup import configure_logging
from foia.netcheck import is_loopback
from foia.settings import Settings
from foia.wiring import open_services

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
    return create_app(services, open_allowed=is_loopback(settings.host), owns_services=True)
