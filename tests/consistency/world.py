"""Generated productions with known truth, stored through the real catalog and indexed by the real indexer.

Page records are generated directly (no PDF, no OCR, no NLP: ingest would cost minutes per world and
the truth here is about the screens agreeing, not about extraction): each page's text is filler with
phrases, proximity pairs at chosen distances and negated words planted at known word positions
(tests/search/planted.py), its entity mentions at the offsets of the words that name them, its exemption
codes, and redaction boxes whose codes are among the page's. The documents then go the way a worker
takes them: an original in the blob store, a file in a production, the job claimed, the result stored in
one transaction, the document indexed and its job finished, so every screen reads what a real one reads.

Sizes stay well under the ~150 documents per facet value above which tantivy's facet counts are
estimates (search/README.md).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from catalog.blobstore import LocalBlobStore
from catalog.models import DocumentResult, EntityRecord, MentionRecord, Page, PageMark, PageSource, RedactionBox
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from tests.search.planted import Planted

VENDORS = {"Palantir": "vendor:palantir", "Clearview": "vendor:clearview-ai", "Amazon": "vendor:amazon"}
ENTITIES = [
    EntityRecord("vendor:palantir", "vendor", "Palantir"),
    EntityRecord("vendor:clearview-ai", "vendor", "Clearview AI"),
    EntityRecord("vendor:amazon", "vendor", "Amazon"),
]
CODES = ("b4", "b5", "b6", "b7C")
DISTANCES = (0, 2, 4, 7, 12, 40)  # filler words between "Clearview" and "trial"
WORKER = "consistency-world"


@dataclass
class GeneratedPage:
    number: int
    planted: Planted
    codes: tuple[str, ...]
    boxes: list[tuple[str, ...]]  # each box's codes, a non-empty subset of the page's codes


@dataclass
class GeneratedDocument:
    key: str
    productions: list[int]  # indexes of the productions holding it (a document may be in two)
    date: dt.date | None
    pages: list[GeneratedPage] = field(default_factory=list)


@dataclass
class World:
    catalog: SqlCatalog
    production_ids: list[str]
    documents: dict[str, GeneratedDocument]  # by document id


def generate(seed: int, documents: int = 28) -> list[GeneratedDocument]:
    rng = random.Random(seed)
    out = []
    for n in range(documents):
        holders = [n % 2] if rng.random() < 0.85 else [0, 1]
        date = None if rng.random() < 0.15 else dt.date(2017, 1, 1) + dt.timedelta(days=rng.randint(0, 1400))
        doc = GeneratedDocument(f"gen-{seed}-{n:03d}", holders, date)
        for number in range(1, rng.randint(1, 3) + 1):
            doc.pages.append(_page(rng, number, n))
        out.append(doc)
    return out


def _page(rng: random.Random, number: int, n: int) -> GeneratedPage:
    page = Planted()
    page.fill(rng.randint(1, 5), seed=n + number)
    if rng.random() < 0.4:
        page.add("phrase", "face", "recognition")
    elif rng.random() < 0.5:  # the words of the phrase, never side by side
        page.add("decoy", "iris", "recognition")
        page.fill(2, seed=number)
        page.add("decoy", "Face")
    page.fill(2, seed=n)
    if rng.random() < 0.5:
        gap = rng.choice(DISTANCES)
        page.add("Clearview", "Clearview")
        page.fill(gap, seed=n + 3)
        page.add("trial", "trial")
    page.fill(2, seed=number + 5)
    for word in ("Palantir", "Amazon"):
        if rng.random() < 0.35:
            page.add(word, word)
            page.fill(rng.randint(1, 3), seed=n)
    codes = tuple(sorted(rng.sample(CODES, rng.choice((0, 0, 1, 1, 2)))))
    boxes = [tuple(sorted({c} | set(rng.sample(codes, rng.randint(0, len(codes)))))) for c in codes]
    return GeneratedPage(number, page, codes, boxes)


def build(catalog: SqlCatalog, blobs: LocalBlobStore, indexer: Indexer, generated: list[GeneratedDocument]) -> World:
    catalog.entities.upsert_entities(ENTITIES)
    collection = catalog.productions.ensure_collection("default")
    productions = [catalog.productions.get_or_create_production(collection.id, f"Release {i + 1}") for i in range(2)]
    documents: dict[str, GeneratedDocument] = {}
    for doc in generated:
        blob = blobs.put_stream(io.BytesIO(f"%PDF-1.7 generated {doc.key}".encode()))
        files = [catalog.productions.add_file(productions[i].id, f"{doc.key}.pdf", blob) for i in doc.productions]
        document_id = files[0].document_id
        assert document_id is not None
        job = catalog.jobs.claim_job(WORKER, 600)
        assert job is not None and job.document_id == document_id
        catalog.jobs.complete_document(job.id, WORKER, document_id, _result(document_id, doc))
        links = catalog.jobs.links_to_index(document_id)
        indexer.index_document(document_id)
        assert catalog.jobs.finish_indexing(job.id, links)
        documents[document_id] = doc
    return World(catalog, [p.id for p in productions], documents)


def _result(document_id: str, doc: GeneratedDocument) -> DocumentResult:
    pages, mentions, boxes, marks = [], [], [], []
    for page in doc.pages:
        text = page.planted.text
        pages.append(
            Page(document_id, page.number, text, PageSource.TEXT_LAYER, None, bates=None, exemptions=page.codes)
        )
        for word, entity_id in VENDORS.items():
            for (index,) in page.planted.marks.get(word, []):
                start, end = page.planted.span(index, index)
                mentions.append(MentionRecord(document_id, page.number, entity_id, start, end, text[start:end]))
        for i, codes in enumerate(page.boxes):
            top = 100.0 + 40 * i
            boxes.append(RedactionBox(page.number, 72.0, top, 300.0, top + 20, "text_layer", codes=codes))
        marks.append(PageMark(page.number, redacted_share=0.05 * len(page.boxes)))
    return DocumentResult(
        page_count=len(pages),
        pdf_metadata={},
        title=f"Record {doc.key}",
        pages=pages,
        mentions=mentions,
        document_date=doc.date,
        date_source="text:memo_date" if doc.date else None,
        redaction_boxes=boxes,
        page_marks=marks,
    )
