"""What a retry can fix, and the retry itself: failed files whose failure is not the file's own, and pages
whose OCR stopped (a timeout, a crashed tesseract) in files that are otherwise done.

A page whose OCR stopped keeps what its text layer had (often nothing) and carries a warning in its facts
(`ocr_warning`: kind and detail). Its file is done, searchable with its other pages, and says it has
warnings; a retry queues the document's job again and the worker re-OCRs just the warned pages
(ingest/page_retry.py), keeping every other page as stored.

A failure is retryable unless the worker recorded it as the file's own (`failure_retryable = 0`: not a
PDF, encrypted, corrupt, over a limit); a file rejected at upload is never a document, so never retried.
The count offered to users and the number a retry queues come from the same selection (`_retryable`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, true, update

from catalog import schema as t
from catalog.analytics import page_bands, page_marks, redaction_boxes
from catalog.analytics_store import store_document_analytics
from catalog.documents import set_document_status
from catalog.job_states import QUEUED, transition
from catalog.models import DocumentResult, DocumentStatus, JobStatus, MentionRecord

OCR_WARNING = "ocr_warning"  # key of a page's facts
_WARNED = t.pages.c.facts.like(f'%"{OCR_WARNING}"%')  # facts are JSON text on both engines


WarningKind = Literal["ocr_timeout", "ocr_error"]


@dataclass(frozen=True)
class PageWarning:
    page_number: int
    kind: WarningKind
    detail: str
    retryable: bool = True  # a page's OCR can always be tried again


@dataclass(frozen=True)
class RetryFacts:
    """Per document: whether its failure (if any) is worth a retry, and its pages' warnings."""

    failure_retryable: bool = True
    warnings: tuple[PageWarning, ...] = ()


@dataclass(frozen=True)
class RetryCounts:
    files: int  # files a retry would queue again (retryable failures plus done files with warned pages)
    warned_pages: int


def ocr_warning_facts(error: str) -> dict[str, str]:
    """Pure: the warning a page stores when its OCR stopped with `error` (ingest/ocr.py's message)."""
    kind = "ocr_timeout" if "timeout" in error.lower() else "ocr_error"
    return {"kind": kind, "detail": error}


def warning_of(number: int, facts: Mapping[str, Any]) -> PageWarning | None:
    """Pure: the page's warning, from its stored facts."""
    found = facts.get(OCR_WARNING)
    if not isinstance(found, dict):
        return None
    kind: WarningKind = "ocr_timeout" if found.get("kind") == "ocr_timeout" else "ocr_error"
    return PageWarning(number, kind, str(found.get("detail", "")))


def retry_facts(engine: Engine, document_ids: Sequence[str]) -> dict[str, RetryFacts]:
    """For a list of files: each document's retryability and page warnings (two reads, any length)."""
    ids = sorted(set(document_ids))
    if not ids:
        return {}
    with engine.connect() as conn:
        flags = dict(
            conn.execute(select(t.documents.c.id, t.documents.c.failure_retryable).where(t.documents.c.id.in_(ids)))
            .tuples()
            .all()
        )
        rows = conn.execute(
            select(t.pages.c.document_id, t.pages.c.number, t.pages.c.facts)
            .where(t.pages.c.document_id.in_(ids), _WARNED)
            .order_by(t.pages.c.document_id, t.pages.c.number)
        ).all()
    warnings: dict[str, list[PageWarning]] = {}
    for document_id, number, facts in rows:
        found = warning_of(number, json.loads(facts or "{}"))
        if found is not None:
            warnings.setdefault(document_id, []).append(found)
    return {i: RetryFacts(flags.get(i) != 0, tuple(warnings.get(i, ()))) for i in ids}


def _in_production(production_id: str | None) -> Any:
    if production_id is None:
        return true()
    return t.jobs.c.document_id.in_(
        select(t.production_files.c.document_id).where(t.production_files.c.production_id == production_id)
    )


