"""The production hook's catalog side (catalog/production_notices.py) and its dispatcher
(ingest/production_events.py), on SQLite and PostgreSQL: a production is over only when every job of its
documents has ended; each listener is told once per round, even by many workers at once, after a claimer
died, or after a restart; a listener that raises is tried again later and fails after its last attempt."""

from __future__ import annotations

import io
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.models import Production
from catalog.production_notices import CLAIMED, DONE, FAILED, Round, retry_delay
from catalog.sql import SqlCatalog
from ingest.production_events import ProductionEvents


class Recorder:
    def __init__(self, fail_times: int = 0) -> None:
        self.calls: list[str] = []
        self.fail_times = fail_times
        self._lock = threading.Lock()

    def production_indexed(self, production_id: str) -> None:
        with self._lock:
            self.calls.append(production_id)
            if len(self.calls) <= self.fail_times:
                raise RuntimeError(f"listener down (call {len(self.calls)})")


def _add(catalog: SqlCatalog, blobs: LocalBlobStore, production: Production, names: list[str]) -> None:
    for name in names:
        catalog.productions.add_file(production.id, name, blobs.put_stream(io.BytesIO(f"%PDF-1.4 {name}".encode())))


def _end_every_job(catalog: SqlCatalog) -> int:
    """Claim every queued job and end it (failed: its links settle, nothing left to index)."""
    ended = 0
    while (job := catalog.jobs.claim_job("w", lease_seconds=60)) is not None:
        catalog.jobs.fail_document(job.id, "w", job.document_id, "ended by the test")
        ended += 1
    return ended


def _events(catalog: SqlCatalog, listeners: dict[str, Recorder], owner: str = "w1", **kw: float) -> ProductionEvents:
    return ProductionEvents(catalog.production_notices, listeners, owner=owner, **kw)  # type: ignore[arg-type]


def test_a_production_is_over_once_its_last_job_ended_and_a_later_batch_is_a_new_round(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "p")
    other = catalog.productions.create_production(col.id, "only-refused")
    catalog.productions.reject_file(other.id, "x.exe", "not a PDF")
    _add(catalog, blobs, prod, ["a.pdf", "b.pdf", "c.pdf"])
    catalog.productions.reject_file(prod.id, "bad.exe", "not a PDF")
    notices = catalog.production_notices
    assert notices.over() == []
    job = catalog.jobs.claim_job("w", lease_seconds=60)
    assert job is not None
    catalog.jobs.fail_document(job.id, "w", job.document_id, "x")
    assert notices.over() == []  # two of three still queued
    _end_every_job(catalog)
    assert notices.over() == [Round(prod.id, 3)]  # the refused file is no round; a production of only those none
    assert notices.over([other.id]) == []
    _add(catalog, blobs, prod, ["d.pdf"])
    assert notices.over() == []
    _end_every_job(catalog)
    assert notices.over([prod.id]) == [Round(prod.id, 4)]


def test_each_listener_is_told_once_per_round_by_many_workers_at_once(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    col = catalog.productions.ensure_collection("matter")
    prods = [catalog.productions.create_production(col.id, f"p{n}") for n in range(5)]
    for n, prod in enumerate(prods):
        _add(catalog, blobs, prod, [f"{n}-{k}.pdf" for k in range(3)])
    _end_every_job(catalog)
    screen, alert = Recorder(), Recorder()
    workers = [_events(catalog, {"screen": screen, "alert": alert}, owner=f"w{n}") for n in range(6)]
    start = threading.Barrier(len(workers))

    def run(events: ProductionEvents) -> int:
        start.wait()
        return sum(events.run_due(full=True) for _ in range(3))

    with ThreadPoolExecutor(len(workers)) as pool:
        told = sum(pool.map(run, workers))
    assert told == 10
    assert Counter(screen.calls) == Counter({p.id: 1 for p in prods})
    assert Counter(alert.calls) == Counter({p.id: 1 for p in prods})
    assert {n.state for p in prods for n in catalog.production_notices.notices_of(p.id)} == {DONE}
    # A restart (a new dispatcher on the same catalog) tells nobody again.
    assert _events(catalog, {"screen": screen, "alert": alert}, owner="again").run_due() == 0
    assert len(screen.calls) == len(alert.calls) == 5


def test_a_claim_whose_worker_died_is_taken_over_after_its_lease(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "p")
    _add(catalog, blobs, prod, ["a.pdf"])
    _end_every_job(catalog)
    notices = catalog.production_notices
    (round_,) = notices.over()
    assert notices.claim(round_, "screen", "dead-worker", lease_seconds=0.5)  # then it dies
    listener = Recorder()
    survivor = _events(catalog, {"screen": listener}, owner="survivor")
    assert survivor.run_due(full=True) == 0 and listener.calls == []
    time.sleep(0.7)
    assert survivor.run_due(full=True) == 1
    assert listener.calls == [prod.id]
    (notice,) = notices.notices_of(prod.id)
    assert (notice.state, notice.attempts) == (DONE, 2)


def test_a_listener_that_raises_is_tried_again_later_then_fails_with_its_reason(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "p")
    _add(catalog, blobs, prod, ["a.pdf"])
    _end_every_job(catalog)
    flaky, steady = Recorder(fail_times=1), Recorder()
    events = _events(catalog, {"flaky": flaky, "steady": steady}, retry_seconds=0.4, max_attempts=2)
    assert events.run_due(full=True) == 1
    by_name = {n.listener: n for n in catalog.production_notices.notices_of(prod.id)}
    assert by_name["flaky"].state == CLAIMED and "listener down (call 1)" in str(by_name["flaky"].error)
    assert events.run_due(full=True) == 0  # its delay is not over
    time.sleep(0.5)
    assert events.run_due(full=True) == 1
    assert flaky.calls == [prod.id, prod.id] and steady.calls == [prod.id]  # only the one that raised again

    broken = Recorder(fail_times=99)
    events = _events(catalog, {"broken": broken}, retry_seconds=0.1, max_attempts=2)
    events.run_due(full=True)
    time.sleep(0.2)
    events.run_due(full=True)
    time.sleep(0.2)
    assert events.run_due(full=True) == 0
    assert len(broken.calls) == 2
    (failed,) = [n for n in catalog.production_notices.notices_of(prod.id) if n.listener == "broken"]
    assert failed.state == FAILED and failed.attempts == 2 and "listener down (call 2)" in str(failed.error)


def test_hinted_documents_are_looked_at_between_full_sweeps(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    col = catalog.productions.ensure_collection("matter")
    first, second = (catalog.productions.create_production(col.id, n) for n in ("first", "second"))
    _add(catalog, blobs, first, ["a.pdf"])
    listener = Recorder()
    events = _events(catalog, {"l": listener}, full_sweep_seconds=3600)
    assert events.run_due() == 0  # the first run is a full sweep: nothing is over yet
    _add(catalog, blobs, second, ["b.pdf"])
    _end_every_job(catalog)
    assert events.run_due() == 0  # nothing hinted, and no full sweep due
    (doc_b,) = [f.document_id for f in catalog.productions.list_files(second.id)]
    assert doc_b is not None
    events.touched([doc_b])
    assert events.run_due() == 1 and listener.calls == [second.id]
    assert events.run_due(full=True) == 1 and listener.calls == [second.id, first.id]


@pytest.mark.parametrize(("attempts", "expected"), [(1, 30.0), (2, 60.0), (3, 120.0), (20, 3600.0)])
def test_retry_delays_double_up_to_an_hour(attempts: int, expected: float) -> None:
    assert retry_delay(attempts, 30.0) == expected
