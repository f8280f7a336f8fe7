"""The ingest worker: claims queued documents and turns them into stored, indexed pages.

Several document threads share one OCR process pool, so pages of different documents keep every core
busy. Each claimed job holds a lease that a heartbeat renews; a worker killed with -9 stops renewing and
its job is claimed again once the lease runs out. Storing a document is one transaction guarded by the
lease, so a page is never stored twice.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from catalog.blobstore import BlobStore
from catalog.errors import LeaseLost
from catalog.limits import Limits
from catalog.models import Document, Job, JobStatus, PageSource
from catalog.protocols import WorkerCatalog
from ingest.analysis import DocumentDater, PageAnalyzer, gazetteer_records
from ingest.failure_log import RepeatedFailure
from ingest.indexing import Indexer
from ingest.ocr import init_ocr_process
from ingest.page_retry import pages_to_retry, reocr_pages
from ingest.pdf import BadPdf
from ingest.priority import lower_priority
from ingest.process import analyze_document, extract_pages
from ingest.production_events import ProductionEvents
from search.projection import UnknownEntityType

log = structlog.get_logger(__name__)

RETRY_SECONDS = 2.0  # between attempts while the catalog refuses
UPKEEP_SECONDS = 2.0  # between two rounds of each upkeep thread (production events, deliveries)


@dataclass
class WorkerConfig:
    processes: int
    languages: str = "eng"
    limits: Limits = field(default_factory=Limits)
    lease_seconds: float = 60.0
    poll_seconds: float = 0.5
    # A failure that repeats (a full disk) is logged once per this many seconds (ingest/failure_log.py).
    failure_log_seconds: float = 60.0
    nice: int = 0  # CPU priority of OCR and document threads (ingest/priority.py)


def _join(thread: threading.Thread) -> None:
    # In short waits, so that the main thread keeps running signal handlers (SIGTERM sets `stop`).
    while thread.is_alive():
        thread.join(0.5)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        catalog: WorkerCatalog,
        blobs: BlobStore,
        analyzer: PageAnalyzer,
        date_document: DocumentDater,
        indexer: Indexer | None,
        config: WorkerConfig,
        worker_id: str | None = None,
        events: ProductionEvents | None = None,
        upkeep: Sequence[Callable[[], object]] = (),
    ) -> None:
        self.catalog = catalog
        self.blobs = blobs
        self.analyzer = analyzer
        self.date_document = date_document
        self.indexer = indexer
        self.config = config
        self.worker_id = worker_id or new_worker_id()
        # Told which documents' jobs ended; fires the production hook from the upkeep thread.
        self.events = events
        # Short tasks run beside the document threads (sending queued deliveries); each must not raise.
        self.upkeep = tuple(upkeep)
        self._upkeep_failure = RepeatedFailure("upkeep_failed", config.failure_log_seconds)
        self._nlp_lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self._pool = self._new_pool()
        self.on_page: Callable[[PageSource], None] | None = None
        gazetteer = analyzer.entities()
        self._known_entity_ids = frozenset(e.id for e in gazetteer)
        self._gazetteer = gazetteer_records(gazetteer)
        self._gazetteer_stored = False
        self._catalog_failure = RepeatedFailure("catalog_unavailable", config.failure_log_seconds)
        # Stored now if the catalog takes writes; else before the first job (a full disk must not stop a start).
        self._store_gazetteer()

    def _store_gazetteer(self) -> bool:
        if not self._gazetteer_stored:
            try:
                self.catalog.entities.upsert_entities(self._gazetteer)
            except Exception as exc:
                self._catalog_failure.failed(exc, doing="storing the entity gazetteer")
                return False
            self._gazetteer_stored = True
        return True

    def _new_pool(self) -> ProcessPoolExecutor:
        # forkserver: OCR processes start small instead of inheriting the spaCy model and the API.
        return ProcessPoolExecutor(
            max_workers=self.config.processes,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=init_ocr_process,
            initargs=(self.config.nice, os.getpid()),
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- loop -----------------------------------------------------------------------------------

    def run(self, stop: threading.Event, until_idle: bool = False) -> None:
        """Process jobs with one thread per core until `stop` is set (or, with until_idle, no work is left)."""
        threads = [
            threading.Thread(target=self._loop, args=(stop, until_idle), name=f"doc-{n}", daemon=True)
            for n in range(max(1, self.config.processes))
        ]
        for thread in threads:
            thread.start()
        idle = threading.Event()  # the document threads are done
        # One thread per upkeep job, so a long listener (screening a production) never holds up the
        # deliveries of another's alerts.
        jobs = [self._tell_productions, *self.upkeep] if self.events is not None else list(self.upkeep)
        upkeep = [
            threading.Thread(target=self._upkeep_loop, args=(job, stop, idle), name=f"upkeep-{n}", daemon=True)
            for n, job in enumerate(jobs if not until_idle else [])
        ]
        for thread in upkeep:
            thread.start()
        for thread in threads:
            _join(thread)
        idle.set()
        for thread in upkeep:
            _join(thread)
        # What the last documents finished (a production now over) is told before returning: `foia ingest`
        # stops its worker as soon as its production is, and tests run until idle.
        self.run_upkeep(full=until_idle)

    def run_upkeep(self, full: bool | None = None) -> None:
        """One round of upkeep: the production hook for the documents finished (every production with
        `full`), then each upkeep task. Failures are logged, never raised."""
        self._guarded(lambda: self._tell_productions(full), self._upkeep_failure)
        for task in self.upkeep:
            self._guarded(task, self._upkeep_failure)

    def _tell_productions(self, full: bool | None = None) -> None:
        if self.events is not None:
            self.events.run_due(full=full)

    @staticmethod
    def _guarded(job: Callable[[], object], failure: RepeatedFailure) -> None:
        try:
            job()
        except Exception as exc:
            failure.failed(exc, doing="upkeep")
            return
        failure.succeeded()

    def _upkeep_loop(self, job: Callable[[], object], stop: threading.Event, idle: threading.Event) -> None:
        failure = RepeatedFailure("upkeep_failed", self.config.failure_log_seconds)  # each job's own
        while not stop.is_set() and not idle.is_set():
            self._guarded(job, failure)
            stop.wait(UPKEEP_SECONDS)

    def _loop(self, stop: threading.Event, until_idle: bool) -> None:
        lower_priority(self.config.nice)
        while not stop.is_set():
            if not self._store_gazetteer():
                if until_idle:
                    return
                stop.wait(max(self.config.poll_seconds, RETRY_SECONDS))
                continue
            try:
                job = self.catalog.jobs.claim_job(self.worker_id, self.config.lease_seconds)
            except Exception as exc:  # the catalog unreachable or its disk full: wait and ask again, never die
                self._catalog_failure.failed(exc, doing="claiming a job")
                if until_idle:
                    return
                stop.wait(max(self.config.poll_seconds, RETRY_SECONDS))
                continue
            self._catalog_failure.succeeded()
            if job is None:
                if until_idle:
                    return
                stop.wait(self.config.poll_seconds)
                continue
            self.process(job)

    def run_one(self) -> bool:
        job = self.catalog.jobs.claim_job(self.worker_id, self.config.lease_seconds)
        if job is None:
            return False
        self.process(job)
        return True

    # -- one job --------------------------------------------------------------------------------

    def process(self, job: Job) -> None:
        try:
            self._process(job)
        finally:
            if self.events is not None:
                self.events.touched([job.document_id])

    def _process(self, job: Job) -> None:
        stop_heartbeat = threading.Event()
        heartbeat = threading.Thread(target=self._heartbeat, args=(job, stop_heartbeat), daemon=True)
        heartbeat.start()
        started = time.perf_counter()
        bound = log.bind(document_id=job.document_id, job_id=job.id, attempt=job.attempts)
        if job.status is JobStatus.INDEXING:
            try:
                if self._index(job, bound):
                    bound.info("document_indexed", after="stored earlier, or linked to another production")
            finally:
                stop_heartbeat.set()
                heartbeat.join()
            return
        try:
            document = self.catalog.documents.get_document(job.document_id)
            path = self.blobs.path(document.sha256)
            if self._retry_pages(job, document, path, bound):
                return
            extracted = extract_pages(
                path, self.config.limits, self.config.languages, self._executor(), on_page=self.on_page
            )
            result, found = analyze_document(document.id, extracted, self.analyzer, self.date_document, self._nlp_lock)
            self.catalog.entities.upsert_entities(found)
            self.catalog.jobs.complete_document(job.id, self.worker_id, document.id, result)
            self._index(job, bound)
            bound.info(
                "document_done",
                pages=result.page_count,
                ocr_pages=sum(1 for p in result.pages if p.source is PageSource.OCR),
                seconds=round(time.perf_counter() - started, 2),
            )
        except BadPdf as exc:  # the file's own: the same bytes fail the same way
            self._fail(job, str(exc), bound, retryable=False)
        except LeaseLost:
            bound.warning("lease_lost")
        except BrokenProcessPool:
            with self._pool_lock:
                self._pool = self._new_pool()
            self._fail(job, "an OCR process died while reading this file", bound)
        except Exception as exc:  # a failed file is a status on its record, never a dead worker
            bound.exception("document_error")
            self._fail(job, f"internal error while processing: {type(exc).__name__}: {exc}", bound)
        finally:
            stop_heartbeat.set()
            heartbeat.join()

    def _retry_pages(
        self, job: Job, document: Document, path: Path, bound: structlog.typing.FilteringBoundLogger
    ) -> bool:
        """A retry of a done document with warned pages: OCR just those again (ingest/page_retry.py)."""
        stored = self.catalog.documents.pages(document.id)
        numbers = pages_to_retry(stored, document.page_count)
        if not numbers:
            return False
        limits = self.config.limits
        extracted = reocr_pages(
            path, stored, document.pdf_metadata, numbers, limits, self.config.languages, self._executor()
        )
        result, found = analyze_document(document.id, extracted, self.analyzer, self.date_document, self._nlp_lock)
        self.catalog.entities.upsert_entities(found)
        self.catalog.jobs.complete_page_retry(job.id, self.worker_id, document.id, result, numbers)
        self._index(job, bound)
        still = [p.number for p in extracted.pages if p.ocr_error]
        bound.info("pages_retried", pages=numbers, still_warned=still)
        return True

    def _index(self, job: Job, bound: structlog.typing.FilteringBoundLogger) -> bool:
        """Index a stored document and finish its job. The catalog is the source of truth: an index that
        cannot take the document now is not a failed file; its job waits a lease and any worker retries.
        Should the catalog itself refuse the job's new state, the job's lease runs out: the same retry."""
        try:
            # Read before the records are built, so every link listed is in them (catalog/links.py).
            links = self.catalog.jobs.links_to_index(job.document_id)
            if self.indexer is not None:
                self.indexer.index_document(job.document_id)
        except UnknownEntityType as exc:
            # Not a passing fault of the index: retrying gives the same answer, so the document fails.
            bound.error("unknown_entity_type", entity_id=exc.entity_id, entity_type=exc.entity_type)
            self._fail(job, str(exc), bound)
            return False
        except Exception:
            bound.exception("index_failed", retry_in_seconds=self.config.lease_seconds)
            try:
                self.catalog.jobs.postpone_indexing(job.id, self.worker_id, self.config.lease_seconds)
            except Exception:
                bound.exception("job_state_not_recorded")
            return False
        try:
            if not self.catalog.jobs.finish_indexing(job.id, links):
                bound.info("document_linked_meanwhile", left_to="the next claim of its job")
        except Exception:
            bound.exception("job_state_not_recorded")
            return False
        return True

    def _executor(self) -> ProcessPoolExecutor:
        with self._pool_lock:
            return self._pool

    def _fail(
        self, job: Job, reason: str, bound: structlog.typing.FilteringBoundLogger, retryable: bool = True
    ) -> None:
        try:
            self.catalog.jobs.fail_document(job.id, self.worker_id, job.document_id, reason, retryable)
            bound.warning("document_failed", reason=reason)
        except LeaseLost:
            bound.warning("lease_lost")
        except Exception:  # e.g. the disk is full: the failure cannot be written, so the lease runs out
            bound.exception("failure_not_recorded", reason=reason, retry_after_lease=self.config.lease_seconds)

    def _heartbeat(self, job: Job, stop: threading.Event) -> None:
        interval = self.config.lease_seconds / 3
        while not stop.wait(interval):
            try:
                if not self.catalog.jobs.renew_lease(job.id, self.worker_id, self.config.lease_seconds):
                    return
            except Exception:  # try again next beat; if none gets through, the lease lapses as for a dead worker
                log.exception("heartbeat_failed", job_id=job.id)
