"""kill -9 of `foia serve` leaves nothing of ours behind: no API process, no render pool, no OCR forkserver
or pool, no multiprocessing resource tracker, no tesseract.

Every process of this run carries the test's data folder in its environment (FOIA_DATA_DIR is inherited by
every child), which stays readable in /proc after the process has been orphaned to init.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests import factories
from tests.serving import free_port, start_serve


def processes_of_run(data_dir: Path) -> dict[int, str]:
    """pid -> command line of every live process whose environment names `data_dir`."""
    marker = f"FOIA_DATA_DIR={data_dir}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _wait_for(what: str, condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, f"no {what} after {timeout:.0f}s"
        time.sleep(0.3)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("moment", ["idle", "mid-ocr"])
def test_kill_9_of_foia_serve_leaves_no_process_of_ours(tmp_path: Path, moment: str) -> None:
    data = tmp_path / "data"
    port = free_port()
    server = start_serve(data, port, "--processes", "2", env={"FOIA_WORKERS": "2"})
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        production = httpx.post(f"{base}/productions", json={"name": "p", "collection": "default"}).json()
        files = [("files", ("scan.pdf", factories.scanned_pdf("Scanned memo about Clearview AI")))]
        r = httpx.post(f"{base}/productions/{production['id']}/files", files=files, timeout=60)
        document_id = r.json()["accepted"][0]["document_id"]

        def done() -> bool:
            return bool(httpx.get(f"{base}/productions/{production['id']}", timeout=10).json()["progress"]["finished"])

        _wait_for("OCR of the scan", done, timeout=180)
        # Fresh connections land on either API process: each renders, so each starts its render pool.
        for _ in range(12):
            image = httpx.get(f"{base}/documents/{document_id}/pages/1/image", timeout=60)
            assert image.status_code == 200
        if moment == "mid-ocr":
            many = [("files", (f"scan{n}.pdf", factories.scanned_pdf(f"Another scan {n}", seed=n))) for n in range(6)]
            httpx.post(f"{base}/productions/{production['id']}/files", files=many, timeout=60)
            _wait_for("tesseract", lambda: any("tesseract" in c for c in processes_of_run(data).values()), 120)
        before = processes_of_run(data)
        commands = " | ".join(before.values())
        assert "forkserver" in commands and "resource_tracker" in commands, commands
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        deadline = time.monotonic() + 20
        left = processes_of_run(data)
        while left and time.monotonic() < deadline:
            time.sleep(0.3)
            left = processes_of_run(data)
        assert not left, "outlived foia serve:\n" + "\n".join(f"{pid}: {cmd[:200]}" for pid, cmd in left.items())
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for pid in processes_of_run(data):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
