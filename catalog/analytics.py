"""Redaction analytics in the catalog: boxes, page marks (kind, share redacted, failed redaction) and
near-duplicate bands, written in the worker's transaction (catalog/analytics_store.py) and read here by
the analytics endpoints.

Tables join the catalog's metadata (catalog.schema) so that migrations and schema checks see them;
revision 0003 creates them. Queries take the collection ids a caller may see (None: all) and apply them
through production_files -> productions, like the entity statistics (catalog/entity_stats.py).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    select,
)

from catalog import schema as t
from catalog.database import Database
from catalog.links import SETTLED
from catalog.models import DocumentStatus
from catalog.titles import metadata_title, reader_title

redaction_boxes = Table(
    "redaction_boxes",
    t.metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("page_number", Integer, nullable=False),
    # PDF points, origin at the top left of the page.
    Column("x0", Float, nullable=False),
    Column("y0", Float, nullable=False),
    Column("x1", Float, nullable=False),
    Column("y1", Float, nullable=False),
    Column("source", String(20), nullable=False),  # text_layer | image
    Column("codes", Text, nullable=False, default="[]"),  # JSON list of normalized codes
    Column("label", Text, nullable=False, default=""),
    Column("context", Text, nullable=False, default=""),  # visible words around the box
    Column("leaked", Boolean, nullable=False, default=False),
    Index("ix_redaction_boxes_document", "document_id", "page_number"),
)

page_marks = Table(
    "page_marks",
    t.metadata,
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("page_number", Integer, primary_key=True),
    Column("kind", String(30), nullable=False),
    Column("redacted_share", Float, nullable=False),
    Column("failed_redaction", Boolean, nullable=False),
    Column("minhash", Text),  # hex of NUM_PERM little-endian uint32, or null for a page too short
    Index("ix_page_marks_kind", "kind"),
)

page_bands = Table(
    "page_bands",
    t.metadata,
    Column("band", Integer, primary_key=True),
    Column("bucket", BigInteger, primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("page_number", Integer, primary_key=True),
    Index("ix_page_bands_document", "document_id"),
)


# -- signatures (pure) -------------------------------------------------------------------------------


def band_buckets(signature: Sequence[int], bands: int) -> list[tuple[int, int]]:
    """(band, bucket) for each band of the signature: pages sharing any pair are LSH candidates."""
    rows = len(signature) // bands
    out = []
    for band in range(bands):
        chunk = struct.pack(f"<{rows}I", *signature[band * rows : (band + 1) * rows])
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little") >> 1))  # 63 bits: fits a signed BIGINT
    return out


def encode_signature(signature: Sequence[int]) -> str:
    return struct.pack(f"<{len(signature)}I", *signature).hex()


def decode_signature(value: str) -> tuple[int, ...]:
    raw = bytes.fromhex(value)
    return tuple(struct.unpack(f"<{len(raw) // 4}I", raw))


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two pages' shingle sets: the share of equal MinHash values."""
    if not a or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint32) == np.asarray(b, dtype=np.uint32)))


# Bands used when storing; the ingest side's NUM_PERM must divide by it (ingest/neardup.py).
BANDS = 32


# -- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredBox:
    document_id: str
    page_number: int
    x0: float
    y0: float
    x1: float
    y1: float
    source: str
    codes: tuple[str, ...]
    label: str
    context: str
    leaked: bool

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)


@dataclass(frozen=True)
class StoredMark:
    document_id: str
    page_number: int
    kind: str
    redacted_share: float
    failed_redaction: bool


@dataclass(frozen=True)
class DocumentRow:
    """A visible document with what the analytics group by."""

    id: str
    title: str | None
    document_date: str | None
    bates_begin: str | None
    page_count: int | None
    production_ids: tuple[str, ...]


@dataclass(frozen=True)
class NearDuplicate:
    page_number: int
    other_document_id: str
    other_page_number: int
    similarity: float


