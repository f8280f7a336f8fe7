"""The catalog's promises: each original stored and processed once, leases, all-or-nothing documents."""

from __future__ import annotations

import dataclasses
import io
import time

import pytest

from catalog.blobstore import BlobTooLarge, LocalBlobStore
from catalog.errors import Conflict, LeaseLost
from catalog.models import DocumentResult, DocumentStatus, FileStatus, Page, PageSource
from catalog.sql import SqlCatalog


def _result(doc_id: str, pages: int) -> DocumentResult:
    return DocumentResult(
        page_count=pages,
        pdf_metadata={},
        title=None,
        pages=[Page(doc_id, n, f"page {n}", PageSource.TEXT_LAYER, None) for n in range(1, pages + 1)],
        mentions=[],
    )


def test_blob_store_is_content_addressed(blobs: LocalBlobStore) -> None:
    first = blobs.put_stream(io.BytesIO(b"%PDF-1.4 same"))
    second = blobs.put_stream(io.BytesIO(b"%PDF-1.4 same"))
    assert (first.sha256, first.size) == (second.sha256, second.size)
    assert first.created and not second.created  # the second put found it stored
    assert blobs.path(first.sha256).read_bytes() == b"%PDF-1.4 same"
    assert list(blobs.iter_hashes()) == [first.sha256]


def test_blob_store_refuses_oversized_streams_and_keeps_nothing(blobs: LocalBlobStore) -> None:
    with pytest.raises(BlobTooLarge):
        blobs.put_stream(io.BytesIO(b"x" * 100), max_bytes=10)
    assert list(blobs.iter_hashes()) == []
    assert list((blobs.root / "tmp").iterdir()) == []


def test_same_file_twice_is_stored_and_queued_once_and_linked_to_both(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    col = catalog.productions.ensure_collection("matter")
    a = catalog.productions.create_production(col.id, "A")
    b = catalog.productions.create_production(col.id, "B")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 one"))
    first = catalog.productions.add_file(a.id, "one.pdf", blob)
    again = catalog.productions.add_file(a.id, "copy of one.pdf", blob)
    other = catalog.productions.add_file(b.id, "one.pdf", blob)
    assert first.status is FileStatus.PENDING
    assert again.id == first.id  # one file, one row per production
    assert other.status is FileStatus.PENDING  # `duplicate` once indexed in B (test_linking_catalog.py)
    assert first.document_id == other.document_id
    job = catalog.jobs.claim_job("w1", 60)
    assert job is not None and job.document_id == first.document_id
    assert catalog.jobs.claim_job("w2", 60) is None  # one job for the one original
    assert {p.name for p in catalog.productions.productions_of_document(first.document_id or "")} == {"A", "B"}


def test_production_names_are_unique_per_collection(catalog: SqlCatalog) -> None:
    one, two = catalog.productions.ensure_collection("one"), catalog.productions.ensure_collection("two")
    catalog.productions.create_production(one.id, "FBI 2019-11")
    catalog.productions.create_production(two.id, "FBI 2019-11")
    with pytest.raises(Conflict):
        catalog.productions.create_production(one.id, "FBI 2019-11")


def test_expired_lease_is_claimed_again_and_the_old_worker_cannot_store(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "P")
    record = catalog.productions.add_file(prod.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 a")))
    dead = catalog.jobs.claim_job("dead-worker", lease_seconds=1.0)
    assert dead is not None
    assert catalog.jobs.claim_job("other", 60) is None  # lease still held
    time.sleep(1.1)
    alive = catalog.jobs.claim_job("live-worker", 60)
    assert alive is not None and alive.id == dead.id and alive.attempts == 2
    with pytest.raises(LeaseLost):
        catalog.jobs.complete_document(
            dead.id, "dead-worker", record.document_id or "", _result(record.document_id or "", 2)
        )
    catalog.jobs.complete_document(
        alive.id, "live-worker", record.document_id or "", _result(record.document_id or "", 2)
    )
    assert [p.number for p in catalog.documents.pages(record.document_id or "")] == [1, 2]
    assert catalog.documents.get_document(record.document_id or "").status is DocumentStatus.DONE


def test_a_file_that_keeps_killing_workers_fails_after_max_attempts(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "P")
    record = catalog.productions.add_file(prod.id, "poison.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 p")))
    for _ in range(2):
        assert catalog.jobs.claim_job("w", lease_seconds=0.01) is not None
        time.sleep(0.02)
    assert catalog.jobs.claim_job("w", 60) is None
    failed = catalog.productions.list_files(prod.id, FileStatus.FAILED)
    assert [f.document_id for f in failed] == [record.document_id]
    assert "attempts" in (failed[0].error or "")


