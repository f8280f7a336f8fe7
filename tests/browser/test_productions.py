"""Productions page: create a production, drop and choose files, watch progress reach the end, see
the failed files with their reasons and whether a retry can help; only stored files open."""

from __future__ import annotations

import base64
import io
import re
import uuid
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

pytestmark = pytest.mark.browser

INGEST_TIMEOUT_MS = 300_000


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    y = 760
    for line in text.splitlines():
        pdf.drawString(72, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_upload_progress_and_failed_files(page, tmp_path: Path, screenshot):
    tag = uuid.uuid4().hex[:8]
    dropped = _pdf(f"Memorandum {tag}\nThe pilot of Clearview AI was approved.\n(b)(6)")
    chosen = tmp_path / f"letter-{tag}.pdf"
    chosen.write_bytes(_pdf(f"Letter {tag}\nCellebrite UFED licences renewed for 2020."))
    archive = tmp_path / f"archive-{tag}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"inside-{tag}.pdf", _pdf(f"Inside the archive {tag}\nPalantir Gotham."))
    broken = tmp_path / f"broken-{tag}.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"this is not really a PDF " * 40)
    not_pdf = tmp_path / f"notes-{tag}.pdf"
    not_pdf.write_text("meeting notes, plain text\n")

    page.goto("/productions")
    page.get_by_label("Production name").fill(f"Browser upload {tag}")
    page.get_by_role("button", name="Create production").click()
    expect(page).to_have_url(re.compile(r"/productions/[^/]+$"))
    expect(page.locator("h1")).to_have_text(f"Browser upload {tag}")

    # Drag and drop one file onto the drop zone.
    page.locator(".dropzone").evaluate(
        """(zone, [name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
            zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        [f"dropped-{tag}.pdf", base64.b64encode(dropped).decode()],
    )
    status = page.locator(".upload-status")
    expect(status).to_contain_text("Uploaded: 1 file queued")

    # Then choose several files (a PDF, a zip archive, a broken PDF, a text file) with the file input.
    page.locator("#upload-input").set_input_files([chosen, archive, broken, not_pdf])
    expect(status).to_contain_text("Uploaded")
    screenshot(page, "uploading")

    state = page.locator(".progress-state")
    expect(state).to_have_text("Finished", timeout=INGEST_TIMEOUT_MS)
    counts = page.locator(".progress-card .counts").first
    expect(counts.locator("dt:has-text('Done') + dd")).to_have_text("3")
    expect(counts.locator("dt:has-text('Failed') + dd")).to_have_text("2")

    failed = page.locator(".failed-table tbody tr")
    expect(failed).to_have_count(2)
    broken_row = failed.filter(has_text=broken.name)
    expect(broken_row.locator("td.reason")).not_to_be_empty()
    expect(failed.filter(has_text=not_pdf.name).locator("td.reason")).to_contain_text("not a PDF")
    screenshot(page, "finished-with-failures")

    # Both failures are the files' own (corrupt, not a PDF): no retry is offered to answer "Queued 0".
    expect(failed.locator("td.retryable")).to_have_text(["the file itself: a retry would fail the same way"] * 2)
    expect(page.get_by_role("button", name=re.compile("Retry"))).to_have_count(0)
    expect(page.locator(".no-retry")).to_be_visible()

    # In the list of all files, only files with stored pages open in the viewer.
    page.locator(".all-files summary").click()
    listed = page.locator(".all-files tbody tr")
    expect(listed).to_have_count(5)
    expect(listed.filter(has_text=broken.name).get_by_role("link", name="Open")).to_have_count(0)
    expect(listed.filter(has_text=chosen.name).get_by_role("link", name="Open")).to_have_count(1)

    page.goto("/productions")
    row = page.locator("tr", has_text=f"Browser upload {tag}")
    expect(row).to_contain_text("finished")
    screenshot(page, "list")
