"""An OCR that stops (a timeout) is a retryable warning on the page, the file and the production; a retry
OCRs just the warned pages. Real tesseract: a tiny FOIA_OCR_TIMEOUT_SECONDS stops it on a real scan."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from catalog.limits import Limits
from catalog.models import FileStatus, PageSource
from catalog.retries import retry_counts, retry_facts, warning_of
from ingest.page_retry import pages_to_retry
from search.backend import SearchRequest
from tests import factories
from tests.ingest.conftest import make_stack

SCANNED = "Clearview AI met the field office\non 4 March 2019 about face recognition."
TYPED = "The second page is typed: a Rekognition pilot memo."


def _scan_then_text() -> bytes:
    """Page 1 a scan (no text layer: OCR'd), page 2 born digital (never OCR'd)."""
    out = pdfium.PdfDocument.new()
    for data in (factories.scanned_pdf(SCANNED), factories.born_digital_pdf([TYPED])):
        out.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_an_ocr_timeout_is_a_retryable_page_warning_and_a_retry_reocrs_that_page(
    tmp_path: Path, analyzer: object
) -> None:
    (tmp_path / "upload").mkdir()
    pdf = tmp_path / "upload" / "scan.pdf"
    pdf.write_bytes(_scan_then_text())
    hurried = make_stack(tmp_path, analyzer, Limits(ocr_timeout_seconds=0.01))
    production = hurried.production()
    hurried.intake(production, [pdf])
    hurried.run_until_idle()

    [file] = hurried.catalog.productions.list_files(production.id)
    assert file.status is FileStatus.DONE and file.document_id is not None  # searchable by its other page
    scan, typed = hurried.catalog.documents.pages(file.document_id)
    warning = warning_of(1, scan.facts)
    assert warning is not None and warning.kind == "ocr_timeout" and warning.retryable
    assert "FOIA_OCR_TIMEOUT_SECONDS" in warning.detail
    assert warning_of(2, typed.facts) is None and "Rekognition" in typed.text
    assert "Clearview" not in scan.text
    assert pages_to_retry([scan, typed], 2) == [1]
    assert retry_counts(hurried.catalog.db.reader, production.id).files == 1
    assert retry_facts(hurried.catalog.db.reader, [file.document_id])[file.document_id].warnings == (warning,)

    app = create_app(hurried, ApiSettings(limits=hurried.limits, spool_dir=tmp_path / "spool"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        shown = client.get(f"/api/v1/productions/{production.id}").json()["progress"]
        assert shown["retryable"] == 1 and shown["pages"]["with_warnings"] == 1 and shown["finished"]
        [listed] = client.get(f"/api/v1/productions/{production.id}/files").json()["items"]
        assert listed["status"] == "done" and listed["retryable"] is True
        assert [(w["page_number"], w["kind"]) for w in listed["warnings"]] == [(1, "ocr_timeout")]
        document = client.get(f"/api/v1/documents/{file.document_id}").json()
        assert [p["warning"] and p["warning"]["kind"] for p in document["pages"]] == ["ocr_timeout", None]
        assert client.get(f"/api/v1/documents/{file.document_id}/pages/1").json()["warning"]["retryable"] is True
        assert client.post(f"/api/v1/productions/{production.id}/retry").json() == {"queued": 1}
    hurried.close()

    patient = make_stack(tmp_path, analyzer)  # the same catalog and index, the default timeout
    try:
        patient.run_until_idle()
        scan_after, typed_after = patient.catalog.documents.pages(file.document_id)
        assert warning_of(1, scan_after.facts) is None
        assert "Clearview" in scan_after.text and scan_after.source is PageSource.OCR
        assert typed_after == typed  # the page that had no warning is stored as it was
        assert patient.catalog.productions.list_files(production.id)[0].status is FileStatus.DONE
        assert retry_counts(patient.catalog.db.reader, production.id).files == 0
        patient.index.refresh()
        found = patient.index.search(SearchRequest(query="clearview", facets=()))
        assert [d.document_id for d in found.documents] == [file.document_id]
    finally:
        patient.close()
