"""A full disk during ingest, on a real small filesystem (tmpfs, mounted as root): every file ends done or
failed with its reason, nothing is stored twice, no original is lost, and after space is freed a retry
and `foia check` finish the production."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.models import FileStatus
from ingest.check import index_pages, run_check
from ingest.indexing import Indexer
from tests import factories
from tests.ingest.conftest import Stack, make_stack

SIZE_MB = 24


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip(reason="mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)], check=False)
    if done.returncode != 0:
        pytest.skip(reason="this machine does not allow mounting a tmpfs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """Writes a filler file until the filesystem has about `leave` bytes left."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:  # unbuffered: no write left over to fail at close
        try:
            while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
                out.write(b"\0" * (64 << 10))
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_disk_full_during_ingest(small_disk: Path, tmp_path: Path, analyzer: object) -> None:
    stack: Stack = make_stack(small_disk, analyzer)
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        for n in range(12):
            pages = [f"Memo {n} page {p} about Clearview AI and the FBI. " * 40 for p in range(1, 21)]
            (folder / f"memo{n:02}.pdf").write_bytes(factories.born_digital_pdf(pages))
        production = stack.production("full disk")
        report = stack.intake(production, sorted(folder.iterdir()))
        assert len(report.accepted) == 12
        originals = {
            f.original_name: stack.catalog.documents.get_document(f.document_id or "").sha256 for f in report.accepted
        }
        filler = _fill(small_disk, leave=256 << 10)

        runner = threading.Thread(target=stack.run_until_idle, daemon=True)
        runner.start()
        runner.join(timeout=300)
        assert not runner.is_alive(), "the worker hung on a full disk"

        files = stack.catalog.productions.list_files(production.id, limit=100)
        by_status = {f.original_name: (f.status, f.error) for f in files}
        stuck = [n for n, (s, _) in by_status.items() if s not in (FileStatus.DONE, FileStatus.FAILED)]
        failed = {n: e for n, (s, e) in by_status.items() if s is FileStatus.FAILED}
        assert all(failed.values()), failed  # every failure says why
        assert failed or stuck, "the disk was not full enough to matter"

        filler.unlink()  # space again: retry what failed; jobs whose worker could not even record the
        stack.catalog.jobs.retry_failed(production.id)  # failure are picked up when their lease expires
        _expire_leases(stack)
        stack.run_until_idle()
        stack.index.refresh()
        check = run_check(stack.catalog, stack.blobs, stack.index, Indexer(stack.catalog, stack.index))
        stack.index.refresh()
        assert check.originals_missing == [] and check.originals_damaged == []
        progress = stack.catalog.productions.progress(production.id)
        assert progress.files.done == 12, stack.catalog.productions.list_files(production.id, status=FileStatus.FAILED)
        assert progress.pages.total == 12 * 20
        indexed = index_pages(stack.index)
        assert sum(sum(c.values()) for c in indexed.values()) == 12 * 20  # no page stored or indexed twice
        for name, sha in originals.items():
            assert stack.blobs.exists(sha), name
    finally:
        stack.worker.close()
        stack.index.close()
        stack.catalog.close()


def _expire_leases(stack: Stack) -> None:
    from sqlalchemy import update

    from catalog import schema as t

    with stack.catalog.db.writer.begin() as conn:
        conn.execute(update(t.jobs).where(t.jobs.c.status.in_(("running", "indexing"))).values(lease_expires=0))


def _padded_pdf(tag: str, kilobytes: int) -> bytes:
    """A real one-page PDF made `kilobytes` larger by random bytes after its end (incompressible)."""
    return factories.born_digital_pdf([f"Release {tag}"]) + b"%" + os.urandom(kilobytes << 10)


