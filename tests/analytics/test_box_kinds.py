"""What is a redaction box and what only looks like one, on generated pages: FDA's grey boxes labelled
"(b) (6)" drawn inside form XObjects; a scanned table's dark header row with white column names; a
round logo and a tinted seal on a scan."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from catalog.limits import Limits
from ingest.process import extract_pages
from ingest.redactions.boxes import PageRedactions
from ingest.redactions.geometry import Rect

WIDTH, HEIGHT = letter
DPI = 200
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _redactions(pdf: Path) -> PageRedactions:
    with ThreadPoolExecutor(1) as pool:
        found = extract_pages(pdf, Limits(), "eng", pool).pages[0].redactions
    assert found is not None
    return found


def _near(found: Rect, want: tuple[float, float, float, float], slack: float = 3.0) -> bool:
    return all(abs(a - b) <= slack for a, b in zip((found.x0, found.top, found.x1, found.bottom), want, strict=True))


def test_grey_boxes_labelled_inside_form_xobjects_are_redactions(tmp_path: Path) -> None:
    pdf = tmp_path / "fda.pdf"
    canvas = Canvas(str(pdf), pagesize=letter)
    canvas.setFont("Times-Roman", 11)
    canvas.drawString(72, HEIGHT - 100, "Telecon. Information Request regarding the clinical data from")
    canvas.drawString(72, HEIGHT - 130, "the sponsor was received and reviewed by the division.")
    # As FDA's redaction tool writes them: each box a form holding a grey fill and its label.
    canvas.beginForm("box", lowerx=0, lowery=0, upperx=90, uppery=11)
    canvas.setFillGray(0.75)
    canvas.rect(0, 0, 90, 11, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setFont("Times-Roman", 9)
    canvas.drawCentredString(45, 2.5, "(b) (6)")
    canvas.endForm()
    boxes = [(380.0, 90.0), (330.0, 120.0)]  # x0, top
    for x0, top in boxes:
        canvas.saveState()
        canvas.translate(x0, HEIGHT - top - 11)
        canvas.doForm("box")
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    found = _redactions(pdf)
    assert len(found.boxes) == 2
    for (x0, top), box in zip(boxes, sorted(found.boxes, key=lambda b: b.rect.top), strict=True):
        assert _near(box.rect, (x0, top, x0 + 90, top + 11)), box.rect
        assert box.codes == ("b6",)


def _scan(tmp_path: Path, draw_page: object) -> Path:
    scale = DPI / 72
    image = Image.new("L", (int(WIDTH * scale), int(HEIGHT * scale)), 235)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(11 * scale))
    draw.text(
        (72 * scale, 90 * scale), "Quote for the license plate reader cameras and their service", font=font, fill=30
    )
    assert callable(draw_page)
    draw_page(draw, scale)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    pdf = tmp_path / "scan.pdf"
    canvas = Canvas(str(pdf), pagesize=letter)
    canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, WIDTH, HEIGHT)
    canvas.showPage()
    canvas.save()
    return pdf


# A real redaction on each scanned page: a black box with a white "(b)(6)" stamp at (300, 400)-(420, 416).
REDACTION = (300.0, 400.0, 420.0, 416.0)


def _redaction(draw: ImageDraw.ImageDraw, scale: float) -> None:
    x0, top, x1, bottom = (v * scale for v in REDACTION)
    draw.rectangle((x0, top, x1, bottom), fill=20)
    draw.text((x0 + 4 * scale, top + 2 * scale), "(b)(6)", font=ImageFont.truetype(FONT, int(10 * scale)), fill=240)


def test_a_scanned_tables_dark_header_with_white_column_names_is_not_a_redaction(tmp_path: Path) -> None:
    def page(draw: ImageDraw.ImageDraw, scale: float) -> None:
        font = ImageFont.truetype(FONT, int(10 * scale))
        draw.rectangle((72 * scale, 200 * scale, 540 * scale, 216 * scale), fill=25)  # the header row
        for x, name in ((76, "Item"), (150, "Description"), (380, "Quantity"), (470, "Price")):
            draw.text((x * scale, 202 * scale), name, font=font, fill=245)
        for row in range(4):
            y = (222 + 16 * row) * scale
            draw.text((76 * scale, y), f"{row + 1}", font=font, fill=30)
            draw.text((150 * scale, y), "Fixed camera with annual service", font=font, fill=30)
        _redaction(draw, scale)

    found = _redactions(_scan(tmp_path, page))
    assert [b.rect for b in found.boxes if b.rect.top < 230] == []
    assert any(_near(b.rect, REDACTION) for b in found.boxes), found.boxes


def test_a_round_logo_and_a_tinted_seal_on_a_scan_are_not_redactions(tmp_path: Path) -> None:
    def page(draw: ImageDraw.ImageDraw, scale: float) -> None:
        draw.ellipse((460 * scale, 30 * scale, 530 * scale, 100 * scale), fill=20)  # a dark round logo
        # A tinted badge: a mid-dark fill with scanner noise across the dark threshold.
        for n in range(0, int(60 * scale), 2):
            draw.line((72 * scale, 140 * scale + n, 200 * scale, 140 * scale + n), fill=98 if n % 4 else 112)
        _redaction(draw, scale)

    found = _redactions(_scan(tmp_path, page))
    assert [b.rect for b in found.boxes if not _near(b.rect, REDACTION)] == []
    assert len(found.boxes) == 1