def test_progress_counts_every_status_and_retry_requeues_failures(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "P")
    good = catalog.productions.add_file(prod.id, "good.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 good")))
    bad = catalog.productions.add_file(prod.id, "bad.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 bad")))
    catalog.productions.add_file(prod.id, "good again.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 good")))
    catalog.productions.reject_file(prod.id, "notes.txt", "not a PDF")
    assert good.document_id is not None and bad.document_id is not None
    first = catalog.jobs.claim_job("w", 60)
    second = catalog.jobs.claim_job("w", 60)
    assert first and second
    jobs = {first.document_id: first, second.document_id: second}
    catalog.jobs.complete_document(
        jobs[good.document_id].id, "w", good.document_id or "", _result(good.document_id or "", 3)
    )
    assert (
        catalog.productions.progress(prod.id).files.processing == 2
    )  # good stored but not yet searchable, bad claimed
    catalog.jobs.finish_indexing(jobs[good.document_id].id, catalog.jobs.links_to_index(good.document_id or ""))
    catalog.jobs.fail_document(jobs[bad.document_id].id, "w", bad.document_id or "", "corrupt")
    progress = catalog.productions.progress(prod.id)
    # "good again.pdf" is good.pdf's row: one file, one row per production
    assert (progress.files.total, progress.files.done, progress.files.failed, progress.files.duplicate) == (3, 1, 2, 0)
    assert (progress.pages.total, progress.pages.text_layer, progress.pages.ocr) == (3, 3, 0)
    assert progress.finished
    reasons = {f.original_name: f.error for f in catalog.productions.list_files(prod.id, FileStatus.FAILED)}
    assert reasons == {"bad.pdf": "corrupt", "notes.txt": "not a PDF"}
    assert catalog.jobs.retry_failed(prod.id) == 1
    assert catalog.productions.progress(prod.id).files.pending == 1


def _job_status(catalog: SqlCatalog, job_id: str) -> str:
    from sqlalchemy import select

    from catalog import schema as t

    with catalog.db.reader.connect() as conn:
        return str(conn.execute(select(t.jobs.c.status).where(t.jobs.c.id == job_id)).scalar_one())


def test_a_stored_document_stays_claimable_until_it_is_indexed(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    """Stored is not findable: the job ends only when the index has the document, so a worker killed
    between the two (or an index that refused it) leaves the indexing to the next worker, not to no one."""
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "P")
    record = catalog.productions.add_file(prod.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 a")))
    doc_id = record.document_id or ""
    stored_by = catalog.jobs.claim_job("killed-after-storing", lease_seconds=2.0)
    assert stored_by is not None
    catalog.jobs.complete_document(stored_by.id, "killed-after-storing", doc_id, _result(doc_id, 2))
    assert catalog.documents.get_document(doc_id).status is DocumentStatus.DONE  # stored: the production counts it
    assert _job_status(catalog, stored_by.id) == "indexing"
    assert catalog.jobs.claim_job("other", 60) is None and not catalog.jobs.has_claimable_jobs()  # its lease still runs
    time.sleep(2.1)
    assert catalog.jobs.has_claimable_jobs()
    indexer = catalog.jobs.claim_job("other", 60)
    assert indexer is not None and (indexer.id, indexer.status) == (stored_by.id, "indexing")
    assert indexer.attempts == stored_by.attempts  # indexing again is no attempt at the file: it never fails it
    assert catalog.documents.get_document(doc_id).status is DocumentStatus.DONE

    catalog.jobs.postpone_indexing(indexer.id, "other", seconds=1.5)  # the index refused it
    assert catalog.jobs.claim_job("third", 60) is None
    time.sleep(1.6)
    again = catalog.jobs.claim_job("third", 60)
    assert again is not None and again.status == "indexing"

    catalog.jobs.release_job(again.id, "third")  # SIGTERM: handed back at once, still only to be indexed
    last = catalog.jobs.claim_job("fourth", 60)
    assert last is not None and last.status == "indexing"
    assert catalog.jobs.finish_indexing(last.id, catalog.jobs.links_to_index(doc_id))
    assert _job_status(catalog, last.id) == "done"
    assert catalog.jobs.claim_job("fifth", 0.01) is None
    time.sleep(0.05)
    assert catalog.jobs.claim_job("fifth", 60) is None


def test_page_bates_lists_each_pages_stamp_in_page_order(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "P")
    record = catalog.productions.add_file(prod.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 b")))
    job = catalog.jobs.claim_job("w", 60)
    assert job is not None
    doc_id = record.document_id or ""
    stamps = ["FBI-000120", None, "FBI-000122"]
    result = _result(doc_id, len(stamps))
    result = dataclasses.replace(
        result, pages=[dataclasses.replace(p, bates=b) for p, b in zip(result.pages, stamps, strict=True)]
    )
    catalog.jobs.complete_document(job.id, "w", doc_id, result)
    assert catalog.documents.page_bates(doc_id) == stamps
    assert catalog.documents.page_bates("doc_none") == []
