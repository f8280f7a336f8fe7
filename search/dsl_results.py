"""Reading Elasticsearch/OpenSearch answers into result pages, document hits and export rows: pure
functions over the response dicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search import index_fields as F
from search.backend import DocumentHit, ExportHit, PageHit, SearchRequest
from search.dsl_mapping import META, parse_date
from search.link_names import export_names, shown_names
from search.query.ast import Node
from search.snippets import make_snippet


@dataclass(frozen=True)
class ResultPage:
    """The documents of one result page, in order, with the engine's sort score when known."""

    ids: list[str]
    scores: dict[str, float]
    has_more: bool
    after: list[Any] | None  # cursor key of the last document on the page


def relevance_page(resp: Mapping[str, Any], offset: int, size: int) -> ResultPage:
    hits = resp["hits"]["hits"]
    ids = [str(h["fields"][F.DOCUMENT_ID][0]) for h in hits[:size]]
    scores = {str(h["fields"][F.DOCUMENT_ID][0]): float(h["sort"][0]) for h in hits[:size]}
    return ResultPage(ids, scores, len(hits) > size, [offset + len(ids)])


def date_page(composite: Mapping[str, Any], size: int) -> ResultPage:
    buckets = composite.get("buckets", [])
    keys = [(b["key"]["d"], str(b["key"]["i"])) for b in buckets]
    page = keys[:size]
    after = [page[-1][0], page[-1][1]] if page else None
    return ResultPage([i for _, i in page], {}, len(keys) > size, after)


def document_hit(
    document_id: str,
    bucket: Mapping[str, Any],
    score: float | None,
    match_all: bool,
    node: Node,
    request: SearchRequest,
) -> DocumentHit:
    top = bucket["top"]["hits"]["hits"]
    pages: list[PageHit] = []
    meta: Mapping[str, Any] = {}
    for hit in top:
        src = hit["_source"]
        page_meta = src.get(META) or {}
        meta = meta or page_meta
        page_score = 1.0 if match_all else float(hit["sort"][0])
        pages.append(
            PageHit(
                page_number=int(src.get(F.PAGE_NUMBER) or 0),
                bates=page_meta.get("bates"),
                score=page_score,
                snippet=make_snippet(str(src.get(F.TEXT) or ""), node, request.snippet_chars),
            )
        )
    if score is None:
        score = max((p.score for p in pages), default=0.0)
    return DocumentHit(
        document_id=document_id,
        **shown_names(meta, request.collection_ids),
        document_date=parse_date(meta.get("document_date")),
        bates_begin=meta.get("bates_begin"),
        bates_end=meta.get("bates_end"),
        page_count=int(meta.get("page_count", 0)),
        score=score,
        hit_pages=int(bucket["doc_count"]),
        pages=tuple(pages),
    )


def export_hit(src: Mapping[str, Any], scope: Sequence[str] | None) -> ExportHit:
    meta = src.get(META) or {}
    return ExportHit(
        document_id=str(src[F.DOCUMENT_ID]),
        page_number=int(src.get(F.PAGE_NUMBER) or 0),
        bates=meta.get("bates"),
        document_date=parse_date(meta.get("document_date")),
        **export_names(meta, scope),
    )