class AnalyticsCatalog:
    """Read side of the analytics tables over the catalog's database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def documents(
        self, collection_ids: Sequence[str] | None, production_id: str | None = None
    ) -> dict[str, DocumentRow]:
        """Done documents the caller may see, optionally of one production, each titled from its own
        PDF metadata or else from the caller's first link to it (never another matter's file name)."""
        q = (
            select(
                t.documents.c.id,
                t.documents.c.pdf_metadata,
                t.documents.c.document_date,
                t.documents.c.bates_begin,
                t.documents.c.page_count,
                t.production_files.c.production_id,
                t.production_files.c.original_name,
            )
            .join(t.production_files, t.production_files.c.document_id == t.documents.c.id)
            .join(t.productions, t.productions.c.id == t.production_files.c.production_id)
            .where(t.documents.c.status == DocumentStatus.DONE.value, t.production_files.c.link_state == SETTLED)
            .order_by(t.production_files.c.added_at, t.production_files.c.id)
        )
        if collection_ids is not None:
            q = q.where(t.productions.c.collection_id.in_(list(collection_ids)))
        if production_id is not None:
            q = q.where(t.productions.c.id == production_id)
        found: dict[str, DocumentRow] = {}
        with self._db.reader.connect() as conn:
            for r in conn.execute(q):
                prev = found.get(r.id)
                productions = (*(prev.production_ids if prev else ()), r.production_id)
                own = metadata_title(json.loads(r.pdf_metadata or "{}"))
                title = prev.title if prev else reader_title(own, [r.original_name])
                found[r.id] = DocumentRow(
                    r.id, title, r.document_date, r.bates_begin, r.page_count, tuple(dict.fromkeys(productions))
                )
        return found

    def boxes(self, document_ids: Sequence[str]) -> list[StoredBox]:
        if not document_ids:
            return []
        rows: list[StoredBox] = []
        with self._db.reader.connect() as conn:
            for chunk in _chunks(document_ids):
                q = (
                    select(redaction_boxes)
                    .where(redaction_boxes.c.document_id.in_(chunk))
                    .order_by(
                        redaction_boxes.c.document_id,
                        redaction_boxes.c.page_number,
                        redaction_boxes.c.y0,
                        redaction_boxes.c.x0,
                    )
                )
                rows.extend(
                    StoredBox(
                        r.document_id,
                        r.page_number,
                        r.x0,
                        r.y0,
                        r.x1,
                        r.y1,
                        r.source,
                        tuple(json.loads(r.codes)),
                        r.label,
                        r.context,
                        bool(r.leaked),
                    )
                    for r in conn.execute(q)
                )
        return rows

    def marks(self, document_ids: Sequence[str]) -> list[StoredMark]:
        if not document_ids:
            return []
        out: list[StoredMark] = []
        with self._db.reader.connect() as conn:
            for chunk in _chunks(document_ids):
                q = (
                    select(
                        page_marks.c.document_id,
                        page_marks.c.page_number,
                        page_marks.c.kind,
                        page_marks.c.redacted_share,
                        page_marks.c.failed_redaction,
                    )
                    .where(page_marks.c.document_id.in_(chunk))
                    .order_by(page_marks.c.document_id, page_marks.c.page_number)
                )
                out.extend(StoredMark(r[0], r[1], r[2], float(r[3]), bool(r[4])) for r in conn.execute(q))
        return out

    def page_facts(self, document_ids: Sequence[str]) -> dict[tuple[str, int], tuple[tuple[str, ...], str | None]]:
        """Per page: the codes printed or cited on it (the nlp extractor's, on the page row), and its Bates."""
        out: dict[tuple[str, int], tuple[tuple[str, ...], str | None]] = {}
        if not document_ids:
            return out
        with self._db.reader.connect() as conn:
            for chunk in _chunks(document_ids):
                q = select(t.pages.c.document_id, t.pages.c.number, t.pages.c.exemptions, t.pages.c.bates).where(
                    t.pages.c.document_id.in_(chunk)
                )
                for r in conn.execute(q):
                    out[(r[0], r[1])] = (tuple(json.loads(r[2] or "[]")), r[3])
        return out

    def first_agencies(self, document_ids: Sequence[str]) -> dict[str, str]:
        """Each document's agency: the agency entity mentioned first (page, offset), usually the letterhead."""
        out: dict[str, tuple[int, int, str]] = {}
        if not document_ids:
            return {}
        with self._db.reader.connect() as conn:
            for chunk in _chunks(document_ids):
                q = (
                    select(
                        t.mentions.c.document_id, t.mentions.c.page_number, t.mentions.c.start, t.mentions.c.entity_id
                    )
                    .join(t.entities, t.entities.c.id == t.mentions.c.entity_id)
                    .where(t.mentions.c.document_id.in_(chunk), t.entities.c.type == "agency")
                )
                for doc, page, start, entity in conn.execute(q):
                    key = (page, start, entity)
                    if doc not in out or key < out[doc]:
                        out[doc] = key
        return {doc: v[2] for doc, v in out.items()}

    def near_duplicates(self, document_id: str, visible: Sequence[str] | None, threshold: float) -> list[NearDuplicate]:
        """Pages of other documents sharing an LSH bucket with a page of this one, verified on the
        stored signatures at `threshold` estimated Jaccard similarity. `visible`: document ids the
        caller may see (None: all)."""
        mine = page_bands.alias("mine")
        other = page_bands.alias("other")
        q = (
            select(mine.c.page_number, other.c.document_id, other.c.page_number)
            .join(other, and_(other.c.band == mine.c.band, other.c.bucket == mine.c.bucket))
            .where(mine.c.document_id == document_id, other.c.document_id != document_id)
            .distinct()
        )
        with self._db.reader.connect() as conn:
            candidates = [(r[0], r[1], r[2]) for r in conn.execute(q)]
            if visible is not None:
                allowed = set(visible)
                candidates = [c for c in candidates if c[1] in allowed]
            wanted = {(document_id, c[0]) for c in candidates} | {(c[1], c[2]) for c in candidates}
            signatures = self._signatures(conn, wanted)
        found = []
        for page, other_doc, other_page in candidates:
            a, b = signatures.get((document_id, page)), signatures.get((other_doc, other_page))
            if a and b:
                score = similarity(a, b)
                if score >= threshold:
                    found.append(NearDuplicate(page, other_doc, other_page, round(score, 3)))
        found.sort(key=lambda d: (d.page_number, -d.similarity, d.other_document_id, d.other_page_number))
        return found

    def _signatures(self, conn: Connection, keys: set[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, ...]]:
        by_doc: dict[str, set[int]] = defaultdict(set)
        for doc, page in keys:
            by_doc[doc].add(page)
        out: dict[tuple[str, int], tuple[int, ...]] = {}
        for doc, pages in by_doc.items():
            q = select(page_marks.c.page_number, page_marks.c.minhash).where(
                page_marks.c.document_id == doc, page_marks.c.page_number.in_(sorted(pages))
            )
            for page, value in conn.execute(q):
                if value:
                    out[(doc, page)] = decode_signature(value)
        return out

    def mark_counts(self) -> int:
        with self._db.reader.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(page_marks)).scalar() or 0)


def _chunks(values: Sequence[str], size: int = 500) -> list[list[str]]:
    items = list(values)
    return [items[i : i + size] for i in range(0, len(items), size)]
