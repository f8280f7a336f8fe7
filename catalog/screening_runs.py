"""Screening runs of watchlists: queued, running (with its progress), done with its figures per term, or
failed with its reason. Also the one read screening needs that no other repository has: the documents a
production shows (its settled links), whose pages are screened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, insert, select, update

from catalog import schema as t
from catalog.database import Database, new_id, utcnow
from catalog.errors import NotFound
from catalog.links import REJECTED, SETTLED, visible_documents
from catalog.models import DocumentStatus

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MANUAL, PRODUCTION = "manual", "production"  # what started a run: a reviewer, or a production indexed


@dataclass(frozen=True)
class ScreeningRun:
    id: str
    watchlist_id: str
    production_id: str | None  # None: the whole collection
    trigger: str
    status: str
    terms_total: int
    pages_total: int
    pages_screened: int
    hit_documents: int
    hit_pages: int
    error: str | None
    requested_by: str
    created_at: str
    finished_at: str | None


@dataclass(frozen=True)
class TermResult:
    position: int
    term: str
    documents: int
    pages: int
    unique_pages: int  # pages no other term of the list hits


class ScreeningRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    def queue(self, watchlist_id: str, production_id: str | None, terms_total: int, trigger: str, actor: str) -> str:
        run_id = new_id("scr")
        with self._db.writer.begin() as conn:
            conn.execute(
                insert(t.screening_runs).values(
                    id=run_id,
                    watchlist_id=watchlist_id,
                    production_id=production_id,
                    trigger=trigger,
                    status=QUEUED,
                    terms_total=terms_total,
                    pages_total=0,
                    pages_screened=0,
                    hit_documents=0,
                    hit_pages=0,
                    requested_by=actor,
                    created_at=utcnow(),
                )
            )
        return run_id

    def start(self, run_id: str, pages_total: int) -> None:
        self._set(run_id, status=RUNNING, pages_total=pages_total)

    def progress(self, run_id: str, pages_screened: int) -> None:
        self._set(run_id, pages_screened=pages_screened)

    def finish(self, run_id: str, results: Sequence[TermResult], hit_documents: int, hit_pages: int) -> None:
        """The figures and the run's end in one transaction: a report is never half written."""
        rows = [
            {
                "run_id": run_id,
                "position": r.position,
                "term": r.term,
                "documents": r.documents,
                "pages": r.pages,
                "unique_pages": r.unique_pages,
            }
            for r in results
        ]
        with self._db.writer.begin() as conn:
            if rows:
                conn.execute(insert(t.screening_results), rows)
            conn.execute(
                update(t.screening_runs)
                .where(t.screening_runs.c.id == run_id)
                .values(status=DONE, hit_documents=hit_documents, hit_pages=hit_pages, finished_at=utcnow())
            )

    def fail(self, run_id: str, error: str) -> None:
        self._set(run_id, status=FAILED, error=error, finished_at=utcnow())

    def _set(self, run_id: str, **values: Any) -> None:
        with self._db.writer.begin() as conn:
            conn.execute(update(t.screening_runs).where(t.screening_runs.c.id == run_id).values(**values))

    def get(self, run_id: str) -> ScreeningRun:
        with self._db.reader.connect() as conn:
            row = conn.execute(select(t.screening_runs).where(t.screening_runs.c.id == run_id)).mappings().first()
        if row is None:
            raise NotFound(f"no screening run {run_id}")
        return _run(row)

    def latest(self, watchlist_id: str, production_id: str | None = None) -> ScreeningRun | None:
        """The watchlist's newest run (of that production, when given)."""
        r = t.screening_runs
        q = select(r).where(r.c.watchlist_id == watchlist_id)
        if production_id is not None:
            q = q.where(r.c.production_id == production_id)
        with self._db.reader.connect() as conn:
            row = conn.execute(q.order_by(r.c.created_at.desc(), r.c.id.desc()).limit(1)).mappings().first()
        return None if row is None else _run(row)

    def results(self, run_id: str) -> list[TermResult]:
        s = t.screening_results
        with self._db.reader.connect() as conn:
            rows = conn.execute(select(s).where(s.c.run_id == run_id).order_by(s.c.position)).mappings().all()
        return [TermResult(r["position"], r["term"], r["documents"], r["pages"], r["unique_pages"]) for r in rows]

    def documents_to_screen(self, collection_id: str, production_id: str | None) -> list[tuple[str, int]]:
        """(id, page count) of the done documents the index shows in the production (None: in any
        production of the collection), in id order."""
        files, docs = t.production_files, t.documents
        if production_id is None:
            shown = visible_documents([collection_id])
        else:
            shown = select(files.c.document_id).where(
                and_(
                    files.c.production_id == production_id,
                    files.c.document_id.is_not(None),
                    files.c.link_state == SETTLED,
                    files.c.link != REJECTED,
                )
            )
        q = (
            select(docs.c.id, docs.c.page_count)
            .where(docs.c.id.in_(shown), docs.c.status == DocumentStatus.DONE.value)
            .order_by(docs.c.id)
        )
        with self._db.reader.connect() as conn:
            return [(str(r[0]), int(r[1] or 0)) for r in conn.execute(q)]


def _run(r: Any) -> ScreeningRun:
    return ScreeningRun(
        id=r["id"],
        watchlist_id=r["watchlist_id"],
        production_id=r["production_id"],
        trigger=r["trigger"],
        status=r["status"],
        terms_total=r["terms_total"],
        pages_total=r["pages_total"],
        pages_screened=r["pages_screened"],
        hit_documents=r["hit_documents"],
        hit_pages=r["hit_pages"],
        error=r["error"],
        requested_by=r["requested_by"],
        created_at=r["created_at"],
        finished_at=r["finished_at"],
    )
