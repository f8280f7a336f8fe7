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


def test_a_scans_ocr_layer_under_a_box_is_a_failed_redaction(tmp_path: Path) -> None:
    # The agency ran OCR before it redacted: the page image shows a black box, the invisible OCR text
    # layer still holds the name under it.
    from PIL import Image, ImageDraw

    dpi = 150
    scale = dpi / 72
    image = Image.new("L", (int(612 * scale), int(792 * scale)), 255)
    draw = ImageDraw.Draw(image)
    # Lines of "text" where the OCR layer below has its lines: a layer that matched no ink would be OCR'd.
    for baseline in [311, *(400 + 14 * n for n in range(7))]:
        y = int((baseline - 6) * scale)
        draw.rectangle([int(72 * scale), y, int(500 * scale), y + 2], fill=60)
    draw.rectangle([int(150 * scale), int(300 * scale), int(260 * scale), int(313 * scale)], fill=0)
    image_path = tmp_path / "scan.png"
    image.save(image_path)
    pdf = tmp_path / "scan-with-ocr.pdf"
    canvas = Canvas(str(pdf), pagesize=letter)
    canvas.drawImage(str(image_path), 0, 0, width=612, height=792)
    layer = canvas.beginText()
    layer.setTextRenderMode(3)  # invisible, as OCR layers are
    layer.setFont("Helvetica", 11)
    words = "The account was opened for the narcotics unit in March of that year by the task force."
    layer.setTextOrigin(72, 792 - 311)
    layer.textOut("Opened by ")
    layer.setTextOrigin(155, 792 - 311)
    layer.textOut("Jonathan Whitfield")
    layer.setTextOrigin(72, 792 - 400)
    layer.textLine(words)
    for n in range(6):
        layer.setTextOrigin(72, 792 - 420 - 14 * n)
        layer.textLine(words)
    canvas.drawText(layer)
    canvas.showPage()
    canvas.save()
    with ThreadPoolExecutor(1) as pool:
        page = extract_pages(pdf, Limits(), "eng", pool).pages[0]
    assert page.redactions is not None and page.redactions.failed
    assert [b.leaked_text for b in page.redactions.boxes if b.leaked_text] == ["Jonathan Whitfield"]
    assert "Whitfield" not in page.text
