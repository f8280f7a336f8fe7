"""tantivy queries and aggregation requests built from a search request, and readers of the answers.

Pure functions over the schema: the backend only runs what they build. tantivy's aggregation JSON has
Elasticsearch's shape, so the facet and timeline requests mirror search.dsl_requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tantivy

from search import index_fields as F
from search.aggregations import card
from search.backend import Histogram, HistogramBucket, HistogramRequest, Interval, SearchRequest
from search.calendar import bucket_start
from search.link_names import SCOPED_FACETS, facet_include, filter_values, reader_scopes
from search.query.compile_tantivy import date_range_query
from search.tantivy_schema import DOC_KEY, INTERVAL_FIELDS, mention_key

_Occur = tantivy.Occur


def scope_query(schema: tantivy.Schema, collection_ids: Sequence[str] | None) -> tantivy.Query | None:
    """Pages of the reader's collections (None: every page)."""
    if collection_ids is None:
        return None
    return tantivy.Query.term_set_query(schema, F.COLLECTION, list(collection_ids))


def filter_clauses(
    schema: tantivy.Schema,
    request: SearchRequest | HistogramRequest,
    filters: Mapping[str, Sequence[str]],
    *,
    max_seq: int,
    exclude: str | None = None,
) -> list[tantivy.Query]:
    """The request's snapshot, scope, date range and facet filters (all but `exclude`'s) as clauses."""
    clauses: list[tantivy.Query] = [tantivy.Query.range_query(schema, F.SEQ, tantivy.FieldType.Integer, None, max_seq)]
    scope = scope_query(schema, request.collection_ids)
    if scope is not None:
        clauses.append(scope)
    if request.date_from is not None or request.date_to is not None:
        clauses.append(date_range_query(schema, request.date_from, request.date_to))
    for facet, values in sorted(filters.items()):
        if facet == exclude or not values:
            continue
        if facet == "year":
            clauses.append(tantivy.Query.term_set_query(schema, F.YEAR, [int(v) for v in values]))
        else:
            terms = filter_values(facet, values, request.collection_ids)
            clauses.append(tantivy.Query.term_set_query(schema, facet, terms))
    return clauses


def combine(query: tantivy.Query, filters: Sequence[tantivy.Query]) -> tantivy.Query:
    # Filters must not change scores: they wrap in a zero constant score.
    return tantivy.Query.boolean_query(
        [(_Occur.Must, query)] + [(_Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
    )


def and_filter(query: tantivy.Query, restriction: tantivy.Query) -> tantivy.Query:
    """`query`'s hits that also match `restriction`, scored by `query` alone."""
    return combine(query, [restriction])


def distinct_documents() -> dict[str, Any]:
    """Distinct documents counted on the numeric document key: a cardinality over the id string
    column hashes every term's bytes on each pass (about 1.5x slower for five facets at 10k pages)."""
    return {"cardinality": {"field": DOC_KEY}}


def facet_agg(facet: str, request: SearchRequest, scoped_terms: Sequence[str] = ()) -> dict[str, Any]:
    """A facet's terms aggregation. `scoped_terms`: the index's terms of a scoped facet under the
    reader's scopes (see scoped_facet_terms); listed, they replace the include regex, which tantivy
    evaluates against every term of the field on each pass (about 2 ms a pass at 100k pages)."""
    field, size = (F.YEAR if facet == "year" else facet), request.facet_size
    include: dict[str, Any] = (
        {"include": list(scoped_terms)} if scoped_terms else facet_include(facet, request.collection_ids)
    )
    # Over-fetch, then rank by distinct documents with a deterministic tie-break in Python.
    return {
        "terms": {"field": field, "size": max(size * 2, 50), "order": {"docs": "desc"}} | include,
        "aggs": {"docs": distinct_documents()},
    }


def scoped_facet_terms(searcher: tantivy.Searcher, facet: str, collection_ids: Sequence[str] | None) -> list[str]:
    """Every term of a scoped facet qualified by one of the reader's scopes, read off the searcher's
    term dictionary (exact for that searcher: a term of deleted pages only adds a bucket-less entry).
    Empty for an unscoped facet or when the reader has no such term (the regex include then applies)."""
    if facet not in SCOPED_FACETS:
        return []
    prefixes = [scope + "/" for scope in reader_scopes(collection_ids)]
    return [term for prefix in prefixes for term, _ in searcher.terms_with_prefix(facet, prefix)]


def dated_agg() -> dict[str, Any]:
    return {"terms": {"field": F.HAS_DATE, "size": 2}, "aggs": {"docs": distinct_documents()}}


def read_undated(agg: Mapping[str, Any]) -> int:
    """Undated documents, from a dated_agg() answer."""
    return sum(card(b["docs"]) for b in agg.get("buckets", []) if int(b["key"]) == 0)


def histogram_agg(interval: Interval, entity_id: str | None) -> dict[str, Any]:
    sub: dict[str, Any] = {"docs": distinct_documents()}
    if entity_id is not None:
        sub["mentions"] = {"sum": {"field": F.MENTIONS + "." + mention_key(entity_id)}}
    return {"histogram": {"field": INTERVAL_FIELDS[interval], "interval": 1}, "aggs": sub}


def read_histogram(interval: Interval, agg: Mapping[str, Any], undated: int, entity_id: str | None) -> Histogram:
    buckets = []
    for b in agg.get("buckets", []):
        docs = card(b["docs"])
        if b["doc_count"] == 0 or docs == 0:
            continue
        mentions = None
        if entity_id is not None:
            mentions = round(float(b["mentions"].get("value") or 0.0))
        buckets.append(
            HistogramBucket(
                start=bucket_start(interval, int(b["key"])),
                documents=docs,
                pages=int(b["doc_count"]),
                mentions=mentions,
            )
        )
    return Histogram(interval=interval, buckets=tuple(buckets), undated_documents=undated, entity_id=entity_id)
