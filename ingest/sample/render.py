"""Drawing laid-out pages: as born-digital PDF content, or as a degraded image that poses as a scan."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from reportlab.lib.colors import black, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ingest.sample.layout import PAGE_HEIGHT, PAGE_WIDTH, BoxOp, Op, RuleOp, TextOp

SCAN_DPI = 200
MAX_ROTATION = 1.5  # degrees
JPEG_QUALITY = 75
SPECKS = 400
GRAIN = 0.04  # share of uniform noise blended into every pixel


def new_canvas(out: io.BytesIO, title: str, author: str) -> Canvas:
    # invariant=1 fixes the creation date and file id, so a seed always gives the same bytes.
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("FOIA Discovery sample generator")
    return canvas


def draw_ops(canvas: Canvas, ops: list[Op]) -> None:
    for op in ops:
        if isinstance(op, TextOp):
            canvas.setFillColor(white if op.white else black)
            canvas.setFont(op.font, op.size)
            canvas.drawString(op.x, PAGE_HEIGHT - op.baseline, op.text)
        elif isinstance(op, BoxOp):
            canvas.setFillColor(black)
            canvas.rect(op.x0, PAGE_HEIGHT - op.y1, op.x1 - op.x0, op.y1 - op.y0, stroke=0, fill=1)
        else:
            assert isinstance(op, RuleOp)
            canvas.setStrokeColor(black)
            canvas.setLineWidth(0.8)
            canvas.line(op.x0, PAGE_HEIGHT - op.y, op.x1, PAGE_HEIGHT - op.y)
    canvas.setFillColor(black)


@dataclass(frozen=True)
class Scan:
    jpeg: bytes
    rotation_degrees: float
    dpi: int


def scan(ops: list[Op], seed: int, dpi: int = SCAN_DPI) -> Scan:
    """Renders the page, then degrades it like a photocopy: tilt, blur, grain and specks."""
    buf = io.BytesIO()
    canvas = new_canvas(buf, "", "")
    draw_ops(canvas, ops)
    canvas.showPage()
    canvas.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    try:
        image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()

    rng = random.Random(seed)
    angle = round(rng.uniform(0.3, MAX_ROTATION) * rng.choice((-1, 1)), 2)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.4))
    # randbytes keeps the noise reproducible for a seed.
    width, height = image.size
    noise = Image.frombytes("L", image.size, rng.randbytes(width * height))
    image = Image.blend(image, noise, GRAIN)
    # Dust on the platen: a few hundred small grey specks. Denser or darker specks turn into
    # punctuation in OCR output, which is noise of a kind this sample is not meant to test.
    draw = ImageDraw.Draw(image)
    for _ in range(SPECKS):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.rectangle((x, y, x + 1, y + 1), fill=rng.randrange(40, 140))
    # Paper is never white, toner never black.
    image = image.point(lambda v: int(24 + v * 0.86))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))
    return Scan(out.getvalue(), angle, dpi)


def draw_scan(canvas: Canvas, page_scan: Scan) -> None:
    canvas.drawImage(ImageReader(io.BytesIO(page_scan.jpeg)), 0, 0, width=PAGE_WIDTH, height=PAGE_HEIGHT)
