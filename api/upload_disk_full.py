"""An upload on a full disk: a 507 problem naming what became of each file, instead of a bare 500.

Files stored before the disk filled stay accepted (queued, listed with their ids); each file that could
not be stored is listed with its reason, and nothing of it was kept (no original without a record).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from api.problem_types import DISK_FULL
from api.problems import Problem
from catalog.diskfull import is_disk_full
from catalog.intake import IntakeReport

log = structlog.get_logger(__name__)


def disk_full_problem(report: IntakeReport) -> Problem:
    files: list[dict[str, Any]] = [
        {"name": f.original_name, "outcome": "accepted", "id": f.id, "document_id": f.document_id}
        for f in report.accepted
    ]
    files += [{"name": f.original_name, "outcome": "rejected", "reason": f.error} for f in report.rejected]
    files += [{"name": f.name, "outcome": "not_stored", "reason": f.reason} for f in report.not_stored]
    return Problem(
        DISK_FULL,
        f"the server's disk is full: {len(report.not_stored)} of {len(files)} file(s) not stored; "
        "send those again once there is space",
        files=files,
    )


@contextmanager
def audit_unless_disk_full() -> Iterator[None]:
    """The audit row goes to the same catalog: on a full disk it cannot be written, which is logged."""
    try:
        yield
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        log.error("audit_not_recorded", action="production.upload", reason="disk full")
