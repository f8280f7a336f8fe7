"""A retry of a done document whose OCR stopped on some pages: just those pages are OCR'd again.

The document's job was queued again by a retry (catalog/retries.py). Its other pages keep their stored
text, boxes and marks; the whole document is analysed again (entities, dates and codes read across pages,
and a retried page's text changed), stored in one transaction, then indexed like any stored document.
A page whose OCR stops again keeps its warning, so the file still says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from catalog.limits import Limits
from catalog.models import Page, PageSource
from catalog.retries import warning_of
from ingest.ocr import OcrRequest, OcrResult, ocr_page
from ingest.pdf import open_pdf
from ingest.process import ExtractedDocument, stored_page_text
from ingest.redactions.page import page_redactions


def pages_to_retry(stored: Sequence[Page], page_count: int | None) -> list[int]:
    """Pure: the warned pages to OCR again, when every page of the document is stored; otherwise none
    (a first run, or a run that never stored the document: the whole file is processed)."""
    if not stored or page_count is None or len(stored) != page_count:
        return []
    return [p.number for p in stored if warning_of(p.number, p.facts) is not None]


def reocr_pages(
    path: Path,
    stored: Sequence[Page],
    metadata: dict[str, str],
    numbers: Sequence[int],
    limits: Limits,
    languages: str,
    executor: Executor,
) -> ExtractedDocument:
    """The document as extracted text: stored pages as they are, `numbers` OCR'd again (in the pool)."""
    with open_pdf(path) as doc:
        widths = {n: doc[n - 1].get_size()[0] for n in numbers}
    pages = [stored_page_text(p) for p in stored]
    futures = [
        executor.submit(
            ocr_page,
            OcrRequest(
                pdf_path=str(path),
                page_index=n - 1,
                languages=languages,
                dpi=limits.ocr_dpi,
                max_pixels=limits.max_render_pixels,
                timeout_seconds=limits.ocr_timeout_seconds,
            ),
        )
        for n in numbers
    ]
    for future in futures:
        result: OcrResult = future.result()
        page = pages[result.page_index]
        if result.error:
            page.ocr_error = page.note = result.error
        else:
            page.text, page.confidence, page.source = result.text, result.confidence, PageSource.OCR
            page.ocr_error = ""
            page.note = "" if page.note.startswith("OCR ") else page.note
        page.redactions = page_redactions(
            list(result.boxes), list(result.words), [], widths[result.page_index + 1], "image"
        )
    return ExtractedDocument(page_count=len(pages), metadata=metadata, pages=pages)