def _retryable(production_id: str | None) -> Any:
    """The jobs a retry queues: failed ones whose failure is not the file's own, and done ones with a
    warned page."""
    jobs, docs = t.jobs, t.documents
    failed = and_(
        jobs.c.status == JobStatus.FAILED.value, or_(docs.c.failure_retryable.is_(None), docs.c.failure_retryable != 0)
    )
    warned = and_(
        jobs.c.status == JobStatus.DONE.value,
        docs.c.status == DocumentStatus.DONE.value,
        jobs.c.document_id.in_(select(t.pages.c.document_id).where(_WARNED)),
    )
    return (
        select(jobs.c.id, jobs.c.document_id)
        .join(docs, docs.c.id == jobs.c.document_id)
        .where(or_(failed, warned), _in_production(production_id))
    )


def retry_counts(engine: Engine, production_id: str) -> RetryCounts:
    files = select(t.production_files.c.document_id).where(t.production_files.c.production_id == production_id)
    with engine.connect() as conn:
        retryable = len(conn.execute(_retryable(production_id)).all())
        warned = conn.execute(select(t.pages.c.number).where(t.pages.c.document_id.in_(files), _WARNED)).all()
    return RetryCounts(files=retryable, warned_pages=len(warned))


def queue_retries(conn: Connection, production_id: str | None = None) -> int:
    """In the caller's transaction: queue every retryable job again (of one production, or all)."""
    rows = conn.execute(_retryable(production_id)).all()
    for job_id, document_id in rows:
        transition(conn, QUEUED, t.jobs.c.id == job_id, attempts=0, error=None)
        set_document_status(conn, document_id, DocumentStatus.PENDING, error=None, failure_retryable=None)
    return len(rows)


def mark_failure_permanent(conn: Connection, document_id: str) -> None:
    """In the failing transaction: this failure is the file's own; a retry would fail the same way."""
    conn.execute(update(t.documents).where(t.documents.c.id == document_id).values(failure_retryable=0))


def store_retried_pages(conn: Connection, document_id: str, result: DocumentResult, retried: Sequence[int]) -> None:
    """In the caller's transaction (catalog/jobs.py, under the job's lease): the retried pages' text, boxes
    and marks anew; every page's facts and the document's mentions and date from the new analysis (a
    page's text changed, so may they); the other pages' boxes and marks as they were."""
    numbers = sorted(set(retried))
    for page in result.pages:
        values: dict[str, Any] = {
            "bates": page.bates,
            "exemptions": json.dumps(list(page.exemptions)),
            "facts": json.dumps(page.facts, sort_keys=True),
        }
        if page.number in numbers:
            values.update(text=page.text, source=page.source.value, ocr_confidence=page.ocr_confidence)
        conn.execute(
            update(t.pages)
            .where(t.pages.c.document_id == document_id, t.pages.c.number == page.number)
            .values(**values)
        )
    _replace_page_analytics(conn, document_id, result, numbers)
    conn.execute(delete(t.mentions).where(t.mentions.c.document_id == document_id))
    if result.mentions:
        conn.execute(insert(t.mentions), [_mention_row(m) for m in result.mentions])
    set_document_status(
        conn,
        document_id,
        DocumentStatus.DONE,
        error=None,
        document_date=result.document_date.isoformat() if result.document_date else None,
        date_source=result.date_source,
        bates_begin=result.bates_begin,
        bates_end=result.bates_end,
    )


def _replace_page_analytics(conn: Connection, document_id: str, result: DocumentResult, numbers: list[int]) -> None:
    """Boxes, marks and bands of the retried pages only: the store for a whole document, narrowed."""
    for table in (redaction_boxes, page_marks, page_bands):
        conn.execute(delete(table).where(table.c.document_id == document_id, table.c.page_number.in_(numbers)))
    narrowed = DocumentResult(
        page_count=result.page_count,
        pdf_metadata=result.pdf_metadata,
        title=result.title,
        pages=[],
        mentions=[],
        redaction_boxes=[b for b in result.redaction_boxes if b.page_number in numbers],
        page_marks=[m for m in result.page_marks if m.page_number in numbers],
    )
    store_document_analytics(conn, document_id, narrowed, replace=False)


def _mention_row(m: MentionRecord) -> dict[str, Any]:
    return {
        "document_id": m.document_id,
        "page_number": m.page_number,
        "entity_id": m.entity_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
    }
