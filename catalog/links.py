"""Production files as links from a production to a document, and how a link becomes searchable.

A document is one original (by sha256) however many productions hold it; each production holds it through
one link (a `production_files` row). A link is `linked`, `duplicate` (its content was already in another
production of the same collection: the only "seen before" an uploader is told, because it is their own
matter) or `rejected` (never a document).

Every new link is also a change of the index: the document's pages carry the productions and collections
that hold it. So a link starts `queued`, is `processing` once a worker has claimed the document's job, and
is `settled` once the index shows it (or the document failed: nothing to show). The job queue carries the
work: linking a document whose job is over (done or failed) puts the job back in the `indexing` state,
which any worker claims and finishes by projecting the document's records from the catalog again, no OCR.
The index step settles only the links it read before building the records, and leaves the job claimable
while any link is left, so a link added during indexing is never lost, on SQLite or PostgreSQL, with one
worker or many, across crashes (an unfinished job's lease runs out and another worker takes it).

A file's status in its production follows its link alone until the link is settled, so it reads the same
whether or not another matter already held the bytes: `pending` at upload, then `processing`, then done
(or failed). Only after that does it follow its document's status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from catalog import schema as t
from catalog.database import ts
from catalog.job_states import request_indexing
from catalog.models import DocumentStatus, FileStatus, ProductionFile

LINKED, DUPLICATE, REJECTED = "linked", "duplicate", "rejected"
QUEUED, PROCESSING, SETTLED = "queued", "processing", "settled"


def file_status(link: str, state: str, doc_status: str | None) -> FileStatus:
    """Pure: what a production file's status reads, from its link and its document."""
    if link == REJECTED or doc_status is None:
        return FileStatus.FAILED
    if state == QUEUED:
        return FileStatus.PENDING
    if state == PROCESSING:
        return FileStatus.PROCESSING
    if link == DUPLICATE and doc_status != DocumentStatus.FAILED.value:
        return FileStatus.DUPLICATE
    return FileStatus(doc_status)


def status_clause(status: FileStatus) -> Any:
    """The SQL condition on production_files joined to documents for one file status (file_status, as SQL)."""
    files, docs = t.production_files, t.documents
    settled = and_(files.c.link != REJECTED, files.c.link_state == SETTLED)
    if status is FileStatus.PENDING:
        return or_(
            files.c.link_state == QUEUED,
            and_(settled, docs.c.status == DocumentStatus.PENDING.value, files.c.link == LINKED),
        )
    if status is FileStatus.PROCESSING:
        return or_(
            files.c.link_state == PROCESSING,
            and_(settled, docs.c.status == DocumentStatus.PROCESSING.value, files.c.link == LINKED),
        )
    if status is FileStatus.DUPLICATE:
        return and_(settled, files.c.link == DUPLICATE, docs.c.status != DocumentStatus.FAILED.value)
    if status is FileStatus.FAILED:
        return or_(files.c.link == REJECTED, and_(settled, docs.c.status == DocumentStatus.FAILED.value))
    return and_(settled, files.c.link == LINKED, docs.c.status == status.value)


def visible_documents(collection_ids: Sequence[str] | None) -> Any:
    """The documents a reader of these collections (None: all) may count: those the index shows in one of
    their productions. Every statistic scoped to collections goes through it."""
    files = t.production_files
    q = select(files.c.document_id).where(files.c.document_id.is_not(None), files.c.link_state == SETTLED)
    if collection_ids is not None:
        q = q.join(t.productions, t.productions.c.id == files.c.production_id).where(
            t.productions.c.collection_id.in_(list(collection_ids))
        )
    return q


