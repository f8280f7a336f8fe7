"""A file linked to a document that is already done: queued for indexing, read like any new file, once
per production (catalog/links.py). On both engines (tests/catalog/conftest.py)."""

from __future__ import annotations

import io
import time

from sqlalchemy import select

from catalog import schema as t
from catalog.blobstore import LocalBlobStore, StoredBlob
from catalog.models import FileStatus, Production
from catalog.sql import SqlCatalog
from tests.catalog.test_sql_catalog import _result


def _job_status(catalog: SqlCatalog, document_id: str) -> str:
    with catalog.db.reader.connect() as conn:
        return str(conn.execute(select(t.jobs.c.status).where(t.jobs.c.document_id == document_id)).scalar_one())


def _process(catalog: SqlCatalog, worker: str, pages: int = 2, fail: str | None = None) -> str:
    """What a worker does with the next job: store (or fail) the document, then index it. Returns its id."""
    job = catalog.jobs.claim_job(worker, 60)
    assert job is not None
    if job.status == "running":
        if fail is not None:
            catalog.jobs.fail_document(job.id, worker, job.document_id, fail)
            return job.document_id
        catalog.jobs.complete_document(job.id, worker, job.document_id, _result(job.document_id, pages))
    assert catalog.jobs.finish_indexing(job.id, catalog.jobs.links_to_index(job.document_id))
    return job.document_id


def _upload(catalog: SqlCatalog, production: Production, name: str, blob: StoredBlob) -> FileStatus:
    return catalog.productions.add_file(production.id, name, blob).status


def _files(catalog: SqlCatalog, production: Production) -> tuple[int, int, int, int, int, int]:
    f = catalog.productions.progress(production.id).files
    return f.total, f.pending, f.processing, f.done, f.failed, f.duplicate


