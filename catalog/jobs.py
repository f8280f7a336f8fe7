"""The job queue: one job per document, claimed by workers under a renewable lease.

Every change of a job's state goes through catalog/job_states.py's `transition`. Lease changes that keep
the state (renewing, postponing, handing back an indexing job) are not transitions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from catalog import schema as t
from catalog.database import Database, utcnow
from catalog.documents import set_document_status, store_result
from catalog.errors import LeaseLost
from catalog.job_states import DONE, FAILED, INDEXING, QUEUED, RUNNING, transition
from catalog.links import claim_links, links_to_index, settle_links, unclaim_links, unsettled_links
from catalog.models import DocumentResult, DocumentStatus, Job, JobStatus
from catalog.retries import mark_failure_permanent, queue_retries, store_retried_pages


def _claimable(now: float) -> Any:
    """Jobs a worker may take: queued ones, and those whose worker's lease ran out (that worker died)."""
    return or_(
        t.jobs.c.status == QUEUED.value,
        and_(t.jobs.c.status.in_((RUNNING.value, INDEXING.value)), t.jobs.c.lease_expires < now),
    )


def _job(row: Any, **changed: Any) -> Job:
    fields = {k: getattr(row, k) for k in ("id", "document_id", "status", "attempts", "lease_owner", "lease_expires")}
    fields.update(changed)
    return Job(**{**fields, "status": JobStatus(fields["status"])})