def insert_new(conn: Connection, table: Table) -> Any:
    """An INSERT that does nothing when the row exists: two uploads of one new original at once (on
    PostgreSQL; SQLite's writers take turns) make one document, and neither fails."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def link_file(
    conn: Connection, production_id: str, document_id: str, original_name: str, file_id: str, now: str, lock: bool
) -> ProductionFile:
    """Link a stored document to a production, in the caller's transaction (the document row exists).

    The same content sent to the same production again (an upload re-sent after a crash, or one file twice
    in an archive) is the link already there: one file, one row per production."""
    files = t.production_files
    production = select(t.productions.c.collection_id).where(t.productions.c.id == production_id)
    if lock:  # PostgreSQL: two uploads to one production take turns, so neither adds a second row
        production = production.with_for_update()
    collection_id = conn.execute(production).scalar_one()
    existing = conn.execute(
        select(files, t.documents.c.status.label("doc_status"), t.documents.c.error.label("doc_error"))
        .join(t.documents, t.documents.c.id == files.c.document_id)
        .where(files.c.production_id == production_id, files.c.document_id == document_id)
        .order_by(files.c.added_at, files.c.id)
        .limit(1)
    ).first()
    if existing is not None:
        return record_of(existing, existing.doc_status, existing.doc_error)
    in_collection = conn.execute(
        select(files.c.id)
        .join(t.productions, t.productions.c.id == files.c.production_id)
        .where(files.c.document_id == document_id, t.productions.c.collection_id == collection_id)
        .limit(1)
    ).first()
    link = DUPLICATE if in_collection is not None else LINKED
    conn.execute(
        files.insert().values(
            id=file_id,
            production_id=production_id,
            document_id=document_id,
            original_name=original_name,
            link=link,
            link_state=QUEUED,
            added_at=now,
        )
    )
    _request_indexing(conn, document_id, lock)
    return ProductionFile(
        id=file_id,
        production_id=production_id,
        document_id=document_id,
        original_name=original_name,
        status=FileStatus.PENDING,
        error=None,
        added_at=ts(now),
    )


def _request_indexing(conn: Connection, document_id: str, lock: bool) -> None:
    """A job that is over goes back to `indexing`, claimable at once. A queued or running job ends in
    indexing anyway, and one being indexed is left to its worker, whose finish sees the new link."""
    if lock:  # the job row is taken in the same order as finish_indexing's, so the two never miss each other
        conn.execute(select(t.jobs.c.id).where(t.jobs.c.document_id == document_id).with_for_update()).all()
    request_indexing(conn, t.jobs.c.document_id == document_id)


def claim_links(conn: Connection, document_id: str) -> None:
    """A worker took the document's job: its queued links are being processed."""
    files = t.production_files
    conn.execute(
        update(files)
        .where(files.c.document_id == document_id, files.c.link_state == QUEUED)
        .values(link_state=PROCESSING)
    )


def unclaim_links(conn: Connection, document_id: str) -> None:
    """The job was handed back unfinished (graceful shutdown): its links wait for a worker again."""
    files = t.production_files
    conn.execute(
        update(files)
        .where(files.c.document_id == document_id, files.c.link_state == PROCESSING)
        .values(link_state=QUEUED)
    )


def settle_links(conn: Connection, document_id: str, file_ids: Sequence[str] | None = None) -> None:
    """The links now shown by the index (all of them when the document failed: there is nothing to show)."""
    files = t.production_files
    q = update(files).where(files.c.document_id == document_id, files.c.link_state != SETTLED)
    if file_ids is not None:
        q = q.where(files.c.id.in_(list(file_ids)))
    conn.execute(q.values(link_state=SETTLED))


def links_to_index(conn: Connection, document_id: str) -> list[str]:
    """The document's links not yet shown by the index. Read before building its records, so that every
    link listed here is in them."""
    files = t.production_files
    rows = conn.execute(
        select(files.c.id).where(files.c.document_id == document_id, files.c.link_state != SETTLED)
    ).all()
    return [r[0] for r in rows]


def unsettled_links(conn: Connection, document_id: str) -> bool:
    """Whether any of the document's links is not shown by the index yet."""
    files = t.production_files
    left = select(files.c.id).where(files.c.document_id == document_id, files.c.link_state != SETTLED).limit(1)
    return conn.execute(left).first() is not None


def record_of(row: Any, doc_status: str | None, doc_error: str | None = None) -> ProductionFile:
    status = file_status(row.link, row.link_state, doc_status)
    error = row.error if row.link == REJECTED else (doc_error if status is FileStatus.FAILED else None)
    return ProductionFile(
        id=row.id,
        production_id=row.production_id,
        document_id=row.document_id,
        original_name=row.original_name,
        status=status,
        error=error,
        added_at=ts(row.added_at),
    )