@pytest.mark.parametrize("room_kb", [0, 300])
def test_an_upload_on_a_full_disk_is_a_507_with_each_files_reason_and_no_orphan(
    small_disk: Path, tmp_path: Path, analyzer: object, room_kb: int
) -> None:
    """No room at all (the originals cannot be written), or room for one original but not for the
    catalog's record of it (the original must not stay behind, unreferenced)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.config import ApiSettings

    stack: Stack = make_stack(small_disk, analyzer)
    try:
        production = stack.production("full disk upload")
        app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=tmp_path / "spool"))
        # Open mode (no token) answers loopback host names only.
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
            uploads = {f"big{n}.pdf": _padded_pdf(str(n), 200) for n in range(3)}
            # A running API holds catalog connections (SQLite's shared-memory file with them): on a disk
            # with no byte left a first connection could not even open, and the answer is a bare 507.
            assert client.get(f"/api/v1/productions/{production.id}").status_code == 200
            filler = _fill(small_disk, leave=room_kb << 10)
            files = [("files", (name, data, "application/pdf")) for name, data in uploads.items()]
            r = client.post(f"/api/v1/productions/{production.id}/files", files=files)
            assert r.status_code == 507, r.text
            assert r.headers["content-type"] == "application/problem+json"
            problem = r.json()
            assert problem["type"] == "/problems/disk-full" and "disk is full" in problem["detail"]
            outcomes = {f["name"]: f for f in problem["files"]}
            assert set(outcomes) == set(uploads)
            for name, outcome in outcomes.items():
                if outcome["outcome"] != "accepted":
                    assert outcome["outcome"] == "not_stored" and "disk is full" in outcome["reason"], name
            not_stored = [n for n, o in outcomes.items() if o["outcome"] == "not_stored"]
            assert not_stored, outcomes
            # Nothing of a file that was not stored remains: no original, no temporary file.
            stored = set(stack.blobs.iter_hashes())
            for name in not_stored:
                assert hashlib.sha256(uploads[name]).hexdigest() not in stored, name
            assert not list((small_disk / "originals" / "tmp").iterdir())

            filler.unlink()  # room again: the same upload is taken
            again = [("files", (n, uploads[n], "application/pdf")) for n in not_stored]
            r = client.post(f"/api/v1/productions/{production.id}/files", files=again)
            assert r.status_code == 202, r.text
            assert sorted(f["name"] for f in r.json()["accepted"]) == sorted(not_stored)
    finally:
        stack.close()


def test_foia_worker_on_a_full_disk_starts_waits_logs_once_and_works_when_space_returns(small_disk: Path) -> None:
    from tests.serving import REPO, foia_command

    data = small_disk / "data"
    env = {**os.environ, "FOIA_DATA_DIR": str(data), "FOIA_LOG_FORMAT": "json", "FOIA_WORKERS": "1"}
    pdf = small_disk.parent / "queued.pdf"
    pdf.write_bytes(factories.born_digital_pdf(["A memo queued before the disk filled, about Clearview AI."]))
    queued = subprocess.run(
        foia_command("ingest", "--production", "p", "--no-wait", str(pdf)),
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert queued.returncode == 0, queued.stderr
    filler = _fill(small_disk, leave=0)
    log = small_disk.parent / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(foia_command("worker"), env=env, cwd=REPO, stdout=out, stderr=out)
    try:
        time.sleep(20)  # a full disk for 20 s: the worker must keep running, and say so once (interval 60 s)
        assert worker.poll() is None, log.read_text()[-3000:]
        text = log.read_text()
        events = [line for line in text.splitlines() if line.startswith("{")]
        assert [e for e in events if "catalog_unavailable" in e] and len(events) <= 2, text[-3000:]
        assert text.count("catalog_unavailable") == 1, text[-3000:]  # said once, with its traceback
        filler.unlink()
        deadline = time.monotonic() + 240
        while "document_done" not in log.read_text():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        assert "catalog_unavailable_over" in log.read_text()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=120) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


def test_a_worker_on_a_full_disk_says_so_once_per_interval_and_goes_on_when_space_returns(
    small_disk: Path, tmp_path: Path, analyzer: object
) -> None:
    from structlog.testing import capture_logs

    from ingest.worker import WorkerConfig

    config = WorkerConfig(processes=2, poll_seconds=0.1, failure_log_seconds=3.0, lease_seconds=30)
    stack: Stack = make_stack(small_disk, analyzer, config=config)
    try:
        production = stack.production("full disk worker")
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["A memo about Clearview AI and the FBI."]))
        assert len(stack.intake(production, [pdf]).accepted) == 1
        stack.catalog.productions.list_files(production.id)  # a reader connection stays open, as in a running server
        filler = _fill(small_disk, leave=0)
        stop = threading.Event()
        with capture_logs() as logs:
            runner = threading.Thread(target=stack.worker.run, args=(stop,), daemon=True)
            runner.start()
            time.sleep(7.5)  # two threads retrying: said at 0 s, ~3 s and ~6 s, not on every retry
            stop.set()
            runner.join(timeout=60)
        failures = [e for e in logs if e["event"] == "catalog_unavailable"]
        assert 2 <= len(failures) <= 3, [e["event"] for e in logs]
        assert all(e["log_level"] == "error" for e in failures)
        filler.unlink()
        stack.run_until_idle()
        assert stack.catalog.productions.progress(production.id).files.done == 1
    finally:
        stack.close()
