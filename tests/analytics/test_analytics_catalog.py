"""The analytics tables through the catalog on SQLite and, when scripts/postgres/start.sh runs,
PostgreSQL (each test in its own schema): stored in the worker's transaction, read back, scoped, and
near duplicates found through the LSH bands with a SQL join."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.database import sqlite_url
from catalog.models import DocumentResult, Page, PageMark, PageSource, RedactionBox
from catalog.sql import SqlCatalog
from ingest.neardup import THRESHOLD, signature
from tests.catalog.postgres import fresh_schema

BODY = (
    "The pilot ran from March to June with the Rekognition service hosted in the agency cloud account. "
    "Results were shared with the program office and the contractor reviewed every match by hand before "
    "any lead was sent to a field office for follow up. "
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlCatalog]:
    with ExitStack() as stack:
        url = sqlite_url(tmp_path / "c.sqlite") if request.param == "sqlite" else stack.enter_context(fresh_schema())
        c = SqlCatalog(url)
        c.create_schema()
        yield c
        c.close()


def _store(catalog: SqlCatalog, blobs: LocalBlobStore, collection: str, name: str, text_: str, boxes: int) -> str:
    production = catalog.productions.get_or_create_production(
        catalog.productions.ensure_collection(collection).id, name
    )
    record = catalog.productions.add_file(
        production.id, f"{name}.pdf", blobs.put_stream(io.BytesIO(f"%PDF-1.4 {name}".encode()))
    )
    job = catalog.jobs.claim_job("w", 60)
    assert job is not None and record.document_id == job.document_id
    result = DocumentResult(
        page_count=1,
        pdf_metadata={},
        title=name,
        pages=[Page(job.document_id, 1, text_, PageSource.TEXT_LAYER, None, "X-1", ("b6",))],
        mentions=[],
        redaction_boxes=[
            RedactionBox(1, 72 + 60 * i, 100, 120 + 60 * i, 112, "text_layer", ("b6",), "(b)(6)", False, "a [...] b")
            for i in range(boxes)
        ],
        page_marks=[PageMark(1, "content", 0.05 * boxes, False, signature(text_))],
    )
    catalog.jobs.complete_document(job.id, "w", job.document_id, result)
    catalog.jobs.finish_indexing(
        job.id, catalog.jobs.links_to_index(job.document_id)
    )  # as the worker does once indexed
    return job.document_id


def test_stored_read_back_and_near_duplicates_by_band_join(catalog: SqlCatalog, tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    first = _store(catalog, blobs, "one", "first", BODY + "Contact (b)(6) for details.", 2)
    again = _store(catalog, blobs, "two", "again", BODY + "Contact Agent Ruiz for details.", 1)
    other = _store(catalog, blobs, "two", "other", "A letter about body cameras and their batteries. " * 6, 0)
    store = catalog.analytics
    assert len(store.boxes([first])) == 2 and store.boxes([first])[0].codes == ("b6",)
    assert {m.document_id: m.redacted_share for m in store.marks([first, again])} == {first: 0.1, again: 0.05}
    pairs = store.near_duplicates(again, None, THRESHOLD)
    assert [(p.other_document_id, p.page_number, p.other_page_number) for p in pairs] == [(first, 1, 1)]
    assert store.near_duplicates(again, [again, other], THRESHOLD) == []  # the first is not visible
    visible = store.documents([catalog.productions.collection_by_name("two").id])
    assert set(visible) == {again, other}
    assert store.page_facts([first])[(first, 1)] == (("b6",), "X-1")
