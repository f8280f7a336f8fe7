"""A job's states and the one way they change.

Every change of a job's state goes through `transition`, which only moves jobs that are in a state
TRANSITIONS allows to reach the new one: a job whose state changed meanwhile (another worker took it, a
link arrived) is left as it is, and the caller sees it moved nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, update

from catalog import schema as t
from catalog.database import new_id, utcnow
from catalog.models import JobStatus

QUEUED, RUNNING, INDEXING, DONE, FAILED = (
    JobStatus.QUEUED,
    JobStatus.RUNNING,
    JobStatus.INDEXING,
    JobStatus.DONE,
    JobStatus.FAILED,
)

# state -> the states a job may move to from it
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    QUEUED: frozenset({RUNNING, FAILED}),  # claimed; or failed at the claim after too many attempts
    RUNNING: frozenset(
        {RUNNING, INDEXING, QUEUED, FAILED}
    ),  # claimed again (lease ran out), stored, handed back, failed
    INDEXING: frozenset(
        {DONE, FAILED, QUEUED}
    ),  # indexed (done, or failed for a failed document), queued again by `foia check`
    DONE: frozenset({INDEXING, QUEUED}),  # a new link or a correction to show, queued again by `foia check`
    FAILED: frozenset(
        {QUEUED, INDEXING}
    ),  # retried, or a new link (the index shows the failed file in the new production)
}


def sources_of(target: JobStatus) -> list[str]:
    """Pure: the states TRANSITIONS lets a job leave for `target`."""
    return sorted(s.value for s, targets in TRANSITIONS.items() if target in targets)


def transition(conn: Connection, target: JobStatus, *where: Any, **values: Any) -> int:
    """Move the jobs matching `where` to `target` (with `values`), those whose state allows it; returns
    how many moved. The one place a job's state is written after it is queued."""
    q = update(t.jobs).where(t.jobs.c.status.in_(sources_of(target)), *where)
    return conn.execute(q.values(status=target.value, updated_at=utcnow(), **values)).rowcount


def enqueue(conn: Connection, document_id: str, now: str) -> None:
    """A new document's job, queued."""
    conn.execute(
        insert(t.jobs).values(
            id=new_id("job"), document_id=document_id, status=QUEUED.value, attempts=0, created_at=now, updated_at=now
        )
    )


def request_indexing(conn: Connection, *where: Any) -> int:
    """Jobs that are over (done or failed) go back to indexing, claimable at once: the index must show
    something new about their document (a link, a correction)."""
    return transition(
        conn, INDEXING, t.jobs.c.status.in_((DONE.value, FAILED.value)), *where, lease_owner=None, lease_expires=0.0
    )
