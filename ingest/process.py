"""One document, from original to stored pages: text layer, OCR where needed, entities, index.

A file that cannot be processed raises BadPdf; the worker records the reason on the document and the
rest of the production goes on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import structlog
from numpy.typing import NDArray

from catalog.limits import Limits
from catalog.models import DocumentResult, EntityRecord, Page, PageMark, PageSource, RedactionBox
from catalog.retries import OCR_WARNING, ocr_warning_facts
from catalog.titles import metadata_title
from ingest.analysis import (
    DocumentDater,
    PageAnalyzer,
    discovered_entities,
    exemption_codes,
    mention_records,
    page_fact_json,
    parse_iso_date,
)
from ingest.neardup import signature
from ingest.ocr import OcrRequest, OcrResult, ocr_page
from ingest.pdf import glyph_boxes, inspect_pdf, open_pdf, read_page, render_gray
from ingest.pdfguard import refuse_bombs
from ingest.quality import INK_CHECK_IMAGE_SHARE, TextVerdict, ink_coverage, is_thin, judge_ink, judge_text_layer
from ingest.redaction_io import (
    IMAGE_BOX_DPI,
    SCAN_IMAGE_SHARE,
    DrawingCheck,
    check_drawing,
    text_layer_redactions,
    visible_text,
)
from ingest.redactions.boxes import PageRedactions
from ingest.redactions.geometry import Rect
from ingest.redactions.page import page_redactions
from ingest.slipsheets import page_kind

log = structlog.get_logger(__name__)

# Called once per page as its text is settled, so long documents show progress.
ProgressHook = Callable[[PageSource], None]


@dataclass
class PageText:
    number: int
    text: str
    source: PageSource
    confidence: float | None = None
    note: str = ""
    redactions: PageRedactions | None = None
    ocr_error: str = ""  # OCR stopped (a timeout): the page is stored with a retryable warning


def stored_page_text(page: Page) -> PageText:
    """A stored page as extracted text again (reanalysis, page retries): its note and OCR warning kept."""
    warning = page.facts.get(OCR_WARNING)
    error = str(warning.get("detail", "")) if isinstance(warning, dict) else ""
    return PageText(
        page.number, page.text, page.source, page.ocr_confidence, page.facts.get("text_note", ""), ocr_error=error
    )


@dataclass
class ExtractedDocument:
    page_count: int
    metadata: dict[str, str]
    pages: list[PageText] = field(default_factory=list)


def extract_pages(
    path: Path,
    limits: Limits,
    languages: str,
    ocr_executor: Executor,
    on_page: ProgressHook | None = None,
) -> ExtractedDocument:
    """Text of every page: the text layer where it is usable, OCR (in the pool, one page a task) elsewhere."""
    refuse_bombs(path, limits.max_render_pixels)  # before PDFium inflates a stream into memory
    with open_pdf(path) as doc:
        info = inspect_pdf(doc, limits)
        pages: list[PageText] = []
        to_ocr: list[int] = []
        with_geometry: list[int] = []
        scans: set[int] = set()
        whiteouts: dict[int, list[Rect]] = {}
        form_boxes: dict[int, list[Rect]] = {}
        renders: dict[int, NDArray[np.uint8]] = {}  # reused by the redaction-box search
        for index in range(info.page_count):
            read = read_page(doc, index)
            text, image_share = read.text, read.image_share
            verdict = judge_text_layer(text, image_share if is_thin(text) else 0.0)
            if verdict.usable and max(image_share, read.image_cover) >= INK_CHECK_IMAGE_SHARE:
                verdict, renders[index] = _judge_ink(doc, index)
            if verdict.usable:
                # A page of text objects only (most born-digital pages) draws no box: skip the object walk.
                drawn = read.draws or image_share >= SCAN_IMAGE_SHARE
                drawing = check_drawing(doc, index, image_share) if drawn else DrawingCheck(False)
                if drawing.whiteouts:
                    whiteouts[index] = list(drawing.whiteouts)
                if drawing.form_boxes:
                    form_boxes[index] = list(drawing.form_boxes)
                if drawing.needs_geometry:
                    with_geometry.append(index)
                    if image_share >= SCAN_IMAGE_SHARE:
                        scans.add(index)
                pages.append(PageText(index + 1, text, PageSource.TEXT_LAYER))
                if on_page:
                    on_page(PageSource.TEXT_LAYER)
            else:
                pages.append(PageText(index + 1, text, PageSource.OCR, note=verdict.reason))
                to_ocr.append(index)
        _detect_text_layer_redactions(doc, path, pages, with_geometry, frozenset(scans), whiteouts, form_boxes, renders)
    futures = [
        ocr_executor.submit(
            ocr_page,
            OcrRequest(
                pdf_path=str(path),
                page_index=index,
                languages=languages,
                dpi=limits.ocr_dpi,
                max_pixels=limits.max_render_pixels,
                timeout_seconds=limits.ocr_timeout_seconds,
            ),
        )
        for index in to_ocr
    ]
    for future in futures:
        result: OcrResult = future.result()
        page = pages[result.page_index]
        if result.error:
            # Keep what the text layer had rather than nothing; the page carries a warning a retry clears.
            page.note = page.ocr_error = result.error
            page.source = PageSource.TEXT_LAYER if page.text.strip() else PageSource.OCR
        else:
            page.text, page.confidence = result.text, result.confidence
        width = info.page_sizes[result.page_index][0]
        page.redactions = page_redactions(list(result.boxes), list(result.words), [], width, "image")
        if on_page:
            on_page(PageSource.OCR)
    return ExtractedDocument(page_count=info.page_count, metadata=info.metadata, pages=pages)


def _judge_ink(doc: pdfium.PdfDocument, index: int) -> tuple[TextVerdict, NDArray[np.uint8]]:
    """Rule 5 of ingest/quality.py on the render the redaction-box search of a kept scan uses as well."""
    gray = render_gray(doc, index, IMAGE_BOX_DPI)
    return judge_ink(ink_coverage(gray, IMAGE_BOX_DPI, glyph_boxes(doc, index))), gray


def _detect_text_layer_redactions(
    doc: pdfium.PdfDocument,
    path: Path,
    pages: list[PageText],
    indexes: list[int],
    scans: frozenset[int],
    whiteouts: dict[int, list[Rect]],
    form_boxes: dict[int, list[Rect]],
    renders: dict[int, NDArray[np.uint8]],
) -> None:
    """Boxes of the text-layer pages that draw any; on a failed redaction, the page keeps only the
    text a reader can see (the box is flagged; the covered words are stored nowhere)."""
    try:
        found = text_layer_redactions(path, indexes, scans, whiteouts, form_boxes, renders)
    except Exception as exc:  # a detector failure must not cost the document its text and entities
        log.warning("redaction_detection_failed", path=str(path), error=str(exc))
        return
    for index, redactions in found.items():
        pages[index].redactions = redactions
        if redactions.failed:
            pages[index].text = visible_text(doc, index, [b.rect for b in redactions.boxes])


def page_records(page: PageText) -> tuple[list[RedactionBox], PageMark]:
    """The page's boxes and mark as stored: kind, share redacted, failed redaction, signature."""
    found = page.redactions
    share = found.redacted_share if found else 0.0
    boxes = [
        RedactionBox(
            page_number=page.number,
            x0=b.rect.x0,
            y0=b.rect.top,
            x1=b.rect.x1,
            y1=b.rect.bottom,
            source=b.source,
            codes=b.codes,
            label=b.label,
            leaked=bool(b.leaked_text),
            context=b.context,
        )
        for b in (found.boxes if found else ())
    ]
    mark = PageMark(
        page_number=page.number,
        kind=page_kind(page.text, share).value,
        redacted_share=share,
        failed_redaction=bool(found and found.failed),
        minhash=signature(page.text),
    )
    return boxes, mark


