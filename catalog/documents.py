"""Documents, their pages and their mentions: what a worker stored of each original.

A document's pages and mentions are written in the job's transaction (catalog/jobs.py calls store_result
under the worker's lease); reanalysis replaces the mentions and page facts of a done document at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from catalog import schema as t
from catalog.analytics_store import relabel_boxes, store_document_analytics
from catalog.database import Database, ts, utcnow
from catalog.errors import NotFound
from catalog.models import Document, DocumentResult, DocumentStatus, MentionRecord, Page, PageSource
from catalog.titles import metadata_title


def set_document_status(conn: Connection, document_id: str, status: DocumentStatus, **values: Any) -> None:
    """The document's side of a job's move (catalog/jobs.py), in the same transaction."""
    conn.execute(
        update(t.documents)
        .where(t.documents.c.id == document_id)
        .values(status=status.value, updated_at=utcnow(), **values)
    )


def store_result(conn: Connection, document_id: str, result: DocumentResult) -> None:
    """Replace the document's pages, mentions and analytics with `result` and mark it done."""
    conn.execute(delete(t.mentions).where(t.mentions.c.document_id == document_id))
    conn.execute(delete(t.pages).where(t.pages.c.document_id == document_id))
    if result.pages:
        conn.execute(insert(t.pages), [_page_row(p) for p in result.pages])
    if result.mentions:
        conn.execute(insert(t.mentions), [_mention_row(m) for m in result.mentions])
    store_document_analytics(conn, document_id, result)
    set_document_status(
        conn,
        document_id,
        DocumentStatus.DONE,
        error=None,
        page_count=result.page_count,
        pdf_metadata=json.dumps(result.pdf_metadata, sort_keys=True),
        title=result.title,
        **_dating(result),
    )


def _dating(result: DocumentResult) -> dict[str, Any]:
    return {
        "document_date": result.document_date.isoformat() if result.document_date else None,
        "date_source": result.date_source,
        "bates_begin": result.bates_begin,
        "bates_end": result.bates_end,
    }


class Documents:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get_document(self, document_id: str) -> Document:
        with self._db.reader.connect() as conn:
            r = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        if r is None:
            raise NotFound(f"no document {document_id}")
        return document_of(r)

    def iter_documents(self, status: DocumentStatus | None = None, batch: int = 500) -> Iterator[Document]:
        last = ""
        while True:
            q = select(t.documents).where(t.documents.c.id > last).order_by(t.documents.c.id).limit(batch)
            if status is not None:
                q = q.where(t.documents.c.status == status.value)
            with self._db.reader.connect() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            for r in rows:
                yield document_of(r)
            last = rows[-1].id

    def pages(self, document_id: str) -> list[Page]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.pages).where(t.pages.c.document_id == document_id).order_by(t.pages.c.number)
            ).all()
        return [_page(r) for r in rows]

    def page_bates(self, document_id: str) -> list[str | None]:
        """Each page's Bates stamp in page order (index 0 is page 1), without loading the pages' text."""
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.pages.c.number, t.pages.c.bates)
                .where(t.pages.c.document_id == document_id)
                .order_by(t.pages.c.number)
            ).all()
        stamps: list[str | None] = [None] * (rows[-1].number if rows else 0)
        for r in rows:
            stamps[r.number - 1] = r.bates
        return stamps

    def page(self, document_id: str, number: int) -> Page:
        with self._db.reader.connect() as conn:
            r = conn.execute(
                select(t.pages).where(t.pages.c.document_id == document_id, t.pages.c.number == number)
            ).first()
        if r is None:
            raise NotFound(f"no page {number} in document {document_id}")
        return _page(r)

    def mentions(self, document_id: str) -> list[MentionRecord]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.mentions)
                .where(t.mentions.c.document_id == document_id)
                .order_by(t.mentions.c.page_number, t.mentions.c.start)
            ).all()
        return [
            MentionRecord(
                document_id=r.document_id,
                page_number=r.page_number,
                entity_id=r.entity_id,
                start=r.start,
                end=r.end,
                text=r.text,
            )
            for r in rows
        ]

    def page_counts_by_document(self, document_id: str) -> dict[str, int]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.pages.c.source, func.count())
                .where(t.pages.c.document_id == document_id)
                .group_by(t.pages.c.source)
            ).all()
        return {s: n for s, n in rows}

    def replace_analysis(self, document_id: str, result: DocumentResult) -> None:
        """Store a new entity/date/code analysis of a done document's pages (after the gazetteer grows):
        the page texts stay as they are; mentions, page facts and the document date are replaced at once."""
        with self._db.writer.begin() as conn:
            conn.execute(delete(t.mentions).where(t.mentions.c.document_id == document_id))
            for page in result.pages:
                conn.execute(
                    update(t.pages)
                    .where(t.pages.c.document_id == document_id, t.pages.c.number == page.number)
                    .values(
                        bates=page.bates,
                        exemptions=json.dumps(list(page.exemptions)),
                        facts=json.dumps(page.facts, sort_keys=True),
                    )
                )
            if result.mentions:
                conn.execute(insert(t.mentions), [_mention_row(m) for m in result.mentions])
            conn.execute(
                update(t.documents)
                .where(t.documents.c.id == document_id)
                .values(updated_at=utcnow(), **_dating(result))
            )

    def relabel_boxes(self, relabel: Callable[[str, str], str]) -> int:
        """Rewrite the stored redaction box labels (catalog/analytics_store.py, relabel_boxes)."""
        with self._db.writer.begin() as conn:
            return relabel_boxes(conn, relabel)


def document_of(r: Any) -> Document:
    pdf_metadata = json.loads(r.pdf_metadata or "{}")
    return Document(
        id=r.id,
        sha256=r.sha256,
        size=r.size,
        status=DocumentStatus(r.status),
        error=r.error,
        page_count=r.page_count,
        pdf_metadata=pdf_metadata,
        # The PDF's own /Title only: older catalogs stored the first upload's file name here (catalog.titles).
        title=metadata_title(pdf_metadata),
        document_date=dt.date.fromisoformat(r.document_date) if r.document_date else None,
        date_source=r.date_source,
        bates_begin=r.bates_begin,
        bates_end=r.bates_end,
        created_at=ts(r.created_at),
        updated_at=ts(r.updated_at),
    )


def _page_row(p: Page) -> dict[str, Any]:
    return {
        "document_id": p.document_id,
        "number": p.number,
        "text": p.text,
        "source": p.source.value,
        "ocr_confidence": p.ocr_confidence,
        "bates": p.bates,
        "exemptions": json.dumps(list(p.exemptions)),
        "facts": json.dumps(p.facts, sort_keys=True),
    }


def _page(r: Any) -> Page:
    return Page(
        document_id=r.document_id,
        number=r.number,
        text=r.text,
        source=PageSource(r.source),
        ocr_confidence=r.ocr_confidence,
        bates=r.bates,
        exemptions=tuple(json.loads(r.exemptions or "[]")),
        facts=json.loads(r.facts or "{}"),
    )


def _mention_row(m: MentionRecord) -> dict[str, Any]:
    return {
        "document_id": m.document_id,
        "page_number": m.page_number,
        "entity_id": m.entity_id,
        "start": m.start,
        "end": m.end,
        "text": m.text,
    }
