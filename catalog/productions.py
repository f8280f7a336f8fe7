"""Collections, productions and the files that arrive in them (intake's side of the catalog).

A file arrives as a link from a production to a document (catalog/links.py): the first arrival of an
original also makes its document and queues its job.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from catalog import schema as t
from catalog.blobstore import StoredBlob
from catalog.database import Database, document_id_for, new_id, ts, utcnow
from catalog.errors import Conflict, InvalidName, NotFound
from catalog.job_states import enqueue
from catalog.links import REJECTED, SETTLED, file_status, insert_new, link_file, record_of, status_clause
from catalog.models import (
    ALL_COLLECTIONS,
    Collection,
    DocumentStatus,
    FileCounts,
    FileStatus,
    PageCounts,
    PageSource,
    Production,
    ProductionFile,
    Progress,
)
from catalog.titles import shown_name

DEFAULT_COLLECTION = "default"


class Productions:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- collections and productions ------------------------------------------------------------

    def ensure_collection(self, name: str) -> Collection:
        if name.strip() == ALL_COLLECTIONS:
            raise InvalidName(f"a collection may not be called {ALL_COLLECTIONS!r}: it means every collection")
        with self._db.writer.begin() as conn:
            row = conn.execute(select(t.collections).where(t.collections.c.name == name)).first()
            if row is None:
                cid, now = new_id("col"), utcnow()
                conn.execute(insert(t.collections).values(id=cid, name=name, created_at=now))
                return Collection(id=cid, name=name, created_at=ts(now))
            return _collection(row)

    def list_collections(self) -> list[Collection]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(select(t.collections).order_by(t.collections.c.name)).all()
        return [_collection(r) for r in rows]

    def collection_by_name(self, name: str) -> Collection:
        with self._db.reader.connect() as conn:
            r = conn.execute(select(t.collections).where(t.collections.c.name == name)).first()
        if r is None:
            raise NotFound(f"no collection named {name!r}")
        return _collection(r)

    def create_production(self, collection_id: str, name: str) -> Production:
        with self._db.writer.begin() as conn:
            exists = conn.execute(
                select(t.productions.c.id).where(
                    t.productions.c.collection_id == collection_id, t.productions.c.name == name
                )
            ).first()
            if exists is not None:
                raise Conflict(f"a production named {name!r} already exists in this collection")
            pid, now = new_id("prd"), utcnow()
            conn.execute(insert(t.productions).values(id=pid, collection_id=collection_id, name=name, created_at=now))
        return Production(id=pid, collection_id=collection_id, name=name, created_at=ts(now))

    def get_or_create_production(self, collection_id: str, name: str) -> Production:
        try:
            return self.create_production(collection_id, name)
        except Conflict:
            return self.production_by_name(collection_id, name)

    def production_by_name(self, collection_id: str, name: str) -> Production:
        return self._one_production(
            t.productions.c.collection_id == collection_id, t.productions.c.name == name, missing=f"named {name!r}"
        )

    def get_production(self, production_id: str) -> Production:
        return self._one_production(t.productions.c.id == production_id, missing=production_id)

    def _one_production(self, *where: Any, missing: str) -> Production:
        with self._db.reader.connect() as conn:
            r = conn.execute(select(t.productions).where(*where)).first()
        if r is None:
            raise NotFound(f"no production {missing}")
        return production_of(r)

    def list_productions(self, collection_ids: Sequence[str] | None = None) -> list[Production]:
        q = select(t.productions).order_by(t.productions.c.created_at, t.productions.c.id)
        if collection_ids is not None:
            q = q.where(t.productions.c.collection_id.in_(list(collection_ids)))
        with self._db.reader.connect() as conn:
            return [production_of(r) for r in conn.execute(q).all()]

    # -- intake ---------------------------------------------------------------------------------

    def add_file(self, production_id: str, original_name: str, blob: StoredBlob) -> ProductionFile:
        """Link an arrived original to a production (catalog/links.py); queue it the first time it is seen."""
        doc_id = document_id_for(blob.sha256)
        now = utcnow()
        with self._db.writer.begin() as conn:
            seen = conn.execute(select(t.documents.c.id).where(t.documents.c.id == doc_id)).first()
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
                if inserted.first() is not None:  # None: a concurrent upload (PostgreSQL) made and queued it
                    enqueue(conn, doc_id, now)
            return link_file(conn, production_id, doc_id, original_name, new_id("fil"), now, lock=self._db.locks_rows)

    def reject_file(self, production_id: str, original_name: str, reason: str) -> ProductionFile:
        """Record a file that never became a document (unsafe archive member, over a limit...)."""
        fid, now = new_id("fil"), utcnow()
        with self._db.writer.begin() as conn:
            conn.execute(
                insert(t.production_files).values(
                    id=fid,
                    production_id=production_id,
                    document_id=None,
                    original_name=original_name,
                    link=REJECTED,
                    link_state=SETTLED,
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
            added_at=ts(now),
        )

    # -- reading --------------------------------------------------------------------------------

    def progress(self, production_id: str) -> Progress:
        files = t.production_files
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(files.c.link, files.c.link_state, t.documents.c.status, func.count())
                .select_from(files.outerjoin(t.documents, t.documents.c.id == files.c.document_id))
                .where(files.c.production_id == production_id)
                .group_by(files.c.link, files.c.link_state, t.documents.c.status)
            ).all()
            counts = {s.value: 0 for s in FileStatus}
            for link, state, status, n in rows:
                counts[file_status(link, state, status).value] += n
            # Pages count once the index shows them in this production: the same for a file another matter
            # already held as for a file nobody had seen.
            docs = select(files.c.document_id).where(
                files.c.production_id == production_id, files.c.link_state == SETTLED
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
        files = t.production_files
        q = (
            select(files, t.documents.c.status.label("doc_status"), t.documents.c.error.label("doc_error"))
            .select_from(files.outerjoin(t.documents, t.documents.c.id == files.c.document_id))
            .where(files.c.production_id == production_id)
            .order_by(files.c.id)
        )
        if after is not None:
            q = q.where(files.c.id > after)
        if status is not None:
            q = q.where(status_clause(status))
        with self._db.reader.connect() as conn:
            rows = conn.execute(q.limit(limit)).all()
        return [record_of(r, r.doc_status, r.doc_error) for r in rows]

    # -- the links of a document ----------------------------------------------------------------

    def productions_of_document(self, document_id: str, shown_only: bool = False) -> list[Production]:
        """Every production holding the document (what its index records carry), or with shown_only those
        whose link the index already shows: a matter sees a document from the moment it can find it."""
        files = t.production_files
        holding = select(files.c.production_id).where(files.c.document_id == document_id)
        if shown_only:
            holding = holding.where(files.c.link_state == SETTLED)
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.productions).where(t.productions.c.id.in_(holding)).order_by(t.productions.c.created_at)
            ).all()
        return [production_of(r) for r in rows]

    def links_of_document(self, document_id: str) -> list[tuple[Production, str]]:
        """Every production the document is linked into with the name it has there, oldest link first."""
        files = t.production_files
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.productions, files.c.original_name)
                .join(files, files.c.production_id == t.productions.c.id)
                .where(files.c.document_id == document_id)
                .order_by(files.c.added_at, files.c.id)
            ).all()
        return [(production_of(r), str(r.original_name)) for r in rows]

    def document_collections(self, document_id: str) -> set[str]:
        files = t.production_files
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(t.productions.c.collection_id)
                .join(files, files.c.production_id == t.productions.c.id)
                .where(files.c.document_id == document_id)
            ).all()
        return {r[0] for r in rows}

    def file_names_of(self, document_ids: Sequence[str], production_ids: Sequence[str] | None) -> dict[str, list[str]]:
        """The names each document was uploaded under (without folders, each once, oldest first), in the
        given productions (None: all)."""
        if not document_ids:
            return {}
        files = t.production_files
        query = (
            select(files.c.document_id, files.c.original_name)
            .where(files.c.document_id.in_(sorted(set(document_ids))))
            .order_by(files.c.added_at, files.c.id)
        )
        if production_ids is not None:
            query = query.where(files.c.production_id.in_(sorted(production_ids)))
        names: dict[str, list[str]] = {}
        with self._db.reader.connect() as conn:
            for document_id, original_name in conn.execute(query):
                shown = shown_name(str(original_name))
                seen = names.setdefault(str(document_id), [])
                if shown not in seen:
                    seen.append(shown)
        return names


def _collection(r: Any) -> Collection:
    return Collection(id=r.id, name=r.name, created_at=ts(r.created_at))


def production_of(r: Any) -> Production:
    return Production(id=r.id, collection_id=r.collection_id, name=r.name, created_at=ts(r.created_at))
