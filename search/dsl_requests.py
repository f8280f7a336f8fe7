"""Request bodies for Elasticsearch/OpenSearch searches, and readers of their answers: pure functions.

The query itself comes from search.query.compile_dsl; this module wraps it with the request's
filters and builds the aggregations that count what the tantivy backend counts:
- facets: terms per value with a `cardinality` of document ids (distinct documents), each facet with
  an active filter counted in a `global` → `filter` branch that applies every filter but its own
  (multi-select);
- totals: `cardinality` of document ids, `hits.total` for pages;
- timelines: an integer `histogram` over the calendar bucket fields (interval 1), with distinct
  documents per bucket and, for an entity timeline, a `nested` sum of its mentions;
- document order: `collapse` on the document id for relevance (best page score, then document id),
  a `composite` aggregation over (day, document id) resumed `after` a key for date orders.

`cardinality` is exact up to `precision_threshold` distinct documents (40,000 by default, the
engines' maximum is 40,000) and approximate (HyperLogLog++, within a few percent) above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from search import index_fields as F
from search.aggregations import card
from search.backend import Histogram, HistogramBucket, Interval
from search.calendar import bucket_start
from search.dsl_mapping import (
    INTERVAL_FIELDS,
    MENTION_COUNT,
    MENTION_ENTITY,
    META,
    PAGE_ENTITY,
    PAGE_ID,
)
from search.link_names import facet_include
from search.query.ast import Node
from search.query.compile_dsl import compile_dsl, date_range_dsl, filters_dsl

Dsl = dict[str, Any]

PRECISION_THRESHOLD = 40_000
BEST_PAGES = 3
PAGE_SOURCE: tuple[str, ...] = (F.TEXT, F.PAGE_NUMBER, META)
EXPORT_SOURCE: tuple[str, ...] = (F.DOCUMENT_ID, F.PAGE_NUMBER, META)


def distinct_documents(threshold: int = PRECISION_THRESHOLD) -> Dsl:
    return {"cardinality": {"field": F.DOCUMENT_ID, "precision_threshold": threshold}}


def query_dsl(
    node: Node,
    filters: Mapping[str, Sequence[str]],
    *,
    date_from: dt.date | None,
    date_to: dt.date | None,
    collection_ids: Sequence[str] | None,
    max_seq: int | None = None,
    exclude: str | None = None,
    entity_id: str | None = None,
) -> Dsl:
    """The compiled query (scored) with every filter (not scored) of the request."""
    clauses = filters_dsl(
        {k: list(v) for k, v in filters.items()},
        collection_ids=None if collection_ids is None else list(collection_ids),
        max_seq=max_seq,
        exclude_facet=exclude,
    )
    if date_from is not None or date_to is not None:
        clauses.append(date_range_dsl(date_from, date_to))
    if entity_id is not None:
        clauses.append({"term": {PAGE_ENTITY: entity_id}})
    return {"bool": {"must": [compile_dsl(node, collection_ids=collection_ids)], "filter": clauses}}


def facet_agg(facet: str, size: int, collection_ids: Sequence[str] | None, threshold: int = PRECISION_THRESHOLD) -> Dsl:
    field = F.YEAR if facet == "year" else facet
    # Over-fetch, then rank by distinct documents with a deterministic tie-break (facet_values).
    order = [{"docs": "desc"}, {"_key": "asc"}]
    return {
        "terms": {"field": field, "size": max(size * 2, 50), "order": order, **facet_include(facet, collection_ids)},
        "aggs": {"docs": distinct_documents(threshold)},
    }


def histogram_agg(interval: Interval, entity_id: str | None, threshold: int = PRECISION_THRESHOLD) -> Dsl:
    sub: Dsl = {"docs": distinct_documents(threshold)}
    if entity_id is not None:
        sub["mentions"] = {
            "nested": {"path": F.MENTIONS},
            "aggs": {
                "e": {
                    "filter": {"term": {f"{F.MENTIONS}.{MENTION_ENTITY}": entity_id}},
                    "aggs": {"n": {"sum": {"field": f"{F.MENTIONS}.{MENTION_COUNT}"}}},
                }
            },
        }
    return {"histogram": {"field": INTERVAL_FIELDS[interval], "interval": 1, "min_doc_count": 1}, "aggs": sub}


def undated_agg(threshold: int = PRECISION_THRESHOLD) -> Dsl:
    return {"filter": {"term": {F.HAS_DATE: 0}}, "aggs": {"docs": distinct_documents(threshold)}}


def search_aggs(
    node: Node,
    filters: Mapping[str, Sequence[str]],
    *,
    facets: Sequence[str],
    facet_size: int,
    histogram: Interval | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    collection_ids: Sequence[str] | None,
    max_seq: int | None,
    with_max_seq: bool,
    threshold: int = PRECISION_THRESHOLD,
) -> Dsl:
    aggs: Dsl = {"_docs": distinct_documents(threshold)}
    if with_max_seq:
        aggs["_max_seq"] = {"max": {"field": F.SEQ}}
    for facet in facets:
        if filters.get(facet):
            # Multi-select: this facet is counted with every filter except its own.
            others = query_dsl(
                node,
                filters,
                date_from=date_from,
                date_to=date_to,
                collection_ids=collection_ids,
                max_seq=max_seq,
                exclude=facet,
            )
            aggs[f"g_{facet}"] = {
                "global": {},
                "aggs": {
                    "f": {"filter": others, "aggs": {"t": facet_agg(facet, facet_size, collection_ids, threshold)}}
                },
            }
        else:
            aggs[f"f_{facet}"] = facet_agg(facet, facet_size, collection_ids, threshold)
    if histogram is not None:
        aggs["_hist"] = histogram_agg(histogram, None, threshold)
        aggs["_undated"] = undated_agg(threshold)
    return aggs


def relevance_body(query: Dsl, offset: int, size: int, aggs: Dsl) -> Dsl:
    """Documents by best page score desc, then document id asc: one collapsed hit per document."""
    return {
        "query": query,
        "from": offset,
        "size": size + 1,
        "sort": [{"_score": {"order": "desc"}}, {F.DOCUMENT_ID: {"order": "asc"}}],
        "collapse": {"field": F.DOCUMENT_ID},
        "_source": False,
        "track_total_hits": True,
        "aggs": aggs,
    }


def date_body(query: Dsl, after: Sequence[Any] | None, size: int, descending: bool, aggs: Dsl) -> Dsl:
    """Documents by day (undated last), ties by document id: a composite resumed after a key."""
    composite: Dsl = {
        "size": size + 1,
        "sources": [
            {
                "d": {
                    "terms": {
                        "field": F.DAY,
                        "order": "desc" if descending else "asc",
                        "missing_bucket": True,
                        "missing_order": "last",
                    }
                }
            },
            {"i": {"terms": {"field": F.DOCUMENT_ID}}},
        ],
    }
    if after is not None:
        composite["after"] = {"d": after[0], "i": after[1]}
    return {"query": query, "size": 0, "track_total_hits": True, "aggs": {**aggs, "_order": {"composite": composite}}}


def best_pages_body(query: Dsl, document_ids: Sequence[str]) -> Dsl:
    """The best pages (score desc, then page number) of each listed document, and its hit count."""
    return {
        "query": {"bool": {"must": [query], "filter": [{"terms": {F.DOCUMENT_ID: list(document_ids)}}]}},
        "size": 0,
        "aggs": {
            "d": {
                "terms": {"field": F.DOCUMENT_ID, "size": max(1, len(document_ids))},
                "aggs": {
                    "top": {
                        "top_hits": {
                            "size": BEST_PAGES,
                            "sort": [{"_score": {"order": "desc"}}, {F.PAGE_NUMBER: {"order": "asc"}}],
                            "_source": {"includes": list(PAGE_SOURCE)},
                        }
                    }
                },
            }
        },
    }


def export_body(query: Dsl, after: Sequence[Any] | None, size: int) -> Dsl:
    body: Dsl = {
        "query": {"bool": {"filter": [query]}},
        "size": size,
        "sort": [{F.SEQ: {"order": "asc"}}, {PAGE_ID: {"order": "asc"}}],
        "_source": {"includes": list(EXPORT_SOURCE)},
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = list(after)
    return body


def page_ids_body(document_id: str, after: str | None, size: int) -> Dsl:
    body: Dsl = {
        "query": {"term": {F.DOCUMENT_ID: document_id}},
        "size": size,
        "sort": [{PAGE_ID: {"order": "asc"}}],
        "_source": False,
        "track_total_hits": False,
    }
    if after is not None:
        body["search_after"] = [after]
    return body


# -- reading answers ---------------------------------------------------------------------------------


def total_hits(resp: Mapping[str, Any]) -> int:
    total = resp.get("hits", {}).get("total", 0)
    return int(total["value"] if isinstance(total, Mapping) else total)


def facet_bucket_agg(aggs: Mapping[str, Any], facet: str) -> Mapping[str, Any]:
    if f"f_{facet}" in aggs:
        result: Mapping[str, Any] = aggs[f"f_{facet}"]
        return result
    return aggs[f"g_{facet}"]["f"]["t"]  # type: ignore[no-any-return]


def read_histogram(interval: Interval, agg: Mapping[str, Any], undated: int, entity_id: str | None) -> Histogram:
    buckets = []
    for b in agg.get("buckets", []):
        docs = card(b["docs"])
        if b["doc_count"] == 0 or docs == 0:
            continue
        mentions = None
        if entity_id is not None:
            mentions = round(float(b["mentions"]["e"]["n"].get("value") or 0.0))
        buckets.append(
            HistogramBucket(
                start=bucket_start(interval, int(b["key"])),
                documents=docs,
                pages=int(b["doc_count"]),
                mentions=mentions,
            )
        )
    return Histogram(interval=interval, buckets=tuple(buckets), undated_documents=undated, entity_id=entity_id)
