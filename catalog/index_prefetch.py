"""What the page records of many documents are built from, read in a few queries instead of about ten per
document: a bulk tag re-indexes thousands of documents, and a query per document per table costs more
than the engine's own work (bench/bench_tags.py measured 16 ms a document, most of it round trips).

`PrefetchedSource` answers the reads of catalog.protocols.IndexSource for the documents it was made for,
from rows fetched in chunks; the indexer builds records from it exactly as from the catalog. Corrections
are the exception: where a holder of one of these documents has any, `of_document` asks the catalog (the
agreement rule lives there, once).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from catalog import schema as t
from catalog.corrections import Correction, EntityCorrections
from catalog.database import Database
from catalog.documents import _page, document_of
from catalog.entities import Entities
from catalog.errors import NotFound
from catalog.models import Document, DocumentStatus, EntityRecord, MentionRecord, Page, Production
from catalog.notes import Notes
from catalog.productions import production_of
from catalog.tags import AppliedTags

CHUNK = 400  # documents per query


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class _Documents:
    def __init__(
        self, docs: dict[str, Document], pages: dict[str, list[Page]], mentions: dict[str, list[MentionRecord]]
    ):
        self._docs, self._pages, self._mentions = docs, pages, mentions

    def get_document(self, document_id: str) -> Document:
        try:
            return self._docs[document_id]
        except KeyError:
            raise NotFound(f"no document {document_id}") from None

    def pages(self, document_id: str) -> list[Page]:
        return self._pages.get(document_id, [])

    def mentions(self, document_id: str) -> list[MentionRecord]:
        return self._mentions.get(document_id, [])

    def iter_documents(self, status: DocumentStatus | None = None, batch: int = 500) -> Iterator[Document]:
        return (d for d in self._docs.values() if status is None or d.status is status)


class _Entities:
    def __init__(self, entities: Entities) -> None:
        self._entities = entities
        self._known: dict[str, EntityRecord | None] = {}

    def entities_by_ids(self, ids: Sequence[str]) -> dict[str, EntityRecord]:
        missing = [i for i in dict.fromkeys(ids) if i not in self._known]
        if missing:
            found = self._entities.entities_by_ids(missing)
            self._known.update({i: found.get(i) for i in missing})
        return {i: e for i in ids if (e := self._known.get(i)) is not None}

    def get_entity(self, entity_id: str) -> EntityRecord:
        found = self.entities_by_ids([entity_id])
        if entity_id not in found:
            raise NotFound(f"no entity {entity_id}")
        return found[entity_id]

    def vendor_products(self, vendor_id: str) -> list[EntityRecord]:
        return self._entities.vendor_products(vendor_id)


class _Corrections:
    def __init__(self, corrections: EntityCorrections, corrected_collections: set[str], holders: dict[str, set[str]]):
        self._corrections, self._corrected, self._holders = corrections, corrected_collections, holders

    def of_document(self, document_id: str) -> dict[str, Correction]:
        if not self._holders.get(document_id, set()) & self._corrected:
            return {}  # no holder corrected anything: nothing to agree on
        return self._corrections.of_document(document_id)

    def of_collections(self, collection_ids: Sequence[str] | None) -> dict[str, Correction]:
        return self._corrections.of_collections(collection_ids)


class _Productions:
    def __init__(self, links: dict[str, list[tuple[Production, str]]]) -> None:
        self._links = links

    def links_of_document(self, document_id: str) -> list[tuple[Production, str]]:
        return self._links.get(document_id, [])


class _Tags:
    def __init__(self, applied: dict[str, AppliedTags]) -> None:
        self._applied = applied

    def applied(self, document_id: str, collection_ids: Sequence[str] | None) -> AppliedTags:
        found = self._applied.get(document_id, AppliedTags((), {}))
        if collection_ids is None:
            return found
        keep = set(collection_ids)
        return AppliedTags(
            tuple(x for x in found.document if x[0] in keep),
            {n: v for n, tags in found.pages.items() if (v := tuple(x for x in tags if x[0] in keep))},
        )


class PrefetchedSource:
    """IndexSource over the rows of `document_ids`, fetched once (SqlCatalog.prefetched makes it)."""

    def __init__(
        self,
        db: Database,
        entities: Entities,
        corrections: EntityCorrections,
        notes: Notes,
        document_ids: Sequence[str],
    ) -> None:
        ids = sorted(set(document_ids))
        docs: dict[str, Document] = {}
        pages: dict[str, list[Page]] = defaultdict(list)
        mentions: dict[str, list[MentionRecord]] = defaultdict(list)
        links: dict[str, list[tuple[Production, str]]] = defaultdict(list)
        holders: dict[str, set[str]] = defaultdict(set)
        doc_tags: dict[str, list[tuple[str, str]]] = defaultdict(list)
        page_tags: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        with db.reader.connect() as conn:
            for chunk in _chunks(ids):
                self._read(conn, chunk, docs, pages, mentions, links, holders, doc_tags, page_tags)
            corrected = {r[0] for r in conn.execute(select(t.entity_corrections.c.collection_id).distinct())}
        self.documents = _Documents(docs, pages, mentions)
        self.entities = _Entities(entities)
        self.corrections = _Corrections(corrections, corrected, holders)
        self.productions = _Productions(links)
        self.notes = notes  # read per document (few documents carry notes; catalog/notes.py owns their rules)
        self.tags = _Tags(
            {
                d: AppliedTags(
                    tuple(sorted(doc_tags.get(d, []))),
                    {n: tuple(sorted(v)) for n, v in sorted(page_tags[d].items())} if d in page_tags else {},
                )
                for d in ids
            }
        )

    @staticmethod
    def _read(conn: Connection, chunk: Sequence[str], *out: Any) -> None:
        docs, pages, mentions, links, holders, doc_tags, page_tags = out
        for r in conn.execute(select(t.documents).where(t.documents.c.id.in_(chunk))):
            docs[r.id] = document_of(r)
        q = select(t.pages).where(t.pages.c.document_id.in_(chunk)).order_by(t.pages.c.document_id, t.pages.c.number)
        for r in conn.execute(q):
            pages[r.document_id].append(_page(r))
        m = t.mentions.c
        q = select(t.mentions).where(m.document_id.in_(chunk)).order_by(m.document_id, m.page_number, m.start)
        for r in conn.execute(q):
            mentions[r.document_id].append(
                MentionRecord(
                    document_id=r.document_id,
                    page_number=r.page_number,
                    entity_id=r.entity_id,
                    start=r.start,
                    end=r.end,
                    text=r.text,
                )
            )
        files = t.production_files
        q = (
            select(t.productions, files.c.original_name, files.c.document_id.label("linked_document"))
            .join(files, files.c.production_id == t.productions.c.id)
            .where(files.c.document_id.in_(chunk))
            .order_by(files.c.added_at, files.c.id)
        )
        for r in conn.execute(q):
            links[r.linked_document].append((production_of(r), str(r.original_name)))
            holders[r.linked_document].add(r.collection_id)
        dt_, pt_ = t.document_tags.c, t.page_tags.c
        for r in conn.execute(select(dt_.document_id, dt_.collection_id, dt_.tag).where(dt_.document_id.in_(chunk))):
            doc_tags[r.document_id].append((r.collection_id, r.tag))
        q = select(pt_.document_id, pt_.page_number, pt_.collection_id, pt_.tag).where(pt_.document_id.in_(chunk))
        for r in conn.execute(q):
            page_tags[r.document_id][int(r.page_number)].append((r.collection_id, r.tag))