class Jobs:
    def __init__(self, db: Database, max_attempts: int = 3) -> None:
        self._db = db
        self.max_attempts = max_attempts

    def claim_job(self, worker_id: str, lease_seconds: float) -> Job | None:
        """Take the oldest queued job, or one whose worker's lease ran out (that worker died)."""
        while True:
            job, retry = self._claim_once(worker_id, lease_seconds)
            if not retry:
                return job

    def _claim_once(self, worker_id: str, lease_seconds: float) -> tuple[Job | None, bool]:
        now = time.time()
        expires = now + lease_seconds
        with self._db.writer.begin() as conn:
            q = select(t.jobs).where(_claimable(now)).order_by(t.jobs.c.created_at, t.jobs.c.id).limit(1)
            if self._db.locks_rows:
                q = q.with_for_update(skip_locked=True)
            row = conn.execute(q).first()
            if row is None:
                return None, False
            claim_links(conn, row.document_id)
            lease = {"lease_owner": worker_id, "lease_expires": expires}
            if row.status == INDEXING.value:
                # Stored, not yet (or not successfully) indexed: only the indexing is left to do. It is not
                # an attempt at the file, so it never fails it (and it keeps its state: no transition).
                conn.execute(update(t.jobs).where(t.jobs.c.id == row.id).values(**lease, updated_at=utcnow()))
                return _job(row, **lease), False
            if row.attempts >= self.max_attempts:
                # The original keeps killing workers (or timing out): fail it rather than loop forever.
                reason = f"processing did not finish after {row.attempts} attempts (worker crash or timeout)"
                _mark_failed(conn, row.id, row.document_id, reason)
                return None, True
            transition(conn, RUNNING, t.jobs.c.id == row.id, attempts=row.attempts + 1, **lease)
            set_document_status(conn, row.document_id, DocumentStatus.PROCESSING)
        return _job(row, status=RUNNING, attempts=row.attempts + 1, **lease), False

    def has_claimable_jobs(self) -> bool:
        with self._db.reader.connect() as conn:
            row = conn.execute(select(t.jobs.c.id).where(_claimable(time.time())).limit(1)).first()
        return row is not None

    def renew_lease(self, job_id: str, worker_id: str, lease_seconds: float) -> bool:
        with self._db.writer.begin() as conn:
            res = conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.id == job_id,
                    t.jobs.c.lease_owner == worker_id,
                    t.jobs.c.status.in_((RUNNING.value, INDEXING.value)),
                )
                .values(lease_expires=time.time() + lease_seconds)
            )
        return res.rowcount == 1

    def links_to_index(self, document_id: str) -> list[str]:
        """Links the index does not show yet: read them before building the document's records."""
        with self._db.reader.connect() as conn:
            return links_to_index(conn, document_id)

    def finish_indexing(self, job_id: str, indexed_links: Sequence[str]) -> bool:
        """The index shows the document with `indexed_links` (whoever indexed it): settle them. The job is
        over (done, or failed for a failed document) unless a link arrived meanwhile; then it stays
        `indexing`, claimable at once. Returns whether the job is over."""
        with self._db.writer.begin() as conn:
            q = select(t.jobs.c.document_id).where(t.jobs.c.id == job_id, t.jobs.c.status == INDEXING.value)
            if self._db.locks_rows:  # taken in the same order as link_file's, so the two never miss each other
                q = q.with_for_update()
            document_id = conn.execute(q).scalar()
            if document_id is None:
                return True
            settle_links(conn, document_id, indexed_links)
            if unsettled_links(conn, document_id):
                conn.execute(
                    update(t.jobs)
                    .where(t.jobs.c.id == job_id)
                    .values(lease_owner=None, lease_expires=0.0, updated_at=utcnow())
                )
                return False
            doc_status = conn.execute(select(t.documents.c.status).where(t.documents.c.id == document_id)).scalar()
            over = FAILED if doc_status == DocumentStatus.FAILED.value else DONE
            transition(conn, over, t.jobs.c.id == job_id, lease_owner=None, lease_expires=None)
        return True

    def postpone_indexing(self, job_id: str, worker_id: str, seconds: float) -> None:
        """The index refused the document: any worker tries again after `seconds`."""
        with self._db.writer.begin() as conn:
            conn.execute(
                update(t.jobs)
                .where(t.jobs.c.id == job_id, t.jobs.c.status == INDEXING.value, t.jobs.c.lease_owner == worker_id)
                .values(lease_owner=None, lease_expires=time.time() + seconds, updated_at=utcnow())
            )

    def release_job(self, job_id: str, worker_id: str) -> None:
        """Give a job back unfinished (graceful shutdown); it does not count as an attempt."""
        with self._db.writer.begin() as conn:
            row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id, t.jobs.c.lease_owner == worker_id)).first()
            if row is None or row.status not in (RUNNING.value, INDEXING.value):
                return
            unclaim_links(conn, row.document_id)  # its files wait for the next worker again
            if row.status == INDEXING.value:  # stored: the next worker only indexes it
                conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(lease_owner=None, lease_expires=0.0))
                return
            held = (t.jobs.c.id == job_id, t.jobs.c.status == RUNNING.value)
            transition(conn, QUEUED, *held, attempts=max(0, row.attempts - 1), lease_owner=None, lease_expires=None)
            set_document_status(conn, row.document_id, DocumentStatus.PENDING)

    def complete_document(self, job_id: str, worker_id: str, document_id: str, result: DocumentResult) -> None:
        """Store every page and mention of a document and mark it done, all or nothing."""
        with self._db.writer.begin() as conn:
            _check_lease(conn, job_id, worker_id)
            store_result(conn, document_id, result)
            # Done once indexed (finish_indexing): a worker killed before that leaves the job to the next
            # worker, which only indexes it, instead of a stored document nobody can find.
            transition(conn, INDEXING, t.jobs.c.id == job_id, error=None)

    def complete_page_retry(
        self, job_id: str, worker_id: str, document_id: str, result: DocumentResult, retried: Sequence[int]
    ) -> None:
        """Store a retry of the document's warned pages (catalog/retries.py), all or nothing; the job then
        waits to be indexed, as after a first run."""
        with self._db.writer.begin() as conn:
            _check_lease(conn, job_id, worker_id)
            store_retried_pages(conn, document_id, result, retried)
            transition(conn, INDEXING, t.jobs.c.id == job_id, error=None)

    def fail_document(self, job_id: str, worker_id: str, document_id: str, reason: str, retryable: bool = True) -> None:
        """Mark the document failed: while it is read (running), or once stored when the index can never
        take it (indexing: an entity type the search field registry does not declare). `retryable` False:
        the failure is the file's own (not a PDF, encrypted): a retry leaves it alone."""
        with self._db.writer.begin() as conn:
            _check_lease(conn, job_id, worker_id, held=(RUNNING, INDEXING))
            _mark_failed(conn, job_id, document_id, reason)
            if not retryable:
                mark_failure_permanent(conn, document_id)

    def retry_failed(self, production_id: str | None = None) -> int:
        """Queue every retryable file again (of one production, or all); returns how many (catalog/retries.py)."""
        with self._db.writer.begin() as conn:
            return queue_retries(conn, production_id)

    def requeue(self, document_id: str) -> None:
        """Queue a document again whatever its job's state (`foia check`: a done document whose pages are
        incomplete); the worker stores it again, in one transaction."""
        with self._db.writer.begin() as conn:
            again = {"attempts": 0, "error": None, "lease_owner": None, "lease_expires": None}
            transition(conn, QUEUED, t.jobs.c.document_id == document_id, **again)
            set_document_status(conn, document_id, DocumentStatus.PENDING, error=None)


def _check_lease(conn: Connection, job_id: str, worker_id: str, held: tuple[JobStatus, ...] = (RUNNING,)) -> None:
    row = conn.execute(select(t.jobs.c.lease_owner, t.jobs.c.status).where(t.jobs.c.id == job_id)).first()
    if row is None or row.lease_owner != worker_id or row.status not in {s.value for s in held}:
        raise LeaseLost(f"job {job_id} is no longer held by {worker_id}")


def _mark_failed(conn: Connection, job_id: str, document_id: str, reason: str) -> None:
    transition(conn, FAILED, t.jobs.c.id == job_id, lease_owner=None, lease_expires=None, error=reason)
    set_document_status(conn, document_id, DocumentStatus.FAILED, error=reason)
    settle_links(conn, document_id)  # a failed document has nothing to index: its files read failed
