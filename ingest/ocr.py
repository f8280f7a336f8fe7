"""OCR one page in a worker process: render with pypdfium2, read with tesseract.

Runs in a process pool (one page per task) so that tesseract uses every core; each task opens the PDF
itself and renders just its page, so memory stays bounded by one page image per process.
Pitfalls from BASELINES.md: OMP_THREAD_LIMIT=1 (Debian's tesseract otherwise starts threads that fight
the processes), and hand pytesseract a BMP so it does not spend ~0.4 s re-encoding a PNG.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageOps

from foia.lifetime import die_with_owner, set_parent_death_signal
from ingest.priority import lower_priority
from ingest.redactions.geometry import Rect, Word
from ingest.redactions.grey import grey_boxes_from_image, labelled
from ingest.redactions.outlines import coded_margin, on_coded_page, outlined_boxes_from_image
from ingest.redactions.raster import boxes_from_image, whiteout_from_image


@dataclass(frozen=True)
class OcrRequest:
    pdf_path: str
    page_index: int  # 0-based
    languages: str
    dpi: int
    max_pixels: int
    timeout_seconds: float


@dataclass(frozen=True)
class OcrResult:
    page_index: int
    text: str
    confidence: float | None  # mean word confidence, 0-100
    dpi: int
    error: str | None = None
    # Redaction boxes found in the same render (points, top-left origin), and the words tesseract read
    # with their positions, so codes printed beside a box can be tied to it without a second render.
    boxes: tuple[Rect, ...] = ()
    words: tuple[Word, ...] = ()


# Most scanned pages hold no box. A quarter-resolution look (a sixteenth of the pixels) finds every region
# the full-resolution pass could keep, and more; only then is the page searched at full resolution, where
# the box edges are placed. This saves most of the ~0.25 s the filters take on a clean 300-dpi page.
PREVIEW_REDUCE = 4


def find_boxes(image: Image.Image, dpi: int) -> tuple[Rect, ...]:
    if dpi / PREVIEW_REDUCE >= 50:  # below that a preview could miss a one-word box
        preview = np.asarray(image.reduce(PREVIEW_REDUCE), dtype=np.uint8)
        low = dpi / PREVIEW_REDUCE
        found = boxes_from_image(preview, low, min_width=4.0, min_height=3.0, min_length=4.0)
        if not found and not whiteout_from_image(preview, low):
            return ()
    pixels = np.asarray(image, dtype=np.uint8)
    return tuple(boxes_from_image(pixels, dpi) + whiteout_from_image(pixels, dpi))


def init_ocr_process(nice: int = 0, owner_pid: int | None = None) -> None:
    """Set up an OCR pool process; with `owner_pid` (the worker's process) it and every tesseract it runs
    die with the pool instead of outliving a killed worker (foia/lifetime.py)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    lower_priority(nice)  # tesseract, started from here, inherits it
    if owner_pid is not None:
        die_with_owner(owner_pid)
        _tesseract_dies_with_this_process()


def _tesseract_dies_with_this_process() -> None:
    # pytesseract starts tesseract with the keyword arguments this function returns: one more, run in the
    # child before exec, sets its parent-death signal (kept across exec). Safe: pool processes run one thread.
    plain = pytesseract.pytesseract.subprocess_args

    def with_death_signal(include_stdout: bool = True) -> dict[str, object]:
        return {**plain(include_stdout), "preexec_fn": set_parent_death_signal}

    pytesseract.pytesseract.subprocess_args = with_death_signal


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> int:
    """The requested dpi, lowered when the page image would exceed the pixel budget."""
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels <= max_pixels:
        return dpi
    return max(36, int(dpi * math.sqrt(max_pixels / pixels)))


def ocr_error_message(exc: RuntimeError, request: OcrRequest) -> str:
    """What the page's warning says: a timeout names the limit and its setting, so a user knows the fix."""
    if "timeout" in str(exc).lower():
        return f"OCR timeout: stopped after {request.timeout_seconds:g} s (FOIA_OCR_TIMEOUT_SECONDS)"
    return f"OCR stopped: {exc}"


def ocr_page(request: OcrRequest) -> OcrResult:
    doc = pdfium.PdfDocument(request.pdf_path)
    try:
        page = doc[request.page_index]
        try:
            width, height = page.get_size()
            dpi = render_dpi(width, height, request.dpi, request.max_pixels)
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            image = bitmap.to_pil()
            image.format = "BMP"
        finally:
            page.close()
    finally:
        doc.close()
    boxes = find_boxes(image, dpi)
    try:
        data = pytesseract.image_to_data(
            image,
            lang=request.languages,
            config=f"--dpi {dpi}",
            timeout=request.timeout_seconds,
            output_type=pytesseract.Output.DICT,
        )
    except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
        return OcrResult(request.page_index, "", None, dpi, error=ocr_error_message(exc, request), boxes=boxes)
    text, confidence = text_from_tesseract_data(data)
    boxes, words = judged_boxes(image, dpi, boxes, words_from_tesseract_data(data, dpi), request.languages)
    return OcrResult(request.page_index, text, confidence, dpi, boxes=boxes, words=words)


def judged_boxes(
    image: Image.Image, dpi: int, dark: tuple[Rect, ...], read: tuple[Word, ...], languages: str
) -> tuple[tuple[Rect, ...], tuple[Word, ...]]:
    """The page's boxes and words once OCR has read it: the dark boxes with the stamps read off their
    crops, the grey boxes whose printed words are a stamp, and empty frames on a page whose margin
    prints exemption codes."""
    words = read + stamp_words(image, dark, dpi, languages)
    pixels = np.asarray(image, dtype=np.uint8)
    boxes = dark + tuple(labelled(grey_boxes_from_image(pixels, dpi), read, dark))
    width = image.width * 72.0 / dpi
    if coded_margin(read, width):  # on any other page no frame is kept: the search is skipped
        boxes += tuple(on_coded_page(outlined_boxes_from_image(pixels, dpi), read, width, boxes))
    return boxes, words


# Stamps printed white on a black box are read from the box's own crop, inverted: tesseract reads dark on
# light, and the page-wide pass turns "(b)(6)" on black into "(>" or nothing. One-line boxes only, at most
# this many per page, so a page of redacted table rows costs a bounded extra.
MAX_STAMP_CROPS = 24


def stamp_words(image: Image.Image, boxes: tuple[Rect, ...], dpi: int, languages: str) -> tuple[Word, ...]:
    scale = dpi / 72.0
    found: list[Word] = []
    for box in [b for b in boxes if 6.0 <= b.height <= 30.0][:MAX_STAMP_CROPS]:
        left, top = int(box.x0 * scale), int(box.top * scale)
        # The stamp sits at the box's left end; a long empty tail makes tesseract see nothing at all.
        right = int(min(box.x1, box.x0 + 6 * box.height) * scale)
        crop = ImageOps.invert(image.crop((left, top, right, int(box.bottom * scale))).convert("L"))
        try:
            data = pytesseract.image_to_data(
                ImageOps.expand(crop, border=10, fill=255),
                lang=languages,
                config=f"--dpi {dpi} --psm 7",
                timeout=5,
                output_type=pytesseract.Output.DICT,
            )
        except RuntimeError:  # timeout: the stamp stays unread, the box keeps its place
            continue
        for word in words_from_tesseract_data(data, dpi):
            r = word.rect
            found.append(
                Word(
                    word.text,
                    Rect(
                        box.x0 + r.x0 - 10 / scale,
                        box.top + r.top - 10 / scale,
                        box.x0 + r.x1 - 10 / scale,
                        box.top + r.bottom - 10 / scale,
                    ),
                    on_top=True,
                )
            )
    return tuple(found)


def words_from_tesseract_data(data: dict[str, list[object]], dpi: int) -> tuple[Word, ...]:
    """tesseract's words with their boxes, converted from pixels to points."""
    scale = 72.0 / dpi
    words = []
    for i, word in enumerate(data["text"]):
        text = str(word).strip()
        if not text:
            continue
        left, top = float(str(data["left"][i])), float(str(data["top"][i]))
        width, height = float(str(data["width"][i])), float(str(data["height"][i]))
        # Read off the image a reader sees: whatever tesseract finds on a box is printed on it.
        words.append(
            Word(text, Rect(left * scale, top * scale, (left + width) * scale, (top + height) * scale), on_top=True)
        )
    return tuple(words)


def text_from_tesseract_data(data: dict[str, list[object]]) -> tuple[str, float | None]:
    """Rebuild page text from tesseract's word table: words by spaces, lines by newlines,
    paragraphs and blocks by blank lines. Returns the text and the mean word confidence."""
    lines: list[str] = []
    current: list[str] = []
    key: tuple[object, ...] | None = None
    block_of_line: list[tuple[object, object]] = []
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word_text = str(word).strip()
        if not word_text:
            continue
        line_key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if line_key != key:
            if current:
                lines.append(" ".join(current))
                block_of_line.append((key[0], key[1]) if key else (None, None))
            current, key = [], line_key
        current.append(word_text)
        conf = float(str(data["conf"][i]))
        if conf >= 0:
            confidences.append(conf)
    if current and key:
        lines.append(" ".join(current))
        block_of_line.append((key[0], key[1]))
    out: list[str] = []
    for n, line in enumerate(lines):
        if n and block_of_line[n] != block_of_line[n - 1]:
            out.append("")
        out.append(line)
    mean = sum(confidences) / len(confidences) if confidences else None
    return "\n".join(out), (round(mean, 2) if mean is not None else None)
