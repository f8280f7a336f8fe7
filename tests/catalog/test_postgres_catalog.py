"""What only matters on PostgreSQL at scale (every catalog behaviour test runs on both engines through
tests/catalog/conftest.py): jobs claimed with FOR UPDATE SKIP LOCKED by many claimers at once, each
exactly once, uploads of one original at once, and migrations that several processes may start together.
Each test gets its own PostgreSQL schema (search_path), dropped afterwards.
"""

from __future__ import annotations

import io
import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.migrate import current_revision, head_revision
from catalog.sql import SqlCatalog
from tests.catalog.postgres import pg_url
from tests.catalog.test_migrations import assert_schema_matches_models

__all__ = ["pg_url"]


@pytest.fixture
def catalog(pg_url: str) -> Iterator[SqlCatalog]:
    c = SqlCatalog(pg_url, max_attempts=2)
    c.create_schema()
    yield c
    c.close()


pytestmark = pytest.mark.postgres


def test_migrations_build_the_schema_of_the_models(catalog: SqlCatalog, pg_url: str) -> None:
    assert catalog.url == pg_url
    assert current_revision(catalog.db.writer) == head_revision()
    assert_schema_matches_models(pg_url)
    catalog.create_schema()  # at head already: nothing to do
    assert current_revision(catalog.db.writer) == head_revision()


def _migrate(url: str) -> None:
    SqlCatalog(url).create_schema()


def test_several_processes_may_migrate_at_once(pg_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_migrate, args=(pg_url,)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert_schema_matches_models(pg_url)


def test_many_claimers_take_each_job_exactly_once(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "big")
    for n in range(150):
        catalog.productions.add_file(prod.id, f"f{n}.pdf", blobs.put_stream(io.BytesIO(f"%PDF-1.4 {n}".encode())))
    claimed: list[tuple[str, str]] = []
    lock = threading.Lock()

    def claim_all(worker: str) -> None:
        while (job := catalog.jobs.claim_job(worker, lease_seconds=60)) is not None:
            with lock:
                claimed.append((job.id, worker))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(claim_all, [f"w{n}" for n in range(8)]))
    job_ids = [j for j, _ in claimed]
    assert len(job_ids) == 150
    assert len(set(job_ids)) == 150
    assert len({w for _, w in claimed}) > 1  # the claims really were spread over the claimers
    assert not catalog.jobs.has_claimable_jobs()


def test_a_lease_that_runs_out_is_claimed_by_another_worker(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "p")
    catalog.productions.add_file(prod.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 a")))
    first = catalog.jobs.claim_job("dead-worker", lease_seconds=0.5)
    assert first is not None
    assert catalog.jobs.claim_job("other", lease_seconds=60) is None
    time.sleep(0.7)
    second = catalog.jobs.claim_job("other", lease_seconds=60)
    assert second is not None and second.id == first.id and second.attempts == 2
    assert not catalog.jobs.renew_lease(first.id, "dead-worker", 60)


def test_uploads_of_one_original_at_once_make_one_document_and_one_row_per_production(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    """Eight API processes' worth of uploads of the same new file, four productions in two matters, all
    at once: one document, one job, one row per production, and no upload fails."""
    productions = [
        catalog.productions.create_production(
            catalog.productions.ensure_collection(f"matter-{n % 2}").id, f"release {n}"
        )
        for n in range(4)
    ]
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 raced upload"))
    start = threading.Barrier(8)

    def upload(n: int) -> str:
        start.wait()
        return catalog.productions.add_file(productions[n % 4].id, f"copy {n}.pdf", blob).id

    with ThreadPoolExecutor(8) as pool:
        rows = list(pool.map(upload, range(8)))
    assert len(set(rows)) == 4  # the second upload to a production is the row already there
    assert sorted(f.total for f in (catalog.productions.progress(p.id).files for p in productions)) == [1, 1, 1, 1]
    job = catalog.jobs.claim_job("w", 60)
    assert job is not None and catalog.jobs.claim_job("w", 60) is None
