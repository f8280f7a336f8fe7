"""Run entity extraction again over the stored page text (no OCR), e.g. after the gazetteer grows; and
bring stored box labels to their stamp (labels once held the words under a failed redaction)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

from catalog.models import Document, DocumentStatus
from catalog.protocols import ReanalysisCatalog
from ingest.analysis import DocumentDater, PageAnalyzer, gazetteer_records
from ingest.process import ExtractedDocument, analyze_document, stored_page_text
from nlp.stamps import stamp_label

log = structlog.get_logger(__name__)


def reanalyze_all(
    catalog: ReanalysisCatalog,
    analyzer: PageAnalyzer,
    date_document: DocumentDater,
    on_document: Callable[[Document], None] | None = None,
) -> int:
    """Re-analyze every done document; returns how many. Reindex afterwards to refresh the facets."""
    restamp_labels(catalog)
    gazetteer = analyzer.entities()
    catalog.entities.upsert_entities(gazetteer_records(gazetteer))
    known = frozenset(e.id for e in gazetteer)
    lock = threading.Lock()
    count = 0
    for document in catalog.documents.iter_documents(DocumentStatus.DONE):
        pages = catalog.documents.pages(document.id)
        extracted = ExtractedDocument(
            page_count=document.page_count or len(pages),
            metadata=document.pdf_metadata,
            pages=[stored_page_text(p) for p in pages],
        )
        box_codes: dict[int, list[str]] = {}
        for box in catalog.analytics.boxes([document.id]):  # their codes stay in their pages' sets
            box_codes.setdefault(box.page_number, []).extend(box.codes)
        result, found = analyze_document(document.id, extracted, analyzer, date_document, lock, known, box_codes)
        catalog.entities.upsert_entities(found)
        catalog.documents.replace_analysis(document.id, result)
        count += 1
        if on_document:
            on_document(document)
    return count


def restamp_labels(catalog: ReanalysisCatalog) -> int:
    """Every stored box label rewritten to the stamp it holds (nlp.stamps.stamp_label); returns how many
    changed. Catalogs written before labels held only the stamp may carry covered words in them."""
    changed = catalog.documents.relabel_boxes(lambda label, source: stamp_label(label, tolerant=source == "image"))
    log.info("box_labels_restamped", changed=changed)
    return changed