def test_a_file_another_matter_holds_reads_like_a_new_file_and_is_indexed_through_the_queue(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    a = catalog.productions.create_production(catalog.productions.ensure_collection("matter-a").id, "A release")
    b = catalog.productions.create_production(catalog.productions.ensure_collection("matter-b").id, "B release")
    shared = blobs.put_stream(io.BytesIO(b"%PDF-1.4 shared"))
    fresh = blobs.put_stream(io.BytesIO(b"%PDF-1.4 fresh"))
    assert _upload(catalog, a, "a-name.pdf", shared) is FileStatus.PENDING
    _process(catalog, "w1", pages=3)
    assert _job_status(catalog, catalog.productions.list_files(a.id)[0].document_id or "") == "done"

    # Matter B sends the same bytes and bytes nobody has: the answers and the counts cannot tell them apart.
    assert _upload(catalog, b, "b-name.pdf", shared) is FileStatus.PENDING
    assert _upload(catalog, b, "b-fresh.pdf", fresh) is FileStatus.PENDING
    progress = catalog.productions.progress(b.id)
    assert _files(catalog, b) == (2, 2, 0, 0, 0, 0)
    assert (progress.pages.total, progress.pages.text_layer) == (0, 0)
    assert {f.status for f in catalog.productions.list_files(b.id)} == {FileStatus.PENDING}
    assert sorted(f.original_name for f in catalog.productions.list_files(b.id, FileStatus.PENDING)) == [
        "b-fresh.pdf",
        "b-name.pdf",
    ]

    # Both go through the queue; the known one is only indexed again (claimed as `indexing`, no attempt).
    first = catalog.jobs.claim_job("w2", 60)
    second = catalog.jobs.claim_job("w2", 60)
    assert first is not None and second is not None and catalog.jobs.claim_job("w3", 60) is None
    assert {first.status, second.status} == {"indexing", "running"}
    assert _files(catalog, b) == (2, 0, 2, 0, 0, 0)
    for job in (first, second):
        if job.status == "running":
            catalog.jobs.complete_document(job.id, "w2", job.document_id, _result(job.document_id, 1))
        assert catalog.jobs.finish_indexing(job.id, catalog.jobs.links_to_index(job.document_id))
    assert _files(catalog, b) == (2, 0, 0, 2, 0, 0)
    assert catalog.productions.progress(b.id).pages.total == 3 + 1
    assert catalog.productions.progress(a.id).pages.total == 3  # matter A's count never moved
    shared_id = catalog.productions.list_files(a.id)[0].document_id or ""
    assert {p.name for p in catalog.productions.productions_of_document(shared_id)} == {"A release", "B release"}
    assert _job_status(catalog, shared_id) == "done"


def test_a_duplicate_is_content_already_in_the_uploaders_own_collection(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    matter = catalog.productions.ensure_collection("matter")
    first = catalog.productions.create_production(matter.id, "Release 1")
    second = catalog.productions.create_production(matter.id, "Release 2")
    other = catalog.productions.create_production(catalog.productions.ensure_collection("other").id, "Elsewhere")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 memo"))
    catalog.productions.add_file(first.id, "memo.pdf", blob)
    _process(catalog, "w")
    assert _upload(catalog, second, "memo again.pdf", blob) is FileStatus.PENDING  # like any file, until indexed
    assert _upload(catalog, other, "memo.pdf", blob) is FileStatus.PENDING
    assert _process(catalog, "w") == catalog.productions.list_files(first.id)[0].document_id  # one job re-indexes both
    assert catalog.jobs.claim_job("w", 60) is None
    assert [f.status for f in catalog.productions.list_files(second.id)] == [FileStatus.DUPLICATE]
    assert [f.status for f in catalog.productions.list_files(second.id, FileStatus.DUPLICATE)] == [FileStatus.DUPLICATE]
    assert [f.status for f in catalog.productions.list_files(other.id)] == [
        FileStatus.DONE
    ]  # not a duplicate over there
    assert _files(catalog, other) == (1, 0, 0, 1, 0, 0)


def test_the_same_file_sent_again_to_a_production_is_recorded_once(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    production = catalog.productions.create_production(catalog.productions.ensure_collection("matter").id, "Release 1")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 resent"))
    sent = catalog.productions.add_file(production.id, "memo.pdf", blob)
    again = catalog.productions.add_file(production.id, "memo.pdf", blob)  # an upload re-sent after a crash
    renamed = catalog.productions.add_file(production.id, "archive.zip/memo copy.pdf", blob)  # the same bytes in a zip
    assert again.id == sent.id == renamed.id and again.original_name == "memo.pdf"
    assert _files(catalog, production) == (1, 1, 0, 0, 0, 0)
    _process(catalog, "w")
    resent = catalog.productions.add_file(production.id, "memo.pdf", blob)
    assert (resent.id, resent.status) == (sent.id, FileStatus.DONE)  # the row as it is, nothing queued
    assert catalog.jobs.claim_job("w", 60) is None
    assert _files(catalog, production) == (1, 0, 0, 1, 0, 0)


def test_a_link_made_while_the_document_is_being_indexed_is_not_lost(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    a = catalog.productions.create_production(catalog.productions.ensure_collection("matter-a").id, "A")
    b = catalog.productions.create_production(catalog.productions.ensure_collection("matter-b").id, "B")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 raced"))
    catalog.productions.add_file(a.id, "a.pdf", blob)
    job = catalog.jobs.claim_job("w1", 60)
    assert job is not None
    catalog.jobs.complete_document(job.id, "w1", job.document_id, _result(job.document_id, 1))
    read = catalog.jobs.links_to_index(job.document_id)  # the worker reads the links, builds the records...
    catalog.productions.add_file(b.id, "b.pdf", blob)  # ...matter B links the document meanwhile...
    assert catalog.jobs.finish_indexing(job.id, read) is False  # ...so the job is not over
    assert _files(catalog, a) == (1, 0, 0, 1, 0, 0) and _files(catalog, b) == (1, 1, 0, 0, 0, 0)
    again = catalog.jobs.claim_job("w2", 60)
    assert again is not None and (again.id, again.status) == (job.id, "indexing")
    assert _files(catalog, b) == (1, 0, 1, 0, 0, 0)
    assert catalog.jobs.finish_indexing(again.id, catalog.jobs.links_to_index(again.document_id))
    assert _files(catalog, b) == (1, 0, 0, 1, 0, 0)
    assert _job_status(catalog, job.document_id) == "done"


def test_a_worker_killed_while_indexing_a_link_leaves_it_to_the_next(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    a = catalog.productions.create_production(catalog.productions.ensure_collection("matter-a").id, "A")
    b = catalog.productions.create_production(catalog.productions.ensure_collection("matter-b").id, "B")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 crash"))
    catalog.productions.add_file(a.id, "a.pdf", blob)
    _process(catalog, "w1")
    catalog.productions.add_file(b.id, "b.pdf", blob)
    stopping = catalog.jobs.claim_job("stopping", 60)
    assert stopping is not None and _files(catalog, b) == (1, 0, 1, 0, 0, 0)
    catalog.jobs.release_job(stopping.id, "stopping")  # SIGTERM: handed back, the file waits again
    assert _files(catalog, b) == (1, 1, 0, 0, 0, 0)
    killed = catalog.jobs.claim_job("killed", lease_seconds=1.0)
    assert killed is not None and killed.status == "indexing"
    assert catalog.jobs.claim_job("other", 60) is None  # its lease still runs
    time.sleep(1.1)
    taken = catalog.jobs.claim_job("other", 60)
    assert taken is not None and (taken.id, taken.status, taken.attempts) == (killed.id, "indexing", killed.attempts)
    assert catalog.jobs.finish_indexing(taken.id, catalog.jobs.links_to_index(taken.document_id))
    assert _files(catalog, b) == (1, 0, 0, 1, 0, 0)


def test_a_file_that_failed_elsewhere_fails_here_through_the_same_states(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    a = catalog.productions.create_production(catalog.productions.ensure_collection("matter-a").id, "A")
    b = catalog.productions.create_production(catalog.productions.ensure_collection("matter-b").id, "B")
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 broken"))
    catalog.productions.add_file(a.id, "a.pdf", blob)
    _process(catalog, "w", fail="corrupt PDF")
    assert _files(catalog, a) == (1, 0, 0, 0, 1, 0)
    assert _upload(catalog, b, "b.pdf", blob) is FileStatus.PENDING
    assert _files(catalog, b) == (1, 1, 0, 0, 0, 0)
    _process(catalog, "w")
    assert _files(catalog, b) == (1, 0, 0, 0, 1, 0)
    assert [f.error for f in catalog.productions.list_files(b.id, FileStatus.FAILED)] == ["corrupt PDF"]
    assert catalog.jobs.retry_failed(b.id) == 1  # still a failed job: retry works as for any failure
    assert _files(catalog, b) == (1, 1, 0, 0, 0, 0)
