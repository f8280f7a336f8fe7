"""Reading a PDF for redaction detection: the I/O edge around the ingest/redactions package.

pdfplumber gives exact rectangle geometry and character colours but reads about 16 pages a second, so a
page is opened with it only when PDFium (fast) sees a dark filled path or a page-sized image on it.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from numpy.typing import NDArray

from ingest.pdf import PDFIUM_LOCK, normalize_text
from ingest.redactions.boxes import PageRedactions
from ingest.redactions.geometry import Rect, merge_touching
from ingest.redactions.grey import grey_boxes_from_image, labelled
from ingest.redactions.leaks import substantive_leaks
from ingest.redactions.page import page_redactions
from ingest.redactions.raster import boxes_from_image
from ingest.redactions.vector import (
    DrawnObject,
    FilledShape,
    Glyph,
    boxes_from_shapes,
    luminance,
    whiteouts_over_text,
    words_from_glyphs,
)

# Render resolution for finding boxes in the image of a page that also has a (scanner's OCR) text layer.
IMAGE_BOX_DPI = 100
# A page whose largest image covers this share of it is a scan, whatever text layer it carries.
SCAN_IMAGE_SHARE = 0.5


@dataclass(frozen=True)
class DrawingCheck:
    """What PDFium saw on a page: whether pdfplumber should look (a dark or grey fill, or a scan image),
    white fills drawn over text drawn before them (white-out), and boxes drawn inside form XObjects
    (flattened redaction annotations), which pdfplumber does not report."""

    needs_geometry: bool
    whiteouts: tuple[Rect, ...] = ()
    form_boxes: tuple[Rect, ...] = ()


_UNKNOWN = -1.0


def _fill_luminance(obj: pdfium.PdfObject) -> float | None:
    """A path's fill as luminance 0..1; None when it is not filled; _UNKNOWN when PDFium cannot say."""
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
    if not fill.value:
        return None
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(
        obj.raw, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)
    ):
        return _UNKNOWN
    if a.value == 0:
        return None  # fully transparent
    return (0.299 * r.value + 0.587 * g.value + 0.114 * b.value) / 255


