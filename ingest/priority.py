"""CPU priority for ingest: OCR and analysis yield the cores to people waiting on a search.

Ingest is throughput work that can use every idle cycle; a search is someone waiting. On one machine they
share the cores, so ingest runs niced (FOIA_INGEST_NICE): it still takes all the CPU nobody else wants.
Linux gives each thread its own nice value, so the serving process can lower its ingest threads alone.
"""

from __future__ import annotations

import os
import sys
import threading

import structlog

log = structlog.get_logger(__name__)


def lower_priority(nice: int) -> None:
    """Raise this thread's nice value to at least `nice` (never lowers it: that needs privileges).

    Threads and processes started from it afterwards inherit the value."""
    if nice <= 0 or not hasattr(os, "setpriority"):
        return
    who = threading.get_native_id() if sys.platform.startswith("linux") else 0
    try:
        current = os.getpriority(os.PRIO_PROCESS, who)
        if current < nice:
            os.setpriority(os.PRIO_PROCESS, who, nice)
    except OSError as exc:  # a sandbox may forbid it; ingest then just competes as equals
        log.warning("priority_unchanged", nice=nice, error=str(exc))
