"""The catalog on SQL: SQLite in WAL mode by default, PostgreSQL at scale, one implementation.

Writes that must not interleave (claiming a job, storing a document's pages) run in one transaction.
On SQLite every write transaction starts with BEGIN IMMEDIATE so concurrent workers queue on the
database lock instead of failing half way; on PostgreSQL jobs are claimed with FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.pool import NullPool, QueuePool

from catalog import schema as t
from catalog.analytics_store import relabel_boxes, store_document_analytics
from catalog.blobstore import StoredBlob
from catalog.errors import Conflict, InvalidName, LeaseLost, NotFound
from catalog.links import (
    JOB_INDEXING,
    claim_links,
    file_status,
    finish_indexing,
    insert_new,
    link_file,
    links_to_index,
    record_of,
    settle_links,
    status_clause,
    unclaim_links,
)
from catalog.migrate import upgrade
from catalog.models import (
    ALL_COLLECTIONS,
    Collection,
    Document,
    DocumentResult,
    DocumentStatus,
    EntityRecord,
    FileCounts,
    FileStatus,
    Job,
    MentionRecord,
    Page,
    PageCounts,
    PageSource,
    Production,
    ProductionFile,
    Progress,
)
from catalog.titles import metadata_title

DEFAULT_COLLECTION = "default"


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def document_id_for(sha256: str) -> str:
    # Derived from content so that the same original always has the same id, in every catalog.
    return f"doc_{sha256[:24]}"


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _claimable(now: float) -> Any:
    """Jobs a worker may take: queued ones, and those whose worker's lease ran out (that worker died)."""
    return or_(
        t.jobs.c.status == "queued",
        and_(t.jobs.c.status.in_(("running", JOB_INDEXING)), t.jobs.c.lease_expires < now),
    )


READ_POOL_SIZE = 8  # kept open: about the API's concurrent searches (FOIA_SEARCH_CONCURRENCY)
READ_POOL_OVERFLOW = -1  # past that, opened and closed again as needed: a burst never waits for the pool


def _drop_pool_after_fork(engine: Engine) -> None:
    """SQLite connections must not cross a fork: the child forgets the parent's (without closing them)."""
    ref = weakref.ref(engine)

    def forget() -> None:
        alive = ref()
        if alive is not None:
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


