"""The catalog on a real PostgreSQL (scripts/postgres/start.sh), and the Alembic migrations on both engines.

The behaviour tests of test_sql_catalog.py run again here on PostgreSQL (same functions, a PostgreSQL
`catalog` fixture); then what only matters at scale: jobs claimed with FOR UPDATE SKIP LOCKED by many
claimers at once, each exactly once, and migrations that several processes may start together.
Each test gets its own PostgreSQL schema (search_path), dropped afterwards.
"""

from __future__ import annotations

import io
import multiprocessing
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from catalog.blobstore import LocalBlobStore
from catalog.migrate import current_revision, head_revision
from catalog.sql import SqlCatalog
from tests.catalog.test_entity_corrections import (
    matters,
    test_a_hidden_entity_leaves_lists_and_co_mentions,
    test_a_merge_counts_under_its_target_and_refuses_cycles,
    test_a_retype_and_rename_in_one_matter_leave_the_other_as_detected,
    test_the_index_projection_moves_a_retyped_entity_to_its_new_facet,
)
from tests.catalog.test_linking_catalog import (
    test_a_duplicate_is_content_already_in_the_uploaders_own_collection,
    test_a_file_another_matter_holds_reads_like_a_new_file_and_is_indexed_through_the_queue,
    test_a_file_that_failed_elsewhere_fails_here_through_the_same_states,
    test_a_link_made_while_the_document_is_being_indexed_is_not_lost,
    test_a_worker_killed_while_indexing_a_link_leaves_it_to_the_next,
    test_the_same_file_sent_again_to_a_production_is_recorded_once,
)
from tests.catalog.test_migrations import assert_schema_matches_models
from tests.catalog.test_sql_catalog import (
    test_a_file_that_keeps_killing_workers_fails_after_max_attempts,
    test_expired_lease_is_claimed_again_and_the_old_worker_cannot_store,
    test_production_names_are_unique_per_collection,
    test_progress_counts_every_status_and_retry_requeues_failures,
    test_same_file_twice_is_stored_and_queued_once_and_linked_to_both,
)
from tests.conftest import service_url

__all__ = [
    "matters",
    "test_a_duplicate_is_content_already_in_the_uploaders_own_collection",
    "test_a_file_another_matter_holds_reads_like_a_new_file_and_is_indexed_through_the_queue",
    "test_a_file_that_failed_elsewhere_fails_here_through_the_same_states",
    "test_a_file_that_keeps_killing_workers_fails_after_max_attempts",
    "test_a_hidden_entity_leaves_lists_and_co_mentions",
    "test_a_link_made_while_the_document_is_being_indexed_is_not_lost",
    "test_a_merge_counts_under_its_target_and_refuses_cycles",
    "test_a_retype_and_rename_in_one_matter_leave_the_other_as_detected",
    "test_a_worker_killed_while_indexing_a_link_leaves_it_to_the_next",
    "test_expired_lease_is_claimed_again_and_the_old_worker_cannot_store",
    "test_production_names_are_unique_per_collection",
    "test_progress_counts_every_status_and_retry_requeues_failures",
    "test_same_file_twice_is_stored_and_queued_once_and_linked_to_both",
    "test_the_index_projection_moves_a_retyped_entity_to_its_new_facet",
    "test_the_same_file_sent_again_to_a_production_is_recorded_once",
]


def schema_url(base: str, schema: str) -> str:
    """The same database, with `schema` first on the search_path (tables and alembic_version go there)."""
    return (
        make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = service_url("FOIA_TEST_DATABASE_URL", "PostgreSQL (scripts/postgres/start.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield schema_url(base, schema)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def catalog(pg_url: str) -> Iterator[SqlCatalog]:
    c = SqlCatalog(pg_url, max_attempts=2)
    c.create_schema()
    yield c
    c.close()


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


pytestmark = pytest.mark.postgres


def test_migrations_build_the_schema_of_the_models(catalog: SqlCatalog, pg_url: str) -> None:
    assert catalog.url == pg_url
    assert current_revision(catalog._writer) == head_revision()
    assert_schema_matches_models(pg_url)
    catalog.create_schema()  # at head already: nothing to do
    assert current_revision(catalog._writer) == head_revision()


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
    col = catalog.ensure_collection("matter")
    prod = catalog.create_production(col.id, "big")
    for n in range(150):
        catalog.add_file(prod.id, f"f{n}.pdf", blobs.put_stream(io.BytesIO(f"%PDF-1.4 {n}".encode())))
    claimed: list[tuple[str, str]] = []
    lock = threading.Lock()

    def claim_all(worker: str) -> None:
        while (job := catalog.claim_job(worker, lease_seconds=60)) is not None:
            with lock:
                claimed.append((job.id, worker))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(claim_all, [f"w{n}" for n in range(8)]))
    job_ids = [j for j, _ in claimed]
    assert len(job_ids) == 150
    assert len(set(job_ids)) == 150
    assert len({w for _, w in claimed}) > 1  # the claims really were spread over the claimers
    assert not catalog.has_claimable_jobs()


def test_a_lease_that_runs_out_is_claimed_by_another_worker(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.ensure_collection("matter")
    prod = catalog.create_production(col.id, "p")
    catalog.add_file(prod.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 a")))
    first = catalog.claim_job("dead-worker", lease_seconds=0.5)
    assert first is not None
    assert catalog.claim_job("other", lease_seconds=60) is None
    time.sleep(0.7)
    second = catalog.claim_job("other", lease_seconds=60)
    assert second is not None and second.id == first.id and second.attempts == 2
    assert not catalog.renew_lease(first.id, "dead-worker", 60)


def test_uploads_of_one_original_at_once_make_one_document_and_one_row_per_production(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    """Eight API processes' worth of uploads of the same new file, four productions in two matters, all
    at once: one document, one job, one row per production, and no upload fails."""
    productions = [
        catalog.create_production(catalog.ensure_collection(f"matter-{n % 2}").id, f"release {n}") for n in range(4)
    ]
    blob = blobs.put_stream(io.BytesIO(b"%PDF-1.4 raced upload"))
    start = threading.Barrier(8)

    def upload(n: int) -> str:
        start.wait()
        return catalog.add_file(productions[n % 4].id, f"copy {n}.pdf", blob).id

    with ThreadPoolExecutor(8) as pool:
        rows = list(pool.map(upload, range(8)))
    assert len(set(rows)) == 4  # the second upload to a production is the row already there
    assert sorted(f.total for f in (catalog.progress(p.id).files for p in productions)) == [1, 1, 1, 1]
    job = catalog.claim_job("w", 60)
    assert job is not None and catalog.claim_job("w", 60) is None
