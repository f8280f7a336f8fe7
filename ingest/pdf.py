"""Open a PDF, check it against the limits, and read each page's text layer with pypdfium2.

pypdfium2 reads text about 100x faster than pdfplumber (BASELINES.md), so it is the bulk text path.
PDFium is not thread-safe: every call in one process goes through PDFIUM_LOCK.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from numpy.typing import NDArray

from catalog.limits import Limits
from catalog.sniff import HEAD_BYTES, Kind, describe, sniff

PDFIUM_LOCK = threading.RLock()

# PDFium's load error codes (fpdfview.h)
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 5


class BadPdf(Exception):
    """The file cannot be processed; the message is the reason users see."""


@dataclass(frozen=True)
class PdfInfo:
    page_count: int
    metadata: dict[str, str]
    page_sizes: list[tuple[float, float]]  # points


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfium.PdfDocument]:
    with PDFIUM_LOCK:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
        kind = sniff(head)
        if kind is Kind.EMPTY:
            raise BadPdf("empty file")
        if kind is not Kind.PDF:
            raise BadPdf(f"not a PDF: looks like {describe(head)}")
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == _ERR_FORMAT and _has_no_pages(path):
                raise BadPdf("PDF has no pages") from exc
            raise BadPdf(_load_error(exc)) from exc
    try:
        yield doc
    finally:
        with PDFIUM_LOCK:
            doc.close()


def _has_no_pages(path: Path) -> bool:
    """PDFium refuses a well-formed PDF whose page tree is empty as a format error; pdfminer tells them apart."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as f:
            document = PDFDocument(PDFParser(f))
            return next(PDFPage.create_pages(document), None) is None
    except Exception:  # any parse failure: it is corrupt, not empty
        return False


def _load_error(exc: pdfium.PdfiumError) -> str:
    code = getattr(exc, "err_code", None)
    if code == _ERR_PASSWORD:
        return "encrypted PDF: it needs a password to open"
    if code == _ERR_SECURITY:
        return "encrypted PDF: unsupported security handler"
    if code == _ERR_FORMAT:
        return "corrupt or truncated PDF: PDFium could not parse it"
    if code == _ERR_FILE:
        return "PDF file could not be read"
    return f"PDF could not be opened: {exc}"


def inspect_pdf(doc: pdfium.PdfDocument, limits: Limits) -> PdfInfo:
    with PDFIUM_LOCK:
        count = len(doc)
        if count == 0:
            raise BadPdf("PDF has no pages")
        if count > limits.max_pages:
            raise BadPdf(f"PDF has {count} pages, more than the limit of {limits.max_pages} (FOIA_MAX_PAGES)")
        sizes = [doc.get_page_size(i) for i in range(count)]
        metadata = _metadata(doc)
    max_points = limits.max_page_inches * 72
    for number, (width, height) in enumerate(sizes, start=1):
        if max(width, height) > max_points or min(width, height) <= 0:
            raise BadPdf(
                f"page {number} is {width / 72:.0f} x {height / 72:.0f} inches, outside the limit of "
                f"{limits.max_page_inches:.0f} inches (FOIA_MAX_PAGE_INCHES)"
            )
    return PdfInfo(page_count=count, metadata=metadata, page_sizes=sizes)


def _metadata(doc: pdfium.PdfDocument) -> dict[str, str]:
    try:
        raw = doc.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    return {str(k): str(v)[:1000] for k, v in raw.items()}


def normalize_text(text: str) -> str:
    # PDFium ends lines with CRLF and may emit NULs or form feeds; downstream offsets want plain "\n".
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\x0c", "\n")


@dataclass(frozen=True)
class PageRead:
    """One pass over a page: its text layer and what its objects say about it."""

    text: str
    image_share: float  # the largest image's share of the page area: near 1.0 on a scan
    draws: bool  # it has path or form objects, so it may draw redaction boxes
    # All images' summed share of the page area (capped at 1): a scan stored as strips has a small
    # largest image but covers the page all the same.
    image_cover: float = 0.0


def read_page(doc: pdfium.PdfDocument, index: int) -> PageRead:
    """Text and a census of the page's top-level objects, loading the page once.

    The census uses PDFium's raw calls: pypdfium2's object wrappers cost ~20 us each, and a text page
    holds hundreds of text objects that only need counting past."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
            width, height = page.get_size()
            best = 0.0
            total = 0.0
            draws = False
            raw = page.raw
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
                obj = pdfium_c.FPDFPage_GetObject(raw, i)
                kind = pdfium_c.FPDFPageObj_GetType(obj)
                if kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                    draws = True
                elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(
                    obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
                ):
                    image_area = max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)
                    best = max(best, image_area)
                    total += image_area
        finally:
            page.close()
    area = width * height
    share = min(1.0, best / area) if area > 0 else 0.0
    cover = min(1.0, total / area) if area > 0 else 0.0
    return PageRead(normalize_text(text), share, draws, cover)


def render_gray(doc: pdfium.PdfDocument, index: int, dpi: float) -> NDArray[np.uint8]:
    """The page as a grayscale image (0 black .. 255 white) at `dpi`."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = np.array(bitmap.to_pil().convert("L"), dtype=np.uint8)
        finally:
            page.close()
    return image


def glyph_boxes(doc: pdfium.PdfDocument, index: int) -> list[tuple[float, float, float, float]]:
    """Every visible character's box in the text layer as (x0, top, x1, bottom) in points, origin top
    left. Invisible text (a scanner's hidden OCR layer) counts: it says where the layer claims ink is.
    PDFium's raw call: the wrapper's per-character cost matters on a page of thousands of characters."""
    boxes: list[tuple[float, float, float, float]] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                raw = textpage.raw
                for i in range(pdfium_c.FPDFText_CountChars(raw)):
                    if pdfium_c.FPDFText_GetUnicode(raw, i) <= 32:
                        continue
                    if (
                        pdfium_c.FPDFText_GetCharBox(
                            raw, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
                        )
                        and right.value > left.value
                    ):
                        boxes.append((left.value, height - top.value, right.value, height - bottom.value))
            finally:
                textpage.close()
        finally:
            page.close()
    return boxes