def _configure_sqlite(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin() decide when a transaction starts (pysqlite's own handling is lazy).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class SqlCatalog:
    def __init__(self, url: str, *, max_attempts: int = 3) -> None:
        self.url = url
        self.max_attempts = max_attempts
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            # Writes: a fresh connection each (NullPool), so no connection outlives its BEGIN IMMEDIATE.
            # Reads: pooled, because the API reads several times a request and opening a connection (with
            # its pragmas) cost a search page 15% of its time. A pooled connection is only ever used by one
            # thread at a time, and a forked child drops the parent's pool instead of sharing its files.
            self._writer = create_engine(url, poolclass=NullPool)
            self._reader = create_engine(
                url,
                poolclass=QueuePool,
                pool_size=READ_POOL_SIZE,
                max_overflow=READ_POOL_OVERFLOW,
                connect_args={"check_same_thread": False},
            )
            _configure_sqlite(self._writer, immediate=True)
            _configure_sqlite(self._reader, immediate=False)
            _drop_pool_after_fork(self._reader)
        else:
            self._writer = create_engine(url, pool_pre_ping=True)
            self._reader = self._writer

    # -- schema ---------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The reading engine, for read-only query modules over the same catalog (catalog/analytics.py)."""
        return self._reader

    @property
    def writer(self) -> Engine:  # for small repository modules over the same catalog (catalog/corrections.py)
        return self._writer

    def create_schema(self) -> None:
        """Create or upgrade the schema: `alembic upgrade head` (catalog/migrations), on either engine."""
        upgrade(self._writer)

    def close(self) -> None:
        self._writer.dispose()
        self._reader.dispose()

    # -- collections and productions ------------------------------------------------------------

    def ensure_collection(self, name: str) -> Collection:
        if name.strip() == ALL_COLLECTIONS:
            raise InvalidName(f"a collection may not be called {ALL_COLLECTIONS!r}: it means every collection")
        with self._writer.begin() as conn:
            row = conn.execute(select(t.collections).where(t.collections.c.name == name)).first()
            if row is None:
                cid, now = new_id("col"), utcnow()
                conn.execute(insert(t.collections).values(id=cid, name=name, created_at=now))
                return Collection(id=cid, name=name, created_at=_ts(now))
            return Collection(id=row.id, name=row.name, created_at=_ts(row.created_at))

    def list_collections(self) -> list[Collection]:
        with self._reader.connect() as conn:
            rows = conn.execute(select(t.collections).order_by(t.collections.c.name)).all()
        return [Collection(id=r.id, name=r.name, created_at=_ts(r.created_at)) for r in rows]

    def collection_by_name(self, name: str) -> Collection:
        with self._reader.connect() as conn:
            r = conn.execute(select(t.collections).where(t.collections.c.name == name)).first()
        if r is None:
            raise NotFound(f"no collection named {name!r}")
        return Collection(id=r.id, name=r.name, created_at=_ts(r.created_at))

    def create_production(self, collection_id: str, name: str) -> Production:
        with self._writer.begin() as conn:
            exists = conn.execute(
                select(t.productions.c.id).where(
                    t.productions.c.collection_id == collection_id, t.productions.c.name == name
                )
            ).first()
            if exists is not None:
                raise Conflict(f"a production named {name!r} already exists in this collection")
            pid, now = new_id("prd"), utcnow()
            conn.execute(insert(t.productions).values(id=pid, collection_id=collection_id, name=name, created_at=now))
        return Production(id=pid, collection_id=collection_id, name=name, created_at=_ts(now))

    def get_or_create_production(self, collection_id: str, name: str) -> Production:
        try:
            return self.create_production(collection_id, name)
        except Conflict:
            return self.production_by_name(collection_id, name)

    def production_by_name(self, collection_id: str, name: str) -> Production:
        with self._reader.connect() as conn:
            r = conn.execute(
                select(t.productions).where(
                    t.productions.c.collection_id == collection_id, t.productions.c.name == name
                )
            ).first()
        if r is None:
            raise NotFound(f"no production named {name!r}")
        return _production(r)

    def get_production(self, production_id: str) -> Production:
        with self._reader.connect() as conn:
            r = conn.execute(select(t.productions).where(t.productions.c.id == production_id)).first()
        if r is None:
            raise NotFound(f"no production {production_id}")
        return _production(r)

    def list_productions(self, collection_ids: Sequence[str] | None = None) -> list[Production]:
        q = select(t.productions).order_by(t.productions.c.created_at, t.productions.c.id)
        if collection_ids is not None:
            q = q.where(t.productions.c.collection_id.in_(list(collection_ids)))
        with self._reader.connect() as conn:
            return [_production(r) for r in conn.execute(q).all()]

    # -- intake ---------------------------------------------------------------------------------

    def add_file(self, production_id: str, original_name: str, blob: StoredBlob) -> ProductionFile:
        """Link an arrived original to a production (catalog/links.py); queue it the first time it is seen."""
        doc_id = document_id_for(blob.sha256)
        now = utcnow()
        with self._writer.begin() as conn:
            seen = conn.execute(select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
            created = False
            if seen is None:
                inserted = conn.execute(
                    insert_new(conn, t.documents)
                    .values(
                        id=doc_id,
                        sha256=blob.sha256,
                        size=blob.size,
                        status=DocumentStatus.PENDING.value,
                        pdf_metadata="{}",
                        title=None,  # a file name is its link's, never the document's (catalog.titles)
                        created_at=now,
                        updated_at=now,
                    )
                    .returning(t.documents.c.id)
                )
                created = inserted.first() is not None  # None: a concurrent upload (PostgreSQL) made and queued it
            if created:
                conn.execute(
                    insert(t.jobs).values(
                        id=new_id("job"),
                        document_id=doc_id,
                        status="queued",
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
            return link_file(conn, production_id, doc_id, original_name, new_id("fil"), now, lock=not self.is_sqlite)

    def reject_file(self, production_id: str, original_name: str, reason: str) -> ProductionFile:
        """Record a file that never became a document (unsafe archive member, over a limit...)."""
        fid, now = new_id("fil"), utcnow()
        with self._writer.begin() as conn:
            conn.execute(
                insert(t.production_files).values(
                    id=fid,
                    production_id=production_id,
                    document_id=None,
                    original_name=original_name,
                    link="rejected",
                    link_state="settled",
                    error=reason,
                    added_at=now,
                )
            )
        return ProductionFile(
            id=fid,
            production_id=production_id,
            document_id=None,
            original_name=original_name,
            status=FileStatus.FAILED,
            error=reason,
            added_at=_ts(now),
        )

    # -- jobs -----------------------------------------------------------------------------------

    def claim_job(self, worker_id: str, lease_seconds: float) -> Job | None:
        """Take the oldest queued job, or one whose worker's lease ran out (that worker died)."""
        while True:
            outcome = self._claim_once(worker_id, lease_seconds)
            if outcome != "retry":
                return outcome  # type: ignore[return-value]

    def _claim_once(self, worker_id: str, lease_seconds: float) -> Job | str | None:
        now = time.time()
        with self._writer.begin() as conn:
            q = select(t.jobs).where(_claimable(now)).order_by(t.jobs.c.created_at, t.jobs.c.id).limit(1)
            if not self.is_sqlite:
                q = q.with_for_update(skip_locked=True)
            row = conn.execute(q).first()
            if row is None:
                return None
            claim_links(conn, row.document_id)
            if row.status == JOB_INDEXING:
                # Stored, not yet (or not successfully) indexed: only the indexing is left to do. It is not
                # an attempt at the file, so it never fails it.
                conn.execute(
                    update(t.jobs)
                    .where(t.jobs.c.id == row.id)
                    .values(lease_owner=worker_id, lease_expires=now + lease_seconds, updated_at=utcnow())
                )
                return Job(
                    id=row.id,
                    document_id=row.document_id,
                    status=JOB_INDEXING,
                    attempts=row.attempts,
                    lease_owner=worker_id,
                    lease_expires=now + lease_seconds,
                )
            if row.attempts >= self.max_attempts:
                # The original keeps killing workers (or timing out): fail it rather than loop forever.
                reason = f"processing did not finish after {row.attempts} attempts (worker crash or timeout)"
                self._mark_failed(conn, row.id, row.document_id, reason)
                return "retry"
            expires = now + lease_seconds
            conn.execute(
                update(t.jobs)
                .where(t.jobs.c.id == row.id)
                .values(
                    status="running",
                    attempts=row.attempts + 1,
                    lease_owner=worker_id,
                    lease_expires=expires,
                    updated_at=utcnow(),
                )
            )
            conn.execute(
                update(t.documents)
                .where(t.documents.c.id == row.document_id)
                .values(status=DocumentStatus.PROCESSING.value, updated_at=utcnow())
            )
        return Job(
            id=row.id,
            document_id=row.document_id,
            status="running",
            attempts=row.attempts + 1,
            lease_owner=worker_id,
            lease_expires=expires,
        )

    def has_claimable_jobs(self) -> bool:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.jobs.c.id).where(_claimable(time.time())).limit(1)).first()
        return row is not None

    def renew_lease(self, job_id: str, worker_id: str, lease_seconds: float) -> bool:
        with self._writer.begin() as conn:
            res = conn.execute(
                update(t.jobs)
                .where(
                    t.jobs.c.id == job_id,
                    t.jobs.c.lease_owner == worker_id,
                    t.jobs.c.status.in_(("running", JOB_INDEXING)),
                )
                .values(lease_expires=time.time() + lease_seconds)
            )
        return res.rowcount == 1

    def links_to_index(self, document_id: str) -> list[str]:
        """Links the index does not show yet: read them before building the document's records."""
        return links_to_index(self._reader, document_id)

    def finish_indexing(self, job_id: str, indexed_links: Sequence[str]) -> bool:
        """The index shows the document with `indexed_links` (whoever indexed it); False if links are left."""
        return finish_indexing(self._writer, job_id, indexed_links, lock=not self.is_sqlite)

    def postpone_indexing(self, job_id: str, worker_id: str, seconds: float) -> None:
        """The index refused the document: any worker tries again after `seconds`."""
        with self._writer.begin() as conn:
            conn.execute(
                update(t.jobs)
                .where(t.jobs.c.id == job_id, t.jobs.c.status == JOB_INDEXING, t.jobs.c.lease_owner == worker_id)
                .values(lease_owner=None, lease_expires=time.time() + seconds, updated_at=utcnow())
            )

    def release_job(self, job_id: str, worker_id: str) -> None:
        """Give a job back unfinished (graceful shutdown); it does not count as an attempt."""
        with self._writer.begin() as conn:
            row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id, t.jobs.c.lease_owner == worker_id)).first()
            if row is None or row.status not in ("running", JOB_INDEXING):
                return
            unclaim_links(conn, row.document_id)  # its files wait for the next worker again
            if row.status == JOB_INDEXING:  # stored: the next worker only indexes it
                conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(lease_owner=None, lease_expires=0.0))
                return
            conn.execute(
                update(t.jobs)
                .where(t.jobs.c.id == job_id)
                .values(
                    status="queued",
                    attempts=max(0, row.attempts - 1),
                    lease_owner=None,
                    lease_expires=None,
                    updated_at=utcnow(),
                )
            )
            conn.execute(
                update(t.documents)
                .where(t.documents.c.id == row.document_id)
                .values(status=DocumentStatus.PENDING.value, updated_at=utcnow())
            )

    def _check_lease(self, conn: Connection, job_id: str, worker_id: str) -> None:
        row = conn.execute(select(t.jobs.c.lease_owner, t.jobs.c.status).where(t.jobs.c.id == job_id)).first()
        if row is None or row.lease_owner != worker_id or row.status != "running":
            raise LeaseLost(f"job {job_id} is no longer held by {worker_id}")

    def complete_document(self, job_id: str, worker_id: str, document_id: str, result: DocumentResult) -> None:
        """Store every page and mention of a document and mark it done, all or nothing."""
        now = utcnow()
        with self._writer.begin() as conn:
            self._check_lease(conn, job_id, worker_id)
            conn.execute(delete(t.mentions).where(t.mentions.c.document_id == document_id))
            conn.execute(delete(t.pages).where(t.pages.c.document_id == document_id))
            if result.pages:
                conn.execute(insert(t.pages), [_page_row(p) for p in result.pages])
            if result.mentions:
                conn.execute(insert(t.mentions), [_mention_row(m) for m in result.mentions])
            store_document_analytics(conn, document_id, result)
            conn.execute(
                update(t.documents)
                .where(t.documents.c.id == document_id)
                .values(
                    status=DocumentStatus.DONE.value,
                    error=None,
                    page_count=result.page_count,
                    pdf_metadata=json.dumps(result.pdf_metadata, sort_keys=True),
                    title=result.title,
                    document_date=result.document_date.isoformat() if result.document_date else None,
                    date_source=result.date_source,
                    bates_begin=result.bates_begin,
                    bates_end=result.bates_end,
                    updated_at=now,
                )
            )
            # Done once indexed (finish_indexing): a worker killed before that leaves the job to the next
            # worker, which only indexes it, instead of a stored document nobody can find.
            conn.execute(
                update(t.jobs).where(t.jobs.c.id == job_id).values(status=JOB_INDEXING, error=None, updated_at=now)
            )

    def replace_analysis(self, document_id: str, result: DocumentResult) -> None:
        """Store a new entity/date/code analysis of a done document's pages (after the gazetteer grows):
        the page texts stay as they are; mentions, page facts and the document date are replaced at once."""
        now = utcnow()
        with self._writer.begin() as conn:
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
                .values(
                    document_date=result.document_date.isoformat() if result.document_date else None,
                    date_source=result.date_source,
                    bates_begin=result.bates_begin,
                    bates_end=result.bates_end,
                    updated_at=now,
                )
            )

    def relabel_boxes(self, relabel: Callable[[str, str], str]) -> int:
        """Rewrite the stored redaction box labels (catalog/analytics_store.py, relabel_boxes)."""
        with self._writer.begin() as conn:
            return relabel_boxes(conn, relabel)

    def fail_document(self, job_id: str, worker_id: str, document_id: str, reason: str) -> None:
        with self._writer.begin() as conn:
            self._check_lease(conn, job_id, worker_id)
            self._mark_failed(conn, job_id, document_id, reason)

    def _mark_failed(self, conn: Connection, job_id: str, document_id: str, reason: str) -> None:
        now = utcnow()
        conn.execute(
            update(t.jobs)
            .where(t.jobs.c.id == job_id)
            .values(status="failed", lease_owner=None, lease_expires=None, error=reason, updated_at=now)
        )
        conn.execute(
            update(t.documents)
            .where(t.documents.c.id == document_id)
            .values(status=DocumentStatus.FAILED.value, error=reason, updated_at=now)
        )
        settle_links(conn, document_id)  # a failed document has nothing to index: its files read failed

    def retry_failed(self, production_id: str | None = None) -> int:
        """Queue every failed document again (of one production, or all); returns how many."""
        now = utcnow()
        with self._writer.begin() as conn:
            q = select(t.jobs.c.id, t.jobs.c.document_id).where(t.jobs.c.status == "failed")
            if production_id is not None:
                q = q.where(
                    t.jobs.c.document_id.in_(
                        select(t.production_files.c.document_id).where(
                            t.production_files.c.production_id == production_id
                        )
                    )
                )
            rows = conn.execute(q).all()
            for row in rows:
                conn.execute(
                    update(t.jobs)
                    .where(t.jobs.c.id == row.id)
                    .values(status="queued", attempts=0, error=None, updated_at=now)
                )
                conn.execute(
                    update(t.documents)
                    .where(t.documents.c.id == row.document_id)
                    .values(status=DocumentStatus.PENDING.value, error=None, updated_at=now)
                )
        return len(rows)

    # -- reading --------------------------------------------------------------------------------

    def progress(self, production_id: str) -> Progress:
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.production_files.c.link, t.production_files.c.link_state, t.documents.c.status, func.count())
                .select_from(
                    t.production_files.outerjoin(t.documents, t.documents.c.id == t.production_files.c.document_id)
                )
                .where(t.production_files.c.production_id == production_id)
                .group_by(t.production_files.c.link, t.production_files.c.link_state, t.documents.c.status)
            ).all()
            counts = {s.value: 0 for s in FileStatus}
            for link, state, status, n in rows:
                counts[file_status(link, state, status).value] += n
            # Pages count once the index shows them in this production: the same for a file another matter
            # already held as for a file nobody had seen.
            docs = select(t.production_files.c.document_id).where(
                t.production_files.c.production_id == production_id, t.production_files.c.link_state == "settled"
            )
            page_rows = conn.execute(
                select(t.pages.c.source, func.count()).where(t.pages.c.document_id.in_(docs)).group_by(t.pages.c.source)
            ).all()
        by_source = {source: n for source, n in page_rows}
        return Progress(
            files=FileCounts(total=sum(counts.values()), **counts),
            pages=PageCounts(
                total=sum(by_source.values()),
                text_layer=by_source.get(PageSource.TEXT_LAYER.value, 0),
                ocr=by_source.get(PageSource.OCR.value, 0),
            ),
        )

    def list_files(
        self, production_id: str, status: FileStatus | None = None, limit: int = 100, after: str | None = None
    ) -> list[ProductionFile]:
        q = (
            select(
                t.production_files,
                t.documents.c.status.label("doc_status"),
                t.documents.c.error.label("doc_error"),
            )
            .select_from(
                t.production_files.outerjoin(t.documents, t.documents.c.id == t.production_files.c.document_id)
            )
            .where(t.production_files.c.production_id == production_id)
            .order_by(t.production_files.c.id)
        )
        if after is not None:
            q = q.where(t.production_files.c.id > after)
        if status is not None:
            q = q.where(status_clause(status))
        with self._reader.connect() as conn:
            rows = conn.execute(q.limit(limit)).all()
        return [record_of(r, r.doc_status, r.doc_error) for r in rows]

    def get_document(self, document_id: str) -> Document:
        with self._reader.connect() as conn:
            r = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        if r is None:
            raise NotFound(f"no document {document_id}")
        return _document(r)

    def iter_documents(self, status: DocumentStatus | None = None, batch: int = 500) -> Iterator[Document]:
        last = ""
        while True:
            q = select(t.documents).where(t.documents.c.id > last).order_by(t.documents.c.id).limit(batch)
            if status is not None:
                q = q.where(t.documents.c.status == status.value)
            with self._reader.connect() as conn:
                rows = conn.execute(q).all()
            if not rows:
                return
            for r in rows:
                yield _document(r)
            last = rows[-1].id

    def productions_of_document(self, document_id: str, shown_only: bool = False) -> list[Production]:
        """Every production holding the document (what its index records carry), or with shown_only those
        whose link the index already shows: a matter sees a document from the moment it can find it."""
        files = t.production_files
        holding = select(files.c.production_id).where(files.c.document_id == document_id)
        if shown_only:
            holding = holding.where(files.c.link_state == "settled")
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.productions).where(t.productions.c.id.in_(holding)).order_by(t.productions.c.created_at)
            ).all()
        return [_production(r) for r in rows]

    def links_of_document(self, document_id: str) -> list[tuple[Production, str]]:
        """Every production the document is linked into with the name it has there, oldest link first."""
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.productions, t.production_files.c.original_name)
                .join(t.production_files, t.production_files.c.production_id == t.productions.c.id)
                .where(t.production_files.c.document_id == document_id)
                .order_by(t.production_files.c.added_at, t.production_files.c.id)
            ).all()
        return [(_production(r), str(r.original_name)) for r in rows]

    def pages(self, document_id: str) -> list[Page]:
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.pages).where(t.pages.c.document_id == document_id).order_by(t.pages.c.number)
            ).all()
        return [_page(r) for r in rows]

    def page(self, document_id: str, number: int) -> Page:
        with self._reader.connect() as conn:
            r = conn.execute(
                select(t.pages).where(t.pages.c.document_id == document_id, t.pages.c.number == number)
            ).first()
        if r is None:
            raise NotFound(f"no page {number} in document {document_id}")
        return _page(r)

    def mentions(self, document_id: str) -> list[MentionRecord]:
        with self._reader.connect() as conn:
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
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.pages.c.source, func.count())
                .where(t.pages.c.document_id == document_id)
                .group_by(t.pages.c.source)
            ).all()
        return {s: n for s, n in rows}

    # -- entities -------------------------------------------------------------------------------

    def upsert_entities(self, records: Sequence[EntityRecord]) -> None:
        if not records:
            return
        with self._writer.begin() as conn:
            existing = {r[0] for r in conn.execute(select(t.entities.c.id)).all()}
            fresh = [_entity_row(e) for e in records if e.id not in existing]
            stale = [e for e in records if e.id in existing and e.source == "gazetteer"]
            if fresh:
                conn.execute(insert(t.entities), fresh)
            for e in stale:
                conn.execute(update(t.entities).where(t.entities.c.id == e.id).values(**_entity_row(e)))

    def get_entity(self, entity_id: str) -> EntityRecord:
        with self._reader.connect() as conn:
            r = conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()
        if r is None:
            raise NotFound(f"no entity {entity_id}")
        return _entity(r)

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        out: dict[str, EntityRecord] = {}
        unique = list(dict.fromkeys(ids))
        with self._reader.connect() as conn:
            for i in range(0, len(unique), 500):
                for r in conn.execute(select(t.entities).where(t.entities.c.id.in_(unique[i : i + 500]))).all():
                    out[r.id] = _entity(r)
        return out

    def list_entities(
        self,
        entity_type: str | None = None,
        prefix: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> list[EntityRecord]:
        q = select(t.entities).order_by(t.entities.c.id).limit(limit)
        if entity_type:
            q = q.where(t.entities.c.type == entity_type)
        if prefix:
            q = q.where(func.lower(t.entities.c.name).startswith(prefix.lower(), autoescape=True))
        if after:
            q = q.where(t.entities.c.id > after)
        with self._reader.connect() as conn:
            return [_entity(r) for r in conn.execute(q).all()]

    def vendor_products(self, vendor_id: str) -> list[EntityRecord]:
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.entities).where(t.entities.c.vendor_id == vendor_id).order_by(t.entities.c.name)
            ).all()
        return [_entity(r) for r in rows]

    # -- entity statistics (scoped to collections) -----------------------------------------------

    def _visible_documents(self, collection_ids: Sequence[str] | None) -> Any:
        q = select(t.production_files.c.document_id).where(
            t.production_files.c.document_id.is_not(None), t.production_files.c.link_state == "settled"
        )
        if collection_ids is not None:
            q = q.join(t.productions, t.productions.c.id == t.production_files.c.production_id).where(
                t.productions.c.collection_id.in_(list(collection_ids))
            )
        return q

    def document_collections(self, document_id: str) -> set[str]:
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.productions.c.collection_id)
                .join(t.production_files, t.production_files.c.production_id == t.productions.c.id)
                .where(t.production_files.c.document_id == document_id)
            ).all()
        return {r[0] for r in rows}

    def entity_totals(self, entity_id: str, collection_ids: Sequence[str] | None) -> tuple[int, int]:
        """(documents, mentions) of an entity in the visible collections."""
        with self._reader.connect() as conn:
            row = conn.execute(
                select(func.count(func.distinct(t.mentions.c.document_id)), func.count()).where(
                    t.mentions.c.entity_id == entity_id,
                    t.mentions.c.document_id.in_(self._visible_documents(collection_ids)),
                )
            ).one()
        return int(row[0]), int(row[1])

    def co_mentioned(
        self, entity_id: str, collection_ids: Sequence[str] | None, limit: int = 20
    ) -> list[tuple[str, int]]:
        """Entities most often found in the same documents, with how many documents they share."""
        docs = (
            select(t.mentions.c.document_id)
            .where(
                t.mentions.c.entity_id == entity_id,
                t.mentions.c.document_id.in_(self._visible_documents(collection_ids)),
            )
            .distinct()
        )
        shared = func.count(func.distinct(t.mentions.c.document_id))
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.mentions.c.entity_id, shared)
                .where(t.mentions.c.document_id.in_(docs), t.mentions.c.entity_id != entity_id)
                .group_by(t.mentions.c.entity_id)
                .order_by(shared.desc(), t.mentions.c.entity_id)
                .limit(limit)
            ).all()
        return [(r[0], int(r[1])) for r in rows]

    def top_documents_for_entity(
        self, entity_id: str, collection_ids: Sequence[str] | None, limit: int = 10
    ) -> list[tuple[Document, int]]:
        count = func.count()
        with self._reader.connect() as conn:
            rows = conn.execute(
                select(t.mentions.c.document_id, count)
                .where(
                    t.mentions.c.entity_id == entity_id,
                    t.mentions.c.document_id.in_(self._visible_documents(collection_ids)),
                )
                .group_by(t.mentions.c.document_id)
                .order_by(count.desc(), t.mentions.c.document_id)
                .limit(limit)
            ).all()
        return [(self.get_document(r[0]), int(r[1])) for r in rows]

    def entity_document_counts(
        self,
        entity_type: str | None,
        collection_ids: Sequence[str] | None,
        prefix: str | None = None,
        limit: int = 100,
        after: tuple[int, str] | None = None,
    ) -> list[tuple[EntityRecord, int]]:
        """Entities with the number of visible documents that mention them, most documents first."""
        documents = func.count(func.distinct(t.mentions.c.document_id)).label("documents")
        counted = (
            select(t.mentions.c.entity_id.label("entity_id"), documents)
            .where(t.mentions.c.document_id.in_(self._visible_documents(collection_ids)))
            .group_by(t.mentions.c.entity_id)
            .subquery()
        )
        q = select(t.entities, counted.c.documents).join(counted, counted.c.entity_id == t.entities.c.id)
        if entity_type:
            q = q.where(t.entities.c.type == entity_type)
        if prefix:
            q = q.where(func.lower(t.entities.c.name).startswith(prefix.lower(), autoescape=True))
        if after is not None:
            n, last_id = after
            q = q.where(or_(counted.c.documents < n, and_(counted.c.documents == n, t.entities.c.id > last_id)))
        q = q.order_by(counted.c.documents.desc(), t.entities.c.id).limit(limit)
        with self._reader.connect() as conn:
            rows = conn.execute(q).all()
        return [(_entity(r), int(r.documents)) for r in rows]

    # -- audit ----------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None) -> None:
        with self._writer.begin() as conn:
            conn.execute(
                insert(t.audit_log).values(
                    at=utcnow(), actor=actor, action=action, target=target, detail=json.dumps(detail or {})
                )
            )


def _production(r: Any) -> Production:
    return Production(id=r.id, collection_id=r.collection_id, name=r.name, created_at=_ts(r.created_at))


def _document(r: Any) -> Document:
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
        created_at=_ts(r.created_at),
        updated_at=_ts(r.updated_at),
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


def _entity_row(e: EntityRecord) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "name": e.name,
        "aliases": json.dumps(list(e.aliases)),
        "vendor_id": e.vendor_id,
        "source": e.source,
    }


def _entity(r: Any) -> EntityRecord:
    return EntityRecord(
        id=r.id,
        type=r.type,
        name=r.name,
        aliases=tuple(json.loads(r.aliases or "[]")),
        vendor_id=r.vendor_id,
        source=r.source,
    )
