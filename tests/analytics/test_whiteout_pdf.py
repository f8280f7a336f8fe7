"""A born-digital page whose redaction is a white box painted over text that stays in the text layer:
found through PDFium's drawing order, flagged as failed, and the covered words kept out of the page text."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from catalog.limits import Limits
from ingest.process import extract_pages


def _write(path: Path) -> None:
    canvas = Canvas(str(path), pagesize=letter)
    height = letter[1]
    canvas.setFont("Helvetica", 11)
    # A table cell: white background first, then its text on top (not a redaction).
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(72, height - 220, 300, 16, stroke=1, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(76, height - 216, "Cell text that everyone may read")
    # The white-out: the sentence is drawn, then a white box over the name.
    canvas.drawString(72, height - 100, "Please contact Jane Roe at the field office about the pilot.")
    start = 72 + canvas.stringWidth("Please contact ", "Helvetica", 11)
    width = canvas.stringWidth("Jane Roe", "Helvetica", 11)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(start - 1, height - 103, width + 2, 14, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()


def test_whiteout_over_text_is_a_failed_redaction(tmp_path: Path) -> None:
    pdf = tmp_path / "whiteout.pdf"
    _write(pdf)
    with ThreadPoolExecutor(1) as pool:
        extracted = extract_pages(pdf, Limits(), "eng", pool)
    page = extracted.pages[0]
    assert page.redactions is not None and page.redactions.failed
    assert [b.leaked_text for b in page.redactions.boxes] == ["Jane Roe"]
    assert "Jane Roe" not in page.text
    assert "Please contact" in page.text and "Cell text that everyone may read" in page.text


def test_boxes_drawn_inside_form_xobjects_are_found(tmp_path: Path) -> None:
    # Flattened redaction annotations arrive as form XObjects holding one black path; pdfplumber does
    # not report them, PDFium's object tree does.
    pdf = tmp_path / "forms.pdf"
    canvas = Canvas(str(pdf), pagesize=letter)
    height = letter[1]
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, height - 100, "Paid to")
    canvas.drawString(180, height - 100, "for the narcotics unit.")
    canvas.beginForm("redaction", lowerx=0, lowery=0, upperx=60, uppery=12)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(0, 0, 60, 12, stroke=0, fill=1)
    canvas.endForm()
    canvas.saveState()
    canvas.translate(115, height - 103)
    canvas.doForm("redaction")
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    with ThreadPoolExecutor(1) as pool:
        page = extract_pages(pdf, Limits(), "eng", pool).pages[0]
    assert page.redactions is not None and not page.redactions.failed
    [box] = page.redactions.boxes
    assert abs(box.rect.x0 - 115) < 1 and abs(box.rect.x1 - 175) < 1 and abs(box.rect.bottom - 103) < 1
