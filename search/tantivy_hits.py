"""Reading tantivy hits into the backend's answers: the documents of a result page with their best
pages and snippets, and export rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import tantivy

from search import index_fields as F
from search.backend import DocumentHit, ExportHit, PageHit, SearchRequest
from search.link_names import export_names, shown_names
from search.query.ast import MatchAll, Node
from search.snippets import make_snippet
from search.tantivy_paging import BEST_PAGES, Picked
from search.tantivy_requests import and_filter
from search.tantivy_schema import stored_meta

EXPORT_BATCH = 2000  # each batch rescans the matches after the last seq: keep batches large


def document_hits(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: tantivy.Query,
    node: Node,
    picked: list[Picked],
    request: SearchRequest,
) -> tuple[DocumentHit, ...]:
    if not picked:
        return ()
    ids = [p.document_id for p in picked]
    # One pass counts the matching pages of every document on the result page.
    in_page = and_filter(query, tantivy.Query.term_set_query(schema, F.DOCUMENT_ID, ids))
    out = searcher.aggregate(in_page, {"c": {"terms": {"field": F.DOCUMENT_ID, "size": len(ids)}}})
    counts = {b["key"]: int(b["doc_count"]) for b in out["c"]["buckets"]}
    match_all = isinstance(node, MatchAll)
    return tuple(
        _document_hit(searcher, schema, query, p, counts.get(p.document_id, 0), match_all, node, request)
        for p in picked
    )


def _document_hit(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: tantivy.Query,
    picked: Picked,
    hit_pages: int,
    match_all: bool,
    node: Node,
    request: SearchRequest,
) -> DocumentHit:
    best = picked.pages
    if match_all or len(best) < min(BEST_PAGES, hit_pages):
        in_doc = and_filter(query, tantivy.Query.term_query(schema, F.DOCUMENT_ID, picked.document_id))
        if match_all:
            # Every page scores alike: show the document's first pages.
            result = searcher.search(
                in_doc, BEST_PAGES, count=False, order_by_field=F.PAGE_NUMBER, order=tantivy.Order.Asc
            )
            best = [(1.0, addr) for _, addr in result.hits]
        else:
            best = [(float(sc), addr) for sc, addr in searcher.search(in_doc, BEST_PAGES, count=False).hits]
    pages: list[PageHit] = []
    meta: dict[str, Any] = {}
    for page_score, addr in best:
        doc = searcher.doc(addr)
        page_meta = stored_meta(doc)
        meta = meta or page_meta
        pages.append(
            PageHit(
                page_number=int(doc.get_first(F.PAGE_NUMBER) or 0),
                bates=page_meta.get("bates"),
                score=page_score,
                snippet=make_snippet(str(doc.get_first(F.TEXT) or ""), node, request.snippet_chars),
            )
        )
    date = meta.get("document_date")
    # The relevance cursor resumes after this exact engine score, so it is passed through as is.
    score = picked.score if picked.score is not None else max((p.score for p in pages), default=0.0)
    return DocumentHit(
        document_id=picked.document_id,
        **shown_names(meta, request.collection_ids),
        document_date=None if date is None else _parse_date(date),
        bates_begin=meta.get("bates_begin"),
        bates_end=meta.get("bates_end"),
        page_count=int(meta.get("page_count", 0)),
        score=score,
        hit_pages=hit_pages,
        pages=tuple(pages),
    )


def export_hits(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query, scope: Sequence[str] | None
) -> Iterator[ExportHit]:
    """Every matching page in indexing order, read in batches resumed after the last seq."""
    last_seq = -1
    while True:
        after = tantivy.Query.range_query(schema, F.SEQ, tantivy.FieldType.Integer, last_seq, None, include_lower=False)
        hits = searcher.search(
            and_filter(query, after), EXPORT_BATCH, count=False, order_by_field=F.SEQ, order=tantivy.Order.Asc
        ).hits
        for seq, addr in hits:
            doc = searcher.doc(addr)
            meta = stored_meta(doc)
            date = meta.get("document_date")
            yield ExportHit(
                document_id=str(doc.get_first(F.DOCUMENT_ID)),
                page_number=int(doc.get_first(F.PAGE_NUMBER) or 0),
                bates=meta.get("bates"),
                document_date=None if date is None else _parse_date(date),
                **export_names(meta, scope),
            )
            last_seq = int(seq)
        if len(hits) < EXPORT_BATCH:
            return


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
