"""Ingest yields the CPU to searches: its document threads and OCR processes run niced (FOIA_INGEST_NICE)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from catalog.models import PageSource
from ingest.priority import lower_priority
from ingest.worker import WorkerConfig
from tests import factories
from tests.ingest.conftest import make_stack

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
    stack = make_stack(tmp_path, analyzer, config=WorkerConfig(processes=1, lease_seconds=30, nice=base + 7))
    try:
        ocr_nice = stack.worker._executor().submit(os.getpriority, os.PRIO_PROCESS, 0).result(timeout=60)
        assert ocr_nice == base + 7
        document_thread_nice: list[tuple[PageSource, int]] = []
        stack.worker.on_page = lambda source: document_thread_nice.append((source, _nice_of_this_thread()))
        production = stack.production()
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["A memo about the nice value of ingest threads."]))
        stack.intake(production, [pdf])
        stack.run_until_idle()
        assert document_thread_nice == [(PageSource.TEXT_LAYER, base + 7)]
        assert stack.catalog.productions.progress(production.id).files.done == 1
        assert _nice_of_this_thread() == base  # the caller's thread is untouched
    finally:
        stack.close()