def check_drawing(doc: pdfium.PdfDocument, index: int, image_share: float) -> DrawingCheck:
    """One pass over the page's objects in drawing order (PDFium keeps the content stream's order)."""
    ordered: list[DrawnObject] = []
    form_boxes: list[Rect] = []
    needs = image_share >= SCAN_IMAGE_SHARE
    form: Rect | None = None  # the top-level form XObject whose contents are being read
    form_dark = False  # it holds a dark filled path
    form_other = False  # it holds anything else (text, images, light fills)

    def close_form() -> None:
        if form is not None and form_dark and not form_other and form.width >= 4 and form.height >= 4:
            form_boxes.append(form)

    with PDFIUM_LOCK:
        page = doc[index]
        try:
            height = page.get_height()
            for obj in page.get_objects(max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                rect = Rect(left, height - top, right, height - bottom)
                if obj.level > 0:
                    if form is not None:
                        value = _fill_luminance(obj) if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH else None
                        if value is not None and 0 <= value <= 0.35:
                            form_dark = True
                        elif obj.type != pdfium_c.FPDF_PAGEOBJ_PATH or value is not None:
                            form_other = True
                        if value is not None and 0 <= value <= 0.85:
                            # FDA's grey boxes come as forms holding the fill and its "(b) (6)" label,
                            # both of which pdfplumber reports: it decides by the label.
                            needs = True
                    continue
                close_form()
                form, form_dark, form_other = None, False, False
                if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
                    form = rect
                    continue
                if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                    ordered.append(DrawnObject("text", rect))
                    continue
                if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH or rect.width < 4 or rect.height < 4:
                    continue
                value = _fill_luminance(obj)
                if value is None:
                    continue
                if value == _UNKNOWN:
                    needs = True  # let pdfplumber decide
                    continue
                # Up to mid grey: FDA's grey boxes with a stamp on them are redactions too.
                if value <= 0.85:
                    needs = True
                ordered.append(DrawnObject("fill", rect, value))
            close_form()
        finally:
            page.close()
    whiteouts = tuple(whiteouts_over_text(ordered))
    return DrawingCheck(needs or bool(whiteouts) or bool(form_boxes), whiteouts, tuple(form_boxes))


def _rect(obj: dict[str, Any]) -> Rect:
    return Rect(float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _white(color: object) -> bool:
    value = luminance(color)
    return value is not None and value >= 0.9


def text_layer_redactions(
    path: Path,
    indexes: Sequence[int],
    scan_indexes: frozenset[int],
    whiteouts: Mapping[int, Sequence[Rect]] | None = None,
    form_boxes: Mapping[int, Sequence[Rect]] | None = None,
    renders: Mapping[int, NDArray[np.uint8]] | None = None,
) -> dict[int, PageRedactions]:
    """Redactions of the given pages (0-based) read with pdfplumber; `scan_indexes` are scans with a text
    layer, whose boxes are in the image rather than in the drawing operations; `whiteouts` are white
    fills PDFium saw drawn over earlier text, `form_boxes` dark boxes drawn inside form XObjects (both from
    check_drawing); `renders` are pages already rendered at IMAGE_BOX_DPI (the ink check's), not rendered
    again."""
    found: dict[int, PageRedactions] = {}
    if not indexes:
        return found
    with pdfplumber.open(path) as pdf:
        for index in indexes:
            page = pdf.pages[index]
            glyphs = [Glyph(c["text"], _rect(c), _white(c.get("non_stroking_color"))) for c in page.chars]
            words = words_from_glyphs(glyphs)
            shapes = [
                FilledShape(_rect(r), value)
                for r in page.rects
                if r.get("fill") and (value := luminance(r.get("non_stroking_color"))) is not None
            ]
            boxes = boxes_from_shapes(shapes, float(page.width), float(page.height), glyphs)
            extra = [*(whiteouts or {}).get(index, ()), *(form_boxes or {}).get(index, ())]
            boxes = merge_touching([*boxes, *extra], gap=0.0)
            scan = index in scan_indexes
            if scan:
                rendered = (renders or {}).get(index)
                gray = rendered if rendered is not None else render_page(path, index)
                boxes = merge_touching([*boxes, *boxes_from_image(gray, IMAGE_BOX_DPI)], gap=0.0)
                # Grey labelled boxes in the image count when the layer's words on them are a stamp.
                boxes += labelled(grey_boxes_from_image(gray, IMAGE_BOX_DPI), words, boxes)
            redactions = page_redactions(boxes, words, glyphs, float(page.width), "text_layer")
            if scan:
                # A scan's OCR layer under a box in the image holds what the box hides when the agency
                # ran OCR before redacting: a failed redaction. OCR also reads specks off a box's edges,
                # so only words of three letters or digits count as leaked there.
                redactions = substantive_leaks(redactions)
            found[index] = redactions
            page.flush_cache()
    return found


def render_page(path: Path, index: int) -> NDArray[np.uint8]:
    """The page as a greyscale image at IMAGE_BOX_DPI."""
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(str(path))
        try:
            page = doc[index]
            try:
                image = page.render(scale=IMAGE_BOX_DPI / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
        finally:
            doc.close()
    return np.asarray(image, dtype=np.uint8)


def _white_char(textpage: pdfium.PdfTextPage, index: int) -> bool:
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    ok = pdfium_c.FPDFText_GetFillColor(
        textpage.raw, index, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)
    )
    return bool(ok) and (0.299 * r.value + 0.587 * g.value + 0.114 * b.value) / 255 >= 0.9


def visible_text(doc: pdfium.PdfDocument, index: int, boxes: Sequence[Rect]) -> str:
    """The page's text layer without the characters under redaction boxes: what a reader can see.
    PDFium's text has one character per text-page index, so each index is kept or dropped by its box."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                count = textpage.count_chars()
                hidden: set[int] = set()
                if len(text) == count:
                    for i in range(count):
                        left, bottom, right, top = textpage.get_charbox(i)
                        cx, cy = (left + right) / 2, height - (top + bottom) / 2
                        under = right > left and any(b.contains_point(cx, cy, inset=0.5) for b in boxes)
                        # A white stamp printed on the box stays readable.
                        if under and not _white_char(textpage, i):
                            hidden.add(i)
                else:  # pragma: no cover - PDFium keeps them equal; fall back to hiding nothing
                    hidden = set()
            finally:
                textpage.close()
        finally:
            page.close()
    return normalize_text("".join(ch for i, ch in enumerate(text) if i not in hidden))
