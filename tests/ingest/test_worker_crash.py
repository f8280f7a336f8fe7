"""A worker killed with SIGKILL mid-production loses nothing; a restarted worker finishes the job once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.models import DocumentStatus, FileStatus
from catalog.sql import SqlCatalog
from ingest.sample import write_sample_production
from search.tantivy_backend import TantivyBackend


def _foia(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "foia.cli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # so the kill takes the worker's OCR processes with it
        )


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.slow
def test_killed_worker_loses_nothing_and_no_page_is_stored_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sample = tmp_path / "sample"
    truth = write_sample_production(sample)
    env = {
        **os.environ,
        "FOIA_DATA_DIR": str(data),
        "FOIA_WORKERS": "1",
        "FOIA_LEASE_SECONDS": "3",
        "FOIA_LOG_LEVEL": "INFO",
    }
    pdfs = [str(p) for p in sorted(sample.glob("*.pdf"))]
    queued = subprocess.run(
        [sys.executable, "-m", "foia.cli", "ingest", *pdfs, "-p", "Crash", "--no-wait"],
        env=env,
        capture_output=True,
        check=True,
    )
    assert b"queued 12 file(s)" in queued.stderr
    catalog = SqlCatalog(f"sqlite:///{data / 'catalog.sqlite'}")
    production = catalog.productions.list_productions()[0]

    first = _foia("worker", env=env, log=tmp_path / "first.log")
    _wait(
        lambda: catalog.productions.progress(production.id).files.done >= 2, 120, "the first worker to finish two files"
    )
    _wait(lambda: catalog.productions.progress(production.id).files.processing >= 1, 60, "a file in processing")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed_mid_job = catalog.productions.progress(production.id).files.processing
    assert killed_mid_job >= 1

    second = _foia("worker", env=env, log=tmp_path / "second.log")
    try:
        _wait(lambda: catalog.productions.progress(production.id).finished, 300, "the production to finish")
    finally:
        second.send_signal(signal.SIGTERM)  # graceful: it finishes or releases its job and exits
        assert second.wait(timeout=120) == 0, (tmp_path / "second.log").read_text()[-3000:]

    progress = catalog.productions.progress(production.id)
    assert progress.files.done == len(truth.files) and progress.files.failed == 0
    assert progress.pages.total == truth.page_count
    for record in catalog.productions.list_files(production.id, FileStatus.DONE):
        document = catalog.documents.get_document(record.document_id or "")
        assert document.status is DocumentStatus.DONE
        numbers = [p.number for p in catalog.documents.pages(document.id)]
        assert numbers == list(range(1, (document.page_count or 0) + 1))  # each page exactly once
    index = TantivyBackend(data / "index")
    try:
        assert index.count() == truth.page_count  # nothing indexed twice either
    finally:
        index.close()
