"""Hostile PDFs through the real pipeline with the DEFAULT limits: each fails with its reason or is read
safely, memory stays bounded, nothing is executed or extracted, and the good file beside it finishes."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.render import render_png
from catalog.limits import Limits
from catalog.models import FileStatus
from tests import factories
from tests.hostile import factories_pdf
from tests.ingest.conftest import Stack, make_stack

REPO = Path(__file__).resolve().parents[2]
PROBE = """
import sys, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from catalog.limits import Limits
from ingest.pdf import BadPdf, inspect_pdf, open_pdf
from ingest.pdfguard import refuse_bombs
started = time.monotonic()
try:
    refuse_bombs(Path({path!r}), Limits().max_render_pixels)
    with open_pdf(Path({path!r})) as doc:
        inspect_pdf(doc, Limits())
    outcome = "accepted"
except BadPdf as exc:
    outcome = str(exc)
print(outcome)
print(time.monotonic() - started)
# VmHWM is this process's own peak (ru_maxrss would include the forking parent's).
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) // 1024)
"""


def probe(path: Path) -> tuple[str, float, int]:
    """What the worker's checks say about `path` in a fresh process: (outcome, seconds, peak MiB)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(repo=str(REPO), path=str(path))],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome, seconds, peak = done.stdout.strip().splitlines()[-3:]
    return outcome, float(seconds), int(peak)


@pytest.fixture
def stack(tmp_path: Path, analyzer: object) -> Iterator[Stack]:
    s = make_stack(tmp_path, analyzer, Limits())  # the defaults users get
    yield s
    s.worker.close()
    s.index.close()


def _ingest(stack: Stack, folder: Path) -> dict[str, tuple[FileStatus, str | None]]:
    production = stack.production("hostile")
    good = folder / "good.pdf"
    good.write_bytes(factories.born_digital_pdf(["An ordinary memo about Palantir."]))
    stack.intake(production, sorted(folder.iterdir()))
    stack.run_until_idle()
    files = stack.catalog.productions.list_files(production.id, limit=1000)
    result = {f.original_name: (f.status, f.error) for f in files}
    assert result.pop("good.pdf")[0] is FileStatus.DONE  # the rest of the production goes on
    assert not [n for n, (s, _) in result.items() if s in (FileStatus.PENDING, FileStatus.PROCESSING)]
    return result


def test_a_100000_page_pdf_fails_fast_with_its_reason_in_bounded_memory(stack: Stack, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = factories.write_many_pages_pdf(folder / "100k.pdf", pages=100_000)
    outcome, seconds, peak = probe(path)
    assert "100000 pages, more than the limit of 5000" in outcome
    assert seconds < 10 and peak < 300, (seconds, peak)
    status, error = _ingest(stack, folder)["100k.pdf"]
    assert status is FileStatus.FAILED and error is not None and "FOIA_MAX_PAGES" in error
    assert stack.catalog.productions.progress(stack.production("hostile").id).pages.total == 1  # only the good page


@pytest.mark.parametrize("maker", ["write_decompression_bomb_pdf", "write_image_bomb_pdf"])
def test_a_decompression_bomb_in_a_stream_is_refused_before_it_is_inflated(
    stack: Stack, tmp_path: Path, maker: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "bomb.pdf"
    if maker == "write_decompression_bomb_pdf":
        factories_pdf.write_decompression_bomb_pdf(path, expanded=1 << 30)  # 1 GiB of blanks from ~1 MB
    else:
        factories_pdf.write_image_bomb_pdf(path, side=24_000)  # 576 megapixels of gray from ~0.6 MB
    outcome, _seconds, peak = probe(path)
    assert "decompression bomb" in outcome
    assert peak < 200, f"{peak} MiB peak while checking a bomb"  # PDFium alone peaked at 2 GiB on the first
    status, error = _ingest(stack, folder)["bomb.pdf"]
    assert status is FileStatus.FAILED and error is not None and "decompression bomb" in error


def test_javascript_in_a_pdf_is_never_run(stack: Stack, tmp_path: Path) -> None:
    beacon = socket.socket()
    beacon.bind(("127.0.0.1", 0))
    beacon.listen(5)
    beacon.settimeout(0.2)
    calls: list[object] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                calls.append(beacon.accept())
            except TimeoutError:
                continue

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    url = f"http://127.0.0.1:{beacon.getsockname()[1]}/beacon"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "script.pdf").write_bytes(factories_pdf.javascript_pdf(url))
    try:
        status, error = _ingest(stack, folder)["script.pdf"]
        assert status is FileStatus.DONE, error
        document_id = next(f.document_id for f in stack.catalog.productions.list_files(stack.production("hostile").id))
        assert document_id is not None
        script_doc = [
            f
            for f in stack.catalog.productions.list_files(stack.production("hostile").id)
            if f.original_name == "script.pdf"
        ]
        pages = stack.catalog.documents.pages(script_doc[0].document_id or "")
        assert "Quarterly memo" in pages[0].text and "submitForm" not in pages[0].text
        blob = stack.blobs.path(stack.catalog.documents.get_document(script_doc[0].document_id or "").sha256)
        assert render_png(str(blob), 0, 72)[:8] == b"\x89PNG\r\n\x1a\n"  # the page image path too
    finally:
        stop.set()
        listener.join()
        beacon.close()
    assert calls == [], "the PDF's script reached the network"


def test_embedded_files_are_never_extracted(stack: Stack, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    inner = factories.born_digital_pdf([factories_pdf.EMBEDDED_MARKER.decode()])
    (folder / "attachments.pdf").write_bytes(factories_pdf.embedded_files_pdf(inner))
    status, error = _ingest(stack, folder)["attachments.pdf"]
    assert status is FileStatus.DONE, error
    production = stack.production("hostile")
    assert len(stack.catalog.productions.list_files(production.id)) == 2  # the PDF and good.pdf, no attachment
    assert len(set(stack.blobs.iter_hashes())) == 2
    texts = [
        p.text
        for f in stack.catalog.productions.list_files(production.id)
        for p in stack.catalog.documents.pages(f.document_id or "")
    ]
    assert not any(factories_pdf.EMBEDDED_MARKER.decode() in t for t in texts)
    assert "Cover letter" in " ".join(texts)


def test_malformed_xref_tables_are_repaired_or_refused_with_a_reason(stack: Stack, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in factories_pdf.malformed_xref_pdfs().items():
        (folder / name).write_bytes(data)
    result = _ingest(stack, folder)
    assert set(result) == set(factories_pdf.malformed_xref_pdfs())
    for name, (status, error) in result.items():
        assert status in (FileStatus.DONE, FileStatus.FAILED), name
        if status is FileStatus.FAILED:
            assert error, f"{name} failed without a reason"
    repaired = [n for n, (s, _) in result.items() if s is FileStatus.DONE]
    assert "wrong-offsets.pdf" in repaired  # PDFium rebuilds a table whose offsets are wrong
