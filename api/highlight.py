"""The query's matches on a document's pages, for the viewer's text and `/documents/{id}/hits`.

Pages are evaluated as the index holds them: the page records are built from the catalog by the same
function that indexes them (search.projection.build_page_records), so field clauses see the keys the
engine matched, and the query evaluator (search.query.evaluate) decides which pages match and which
spans are marked. A page is listed as a hit exactly when search counts it as a hit page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from catalog.entity_reads import indexed_mentions
from catalog.models import Document
from catalog.protocols import IndexSource
from catalog.titles import document_links
from ingest.indexing import catalog_marks
from search.projection import build_page_records
from search.query.ast import Node
from search.query.evaluate import PageMatch, evaluate_record


def page_matches(
    catalog: IndexSource, document: Document, node: Node, collection_ids: Sequence[str] | None
) -> dict[int, PageMatch]:
    """Page number -> the evaluation of `node` on that page, for a reader of `collection_ids`."""
    pages = catalog.documents.pages(document.id)
    mentions, entities = indexed_mentions(catalog, document.id)
    records = build_page_records(
        document,
        pages,
        mentions,
        document_links(document.id, document.title, catalog.productions.links_of_document(document.id)),
        {k: e.type for k, e in entities.items()},
        {k: e.name for k, e in entities.items()},
        marks=catalog_marks(catalog, document.id, [p.number for p in pages]),
    )
    return {r.page_number: evaluate_record(node, r, collection_ids) for r in records}


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)
