"""Ingest yields the CPU to searches: its document threads and OCR processes run niced (FOIA_INGEST_NICE)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.models import PageSource
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from ingest.priority import lower_priority
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from search.tantivy_backend import TantivyBackend
from tests import factories

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _nice_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_lowering_one_thread_leaves_the_others_alone() -> None:
    before = _nice_of_this_thread()
    seen: list[int] = []

    def lowered() -> None:
        lower_priority(before + 5)
        seen.append(_nice_of_this_thread())
        lower_priority(before + 1)  # never raises a priority back
        seen.append(_nice_of_this_thread())

    thread = threading.Thread(target=lowered)
    thread.start()
    thread.join()
    assert seen == [before + 5, before + 5]
    assert _nice_of_this_thread() == before


def test_the_worker_runs_its_documents_and_its_ocr_niced(tmp_path: Path, analyzer: object) -> None:
    base = _nice_of_this_thread()
    catalog = SqlCatalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs = LocalBlobStore(tmp_path / "originals")
    index = TantivyBackend(tmp_path / "index")
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        Indexer(catalog, index),
        WorkerConfig(processes=1, limits=Limits(), lease_seconds=30, nice=base + 7),
    )
    try:
        ocr_nice = worker._executor().submit(os.getpriority, os.PRIO_PROCESS, 0).result(timeout=60)
        assert ocr_nice == base + 7
        document_thread_nice: list[tuple[PageSource, int]] = []
        worker.on_page = lambda source: document_thread_nice.append((source, _nice_of_this_thread()))
        production = catalog.get_or_create_production(catalog.ensure_collection("matter").id, "P")
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["A memo about the nice value of ingest threads."]))
        Intake(catalog, blobs, production.id, Limits(), tmp_path / "spool").add_paths([pdf])
        worker.run(threading.Event(), until_idle=True)
        assert document_thread_nice == [(PageSource.TEXT_LAYER, base + 7)]
        assert catalog.progress(production.id).files.done == 1
        assert _nice_of_this_thread() == base  # the caller's thread is untouched
    finally:
        worker.close()
        index.close()
        catalog.close()
