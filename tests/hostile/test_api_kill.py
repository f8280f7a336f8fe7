"""kill -9 of `foia serve` in the middle of uploads: nothing is half-stored, what was accepted completes."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from catalog.models import FileStatus
from ingest.check import run_check
from ingest.indexing import Indexer
from ingest.worker import WorkerConfig
from tests import factories
from tests.ingest.conftest import make_stack
from tests.serving import free_port, start_serve

BOUNDARY = "killboundary"


def _part(name: str, data: bytes) -> bytes:
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
    return (head + "Content-Type: application/pdf\r\n\r\n").encode() + data + b"\r\n"


def _raw_upload(port: int, production_id: str, body: bytes, send: int) -> socket.socket:
    """Starts an upload whose Content-Length announces `body` and sends only its first `send` bytes."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        (
            f"POST /api/v1/productions/{production_id}/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
    )
    sock.sendall(body[:send])
    return sock


def _big_pdf(tag: str, megabytes: int) -> bytes:
    """A real one-page PDF made large by random bytes in a comment block after its end."""
    return factories.born_digital_pdf([f"Large release {tag}"]) + b"%" + os.urandom(megabytes << 20)


@pytest.mark.parametrize("moment", ["mid-stream", "after-the-body"])
def test_kill_9_of_the_api_during_an_upload(tmp_path: Path, analyzer: object, moment: str) -> None:
    data = tmp_path / "data"
    port = free_port()
    server = start_serve(data, port, "--no-worker")
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        production = httpx.post(f"{base}/productions", json={"name": "killed", "collection": "default"}).json()
        first = [("files", (f"done{n}.pdf", factories.born_digital_pdf([f"Accepted memo {n}"]))) for n in range(3)]
        accepted = httpx.post(f"{base}/productions/{production['id']}/files", files=first, timeout=60)
        assert accepted.status_code == 202 and len(accepted.json()["accepted"]) == 3
        second = {
            "big1.pdf": _big_pdf("one", 24),
            "small.pdf": factories.born_digital_pdf(["Second request"]),
            "big2.pdf": _big_pdf("two", 24),
        }
        body = b"".join(_part(n, d) for n, d in second.items()) + f"--{BOUNDARY}--\r\n".encode()
        if moment == "mid-stream":
            sock = _raw_upload(port, production["id"], body, send=len(body) // 2)
            time.sleep(0.5)
        else:
            sock = _raw_upload(port, production["id"], body, send=len(body))
            time.sleep(0.15)  # the server is parsing the parts or storing them
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        sock.close()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    stack = make_stack(data, analyzer, config=WorkerConfig(processes=1, lease_seconds=30))
    catalog, blobs, index = stack.catalog, stack.blobs, stack.index
    try:
        # No half-stored original: every blob is whole (its name is its content's sha256).
        for sha in blobs.iter_hashes():
            assert hashlib.sha256(blobs.path(sha).read_bytes()).hexdigest() == sha
        files = catalog.productions.list_files(production["id"], limit=100)
        for record in files:
            document = catalog.documents.get_document(record.document_id or "")
            assert blobs.exists(document.sha256), record.original_name
        names = {f.original_name for f in files}
        assert {"done0.pdf", "done1.pdf", "done2.pdf"} <= names
        stack.run_until_idle()
        index.refresh()
        progress = catalog.productions.progress(production["id"])
        assert progress.files.done == progress.files.total == len(files)  # what was accepted completes
        assert not catalog.productions.list_files(production["id"], status=FileStatus.FAILED)
        report = run_check(catalog, blobs, index, Indexer(catalog, index), repair=False)
        assert report.problems_left == 0, report.lines()
        # Killed between storing an original and recording it: the original is whole and unreferenced; the
        # client never got an answer, sends it again, and the same sha256 is adopted without a second copy.
        second_hashes = {hashlib.sha256(d).hexdigest() for d in second.values()}
        assert set(report.orphan_blobs) <= second_hashes
    finally:
        stack.close()
