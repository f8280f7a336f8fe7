"""Entity corrections in the catalog (on both engines, tests/catalog/conftest.py):
per collection, applied to reads and to the index projection, merges without cycles, re-index queued."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog import schema as t
from catalog.blobstore import LocalBlobStore
from catalog.corrections import Correction
from catalog.entity_stats import merged_group
from catalog.errors import Conflict
from catalog.models import DocumentResult, EntityRecord, MentionRecord, Page, PageSource
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from search.tantivy_backend import TantivyBackend

ACME = "organization:acme"
AXON = "vendor:axon"
CITY = "agency:city"


@dataclass
class Matters:
    a: str  # collection ids
    b: str
    a_only: str  # document ids
    shared: str
    b_only: str


def _store(catalog: SqlCatalog, blobs: LocalBlobStore, production_ids: list[str], body: bytes, ids: list[str]) -> str:
    doc_id = ""
    for production_id in production_ids:
        doc_id = (
            catalog.productions.add_file(production_id, "f.pdf", blobs.put_stream(io.BytesIO(body))).document_id or ""
        )
    job = catalog.jobs.claim_job("w", 60)
    assert job is not None and job.document_id == doc_id
    text = " ".join(ids)
    mentions = [MentionRecord(doc_id, 1, e, 10 * i, 10 * i + 4, e.split(":")[1]) for i, e in enumerate(ids)]
    result = DocumentResult(1, {}, None, [Page(doc_id, 1, text, PageSource.TEXT_LAYER, None)], mentions)
    catalog.jobs.complete_document(job.id, "w", doc_id, result)
    assert catalog.jobs.finish_indexing(job.id, catalog.jobs.links_to_index(doc_id))
    return doc_id


@pytest.fixture
def matters(catalog: SqlCatalog, tmp_path: Path) -> Matters:
    blobs = LocalBlobStore(tmp_path / "blobs")
    catalog.entities.upsert_entities(
        [
            EntityRecord(ACME, "organization", "Acme", source="ner"),
            EntityRecord(AXON, "vendor", "Axon"),
            EntityRecord(CITY, "agency", "City", source="ner"),
        ]
    )
    a, b = catalog.productions.ensure_collection("A"), catalog.productions.ensure_collection("B")
    pa, pb = catalog.productions.create_production(a.id, "PA"), catalog.productions.create_production(b.id, "PB")
    return Matters(
        a.id,
        b.id,
        _store(catalog, blobs, [pa.id], b"%PDF a", [ACME, CITY]),
        _store(catalog, blobs, [pa.id, pb.id], b"%PDF shared", [ACME, AXON, CITY]),
        _store(catalog, blobs, [pb.id], b"%PDF b", [ACME]),
    )


def _types(catalog: SqlCatalog, scope: tuple[str, ...]) -> dict[str, tuple[str, str, int]]:
    corrections = catalog.corrections.of_collections(scope)
    return {e.id: (e.type, e.name, n) for e, n in catalog.entity_stats.entity_document_counts(corrections, None, scope)}


def _job_statuses(catalog: SqlCatalog) -> dict[str, str]:
    with catalog.db.reader.connect() as conn:
        return {r.document_id: r.status for r in conn.execute(select(t.jobs)).all()}


def test_a_retype_and_rename_in_one_matter_leave_the_other_as_detected(catalog: SqlCatalog, matters: Matters) -> None:
    store = catalog.corrections
    store.save(Correction(matters.a, ACME, name="Acme Corp", type="vendor", updated_by="admin"))
    assert _types(catalog, (matters.a,))[ACME] == ("vendor", "Acme Corp", 2)
    assert _types(catalog, (matters.b,))[ACME] == ("organization", "Acme", 2)
    vendors = catalog.entity_stats.entity_document_counts(store.of_collections((matters.a,)), "vendor", (matters.a,))
    assert [e.id for e, _ in vendors] == [ACME, AXON]
    assert catalog.corrections.corrected_names((matters.a,)) == {ACME: "Acme Corp"}
    assert catalog.corrections.corrected_names((matters.b,)) == {}
    # The index carries a correction only where every collection holding the page made it.
    assert set(store.of_document(matters.a_only)) == {ACME}
    assert store.of_document(matters.shared) == {}
    assert store.of_document(matters.b_only) == {}
    # A's documents mentioning it go back to the queue's indexing state; B's own stays done.
    statuses = _job_statuses(catalog)
    assert (statuses[matters.a_only], statuses[matters.shared], statuses[matters.b_only]) == (
        "indexing",
        "indexing",
        "done",
    )


def test_the_index_projection_moves_a_retyped_entity_to_its_new_facet(
    catalog: SqlCatalog, matters: Matters, tmp_path: Path
) -> None:
    store = catalog.corrections
    store.save(Correction(matters.a, ACME, type="vendor", updated_by="admin"))
    store.save(Correction(matters.a, CITY, hidden=True, updated_by="admin"))
    index = TantivyBackend(tmp_path / "index")
    try:
        indexer = Indexer(catalog, index)
        (a_page,) = indexer.records_for(matters.a_only)
        assert a_page.entities == {"vendor": (ACME,)}  # hidden CITY gone, ACME a vendor
        (shared_page,) = indexer.records_for(matters.shared)
        assert shared_page.entities == {"vendor": (AXON,), "agency": (CITY,), "organization": (ACME,)}
        store.save(Correction(matters.b, ACME, type="vendor", updated_by="admin"))
        store.save(Correction(matters.b, CITY, hidden=True, updated_by="admin"))
        (shared_page,) = indexer.records_for(matters.shared)  # now both matters agree
        assert shared_page.entities == {"vendor": (ACME, AXON)}
    finally:
        index.close()


def test_a_merge_counts_under_its_target_and_refuses_cycles(catalog: SqlCatalog, matters: Matters) -> None:
    store = catalog.corrections
    store.save(Correction(matters.a, ACME, merged_into=AXON, updated_by="admin"))
    corrections = store.of_collections((matters.a,))
    assert merged_group(AXON, corrections) == sorted([ACME, AXON])
    assert catalog.entity_stats.entity_totals(merged_group(AXON, corrections), (matters.a,)) == (2, 3)
    listed = _types(catalog, (matters.a,))
    assert ACME not in listed and listed[AXON] == ("vendor", "Axon", 2)
    assert [(e.id, n) for e, n in catalog.entity_stats.co_mentioned(corrections, [CITY], (matters.a,))] == [(AXON, 2)]
    with pytest.raises(Conflict):
        store.save(Correction(matters.a, AXON, merged_into=ACME, updated_by="admin"))
    with pytest.raises(Conflict):
        store.save(Correction(matters.a, CITY, merged_into=CITY, updated_by="admin"))
    assert store.remove(matters.a, ACME) and not store.remove(matters.a, ACME)
    assert _types(catalog, (matters.a,))[ACME] == ("organization", "Acme", 2)


def test_a_hidden_entity_leaves_lists_and_co_mentions(catalog: SqlCatalog, matters: Matters) -> None:
    store = catalog.corrections
    store.save(Correction(matters.a, CITY, hidden=True, updated_by="admin"))
    corrections = store.of_collections((matters.a,))
    assert CITY not in _types(catalog, (matters.a,))
    assert CITY in _types(catalog, (matters.b,))
    assert [e.id for e, _ in catalog.entity_stats.co_mentioned(corrections, [ACME], (matters.a,))] == [AXON]