def analyze_document(
    document_id: str,
    extracted: ExtractedDocument,
    analyzer: PageAnalyzer,
    date_document: DocumentDater,
    nlp_lock: threading.Lock,
    known_entity_ids: frozenset[str] = frozenset(),
    stored_box_codes: Mapping[int, Sequence[str]] | None = None,
) -> tuple[DocumentResult, list[EntityRecord]]:
    """The document's stored form, and the organizations and people its NER found. On reanalysis the
    boxes are not searched again: `stored_box_codes` (page number -> codes of its stored boxes) keeps
    their codes in the page's set."""
    texts = [p.text for p in extracted.pages]
    with nlp_lock:
        started = time.perf_counter()
        facts = analyzer.analyze(texts)
        log.debug("nlp_done", document_id=document_id, seconds=round(time.perf_counter() - started, 3))
    pages: list[Page] = []
    mentions = []
    boxes: list[RedactionBox] = []
    marks: list[PageMark] = []
    for page, page_facts in zip(extracted.pages, facts, strict=True):
        page_boxes, mark = page_records(page)
        boxes.extend(page_boxes)
        marks.append(mark)
        fact_json = page_fact_json(page_facts)
        if page.note:
            fact_json["text_note"] = page.note
        if page.ocr_error:
            fact_json[OCR_WARNING] = ocr_warning_facts(page.ocr_error)
        pages.append(
            Page(
                document_id=document_id,
                number=page.number,
                text=page.text,
                source=page.source,
                ocr_confidence=page.confidence,
                bates=page_facts.bates,
                exemptions=exemption_codes(
                    page_facts,
                    [
                        *(c for b in page_boxes for c in b.codes),
                        *(stored_box_codes or {}).get(page.number, ()),
                    ],
                ),
                facts=fact_json,
            )
        )
        mentions.extend(mention_records(document_id, page.number, page_facts))
    dated = date_document(texts, extracted.metadata)
    stamps = [p.bates for p in pages if p.bates]
    result = DocumentResult(
        page_count=extracted.page_count,
        pdf_metadata=extracted.metadata,
        title=metadata_title(extracted.metadata),
        pages=pages,
        mentions=mentions,
        document_date=parse_iso_date(dated.iso),
        date_source=dated.source if dated.iso else None,
        bates_begin=stamps[0] if stamps else None,
        bates_end=stamps[-1] if stamps else None,
        redaction_boxes=boxes,
        page_marks=marks,
    )
    return result, discovered_entities(facts, known_entity_ids)
