"""A full disk during ingest, on a real small filesystem (tmpfs, mounted as root): every file ends done or
failed with its reason, nothing is stored twice, no original is lost, and after space is freed a retry
and `foia check` finish the production."""

from __future__ import annotations

import errno
import os
import subprocess
import threading
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
    with filler.open("wb") as out:
        try:
            while os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize > leave:
                out.write(b"\0" * (64 << 10))
                out.flush()
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
        originals = {f.original_name: stack.catalog.get_document(f.document_id or "").sha256 for f in report.accepted}
        filler = _fill(small_disk, leave=256 << 10)

        runner = threading.Thread(target=stack.run_until_idle, daemon=True)
        runner.start()
        runner.join(timeout=300)
        assert not runner.is_alive(), "the worker hung on a full disk"

        files = stack.catalog.list_files(production.id, limit=100)
        by_status = {f.original_name: (f.status, f.error) for f in files}
        stuck = [n for n, (s, _) in by_status.items() if s not in (FileStatus.DONE, FileStatus.FAILED)]
        failed = {n: e for n, (s, e) in by_status.items() if s is FileStatus.FAILED}
        assert all(failed.values()), failed  # every failure says why
        assert failed or stuck, "the disk was not full enough to matter"

        filler.unlink()  # space again: retry what failed; jobs whose worker could not even record the
        stack.catalog.retry_failed(production.id)  # failure are picked up when their lease expires
        _expire_leases(stack)
        stack.run_until_idle()
        stack.index.refresh()
        check = run_check(stack.catalog, stack.blobs, stack.index, Indexer(stack.catalog, stack.index))
        stack.index.refresh()
        assert check.originals_missing == [] and check.originals_damaged == []
        progress = stack.catalog.progress(production.id)
        assert progress.files.done == 12, stack.catalog.list_files(production.id, status=FileStatus.FAILED)
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

    with stack.catalog._writer.begin() as conn:
        conn.execute(update(t.jobs).where(t.jobs.c.status.in_(("running", "indexing"))).values(lease_expires=0))
