"""Rule 5 of ingest/quality.py on generated PDFs: a scan whose hidden text layer holds only its exemption
labels and a Bates stamp is OCR'd (its body becomes searchable text); a born-digital page and a scan with
a full, correct hidden OCR layer keep their text layer."""

from __future__ import annotations

import io
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from catalog.limits import Limits
from catalog.models import PageSource
from ingest.process import extract_pages

WIDTH, HEIGHT = letter
BODY = [
    "Establishment inspection report for the warehouse in Baltimore",
    "The investigator examined the storage temperature records",
    "Several shipments of vaccine were held past their expiry dates",
    "Management agreed to correct the labelling procedures promptly",
    "Samples were collected from the cold room and the loading dock",
]
LABEL = "(b) (6)"
BATES = "FDA-CBER-2021-00412"


@dataclass(frozen=True)
class Line:
    x: float
    baseline: float  # from the top
    text: str
    size: float = 11.0


def form_lines(labels: int) -> tuple[list[Line], list[Line]]:
    """A scanned form: body sentences, then `labels` redacted fields each printed "(b) (6)", and a Bates
    stamp. Returns (body lines, label and Bates lines)."""
    body = [Line(72, 90 + 22 * n, text) for n, text in enumerate(BODY * 2)]
    marks = [Line(72 + 130 * (n % 4), 330 + 16 * (n // 4), f"Field {n + 1}: {LABEL}", 9) for n in range(labels)]
    marks.append(Line(430, HEIGHT - 30, BATES, 9))
    return body, marks


def _draw_text(canvas: Canvas, lines: list[Line], invisible: bool = False) -> None:
    for line in lines:
        text = canvas.beginText(line.x, HEIGHT - line.baseline)
        text.setFont("Helvetica", line.size)
        if invisible:
            text.setTextRenderMode(3)  # how scanners hide their OCR layer
        text.textLine(line.text)
        canvas.drawText(text)


def _scan_image(lines: list[Line], dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=letter)
    _draw_text(canvas, lines)
    canvas.showPage()
    canvas.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    try:
        image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    rng = random.Random(7)
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    image = Image.blend(image, noise, 0.04).point(lambda v: int(24 + v * 0.86))  # paper is never white
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=75)
    return out.getvalue()


def write_scan(path: Path, image_lines: list[Line], layer: list[Line], strips: int = 1) -> None:
    """The image of `image_lines` over the whole page (in `strips` horizontal bands, as some scanners
    store it), with `layer` as an invisible text layer."""
    jpeg = Image.open(io.BytesIO(_scan_image(image_lines)))
    canvas = Canvas(str(path), pagesize=letter)
    band = jpeg.size[1] // strips
    for n in range(strips):
        piece = jpeg.crop((0, n * band, jpeg.size[0], (n + 1) * band if n < strips - 1 else jpeg.size[1]))
        buf = io.BytesIO()
        piece.save(buf, format="JPEG", quality=75)
        top = HEIGHT * n * band / jpeg.size[1]
        height = HEIGHT * piece.size[1] / jpeg.size[1]
        canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, HEIGHT - top - height, WIDTH, height)
    _draw_text(canvas, layer, invisible=True)
    canvas.showPage()
    canvas.save()


def _extract(path: Path) -> tuple[PageSource, str, str]:
    with ThreadPoolExecutor(1) as pool:
        page = extract_pages(path, Limits(), "eng", pool).pages[0]
    return page.source, page.text, page.note


@pytest.mark.parametrize(
    ("labels", "strips"),
    [(52, 1), (8, 4)],
    ids=["many-labels-one-image", "few-labels-image-in-strips"],
)
def test_a_scan_whose_layer_holds_only_labels_and_bates_is_ocrd(tmp_path: Path, labels: int, strips: int) -> None:
    body, marks = form_lines(labels)
    pdf = tmp_path / "form.pdf"
    write_scan(pdf, body + marks, marks, strips)
    source, text, note = _extract(pdf)
    assert source is PageSource.OCR, note
    words = {w.strip(".,").lower() for w in text.split()}
    for expected in ("warehouse", "investigator", "shipments", "labelling", "samples"):
        assert expected in words, (expected, text[:300])


def test_a_born_digital_page_keeps_its_text_layer(tmp_path: Path) -> None:
    body, marks = form_lines(12)
    pdf = tmp_path / "memo.pdf"
    canvas = Canvas(str(pdf), pagesize=letter)
    _draw_text(canvas, body + marks)
    canvas.setFillColorRGB(0.2, 0.3, 0.6)
    canvas.circle(520, HEIGHT - 60, 30, stroke=0, fill=1)  # a drawn seal: ink with no glyph
    canvas.showPage()
    canvas.save()
    source, text, _ = _extract(pdf)
    assert source is PageSource.TEXT_LAYER
    assert BODY[0] in text


def test_a_scan_with_a_full_hidden_ocr_layer_is_not_ocrd_again(tmp_path: Path) -> None:
    body, marks = form_lines(52)
    pdf = tmp_path / "scan.pdf"
    write_scan(pdf, body + marks, body + marks)
    source, text, note = _extract(pdf)
    assert source is PageSource.TEXT_LAYER, note
    assert BODY[2] in text and BATES in text
