"""Every change of a job's state goes through one transition helper, which moves a job only along
TRANSITIONS: a job whose state changed meanwhile is left as it is (on both engines)."""

from __future__ import annotations

import io

from sqlalchemy import select

from catalog import schema as t
from catalog.blobstore import LocalBlobStore
from catalog.job_states import TRANSITIONS, sources_of, transition
from catalog.models import JobStatus
from catalog.sql import SqlCatalog


def test_every_state_is_reachable_and_the_sources_read_the_table_backwards() -> None:
    assert set(TRANSITIONS) == set(JobStatus)
    reached = {target for targets in TRANSITIONS.values() for target in targets}
    assert reached == set(JobStatus)
    for target in JobStatus:
        assert sources_of(target) == sorted(s.value for s in JobStatus if target in TRANSITIONS[s])
    assert JobStatus.DONE not in TRANSITIONS[JobStatus.QUEUED]  # a job is never done without being stored


def _status(catalog: SqlCatalog, job_id: str) -> str:
    with catalog.db.reader.connect() as conn:
        return str(conn.execute(select(t.jobs.c.status).where(t.jobs.c.id == job_id)).scalar_one())


def test_a_move_the_table_does_not_allow_leaves_the_job_as_it_is(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    production = catalog.productions.create_production(catalog.productions.ensure_collection("m").id, "p")
    catalog.productions.add_file(production.id, "a.pdf", blobs.put_stream(io.BytesIO(b"%PDF-1.4 a")))
    job = catalog.jobs.claim_job("w", 60)
    assert job is not None and job.status is JobStatus.RUNNING and _status(catalog, job.id) == "running"
    with catalog.db.writer.begin() as conn:
        assert transition(conn, JobStatus.DONE, t.jobs.c.id == job.id) == 0  # running -> done skips indexing
    assert _status(catalog, job.id) == "running"
    assert catalog.jobs.finish_indexing(job.id, [])  # not indexing: nothing to finish, nothing moved
    assert _status(catalog, job.id) == "running"
    with catalog.db.writer.begin() as conn:
        assert transition(conn, JobStatus.INDEXING, t.jobs.c.id == job.id) == 1
    assert _status(catalog, job.id) == "indexing"
