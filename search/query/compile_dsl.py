"""Query tree -> Elasticsearch/OpenSearch query DSL (plain dicts), for the distributed backends.

Same semantics as compile_tantivy: words and phrases via match_phrase on the analyzed `text` field,
`"a b"~N` and w/N / pre/N via `intervals` (in order or not, at most N-1 words between operands),
prefixes via `prefix` on the stemmed terms plus the stem of the prefix itself, keyword fields via
`term`/`prefix` on their `<field>_key` column, dates via the integer `day_index`.
search.dsl_mapping describes the index those queries expect (from the field registry).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search import index_fields as F
from search.analysis import stems, words
from search.link_names import filter_values
from search.query.ast import (
    And,
    BatesRange,
    DateRange,
    FieldValue,
    Fuzzy,
    KeyLookup,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Proximity,
    Span,
    SpanOr,
    Term,
)
from search.query.compile_tantivy import day_index
from search.query.fields import query_key
from search.query.scoped import NAME_FIELDS, scope_fields

Dsl = dict[str, Any]

MATCH_NONE: Dsl = {"match_none": {}}


def _text_match(field: str, text: str) -> Dsl:
    if not stems(text):
        return MATCH_NONE
    return {"match_phrase": {field: {"query": text}}}


def _prefix(field: str, text: str) -> Dsl:
    ws = words(text)
    if not ws:
        return MATCH_NONE
    if len(ws) == 1:
        should: list[Dsl] = [{"prefix": {field: {"value": ws[0]}}}]
        stem = stems(ws[0])
        if stem and stem[0] != ws[0]:
            should.append({"term": {field: {"value": stem[0]}}})
        return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}
    return {"intervals": {field: _prefix_interval(ws)}}


def _prefix_interval(ws: list[str]) -> Dsl:
    last: Dsl = {"prefix": {"prefix": ws[-1], "analyzer": "keyword"}}
    if len(ws) == 1:
        return last
    head: Dsl = {"match": {"query": " ".join(ws[:-1]), "max_gaps": 0, "ordered": True}}
    return {"all_of": {"ordered": True, "max_gaps": 0, "intervals": [head, last]}}


def _span(span: Span) -> Dsl | None:
    if isinstance(span, SpanOr):
        parts = [p for p in (_span(c) for c in span.children) if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"any_of": {"intervals": parts}}
    if isinstance(span, Prefix):
        ws = words(span.text)
        if not ws:
            return None
        interval = _prefix_interval(ws)
        stem = stems(ws[-1])
        if len(ws) == 1 and stem and stem[0] != ws[0]:
            return {"any_of": {"intervals": [interval, {"match": {"query": stem[0], "analyzer": "keyword"}}]}}
        return interval
    if not stems(span.text):
        return None
    return {"match": {"query": span.text, "max_gaps": 0, "ordered": True}}


def _field(node: FieldValue) -> Dsl:
    if node.field in NAME_FIELDS:  # pragma: no cover - compile_dsl scopes them first
        raise TypeError(f"unscoped name field {node.field}")
    key = query_key(node.field, node.value)
    if not key:
        return MATCH_NONE
    column = F.key_field(node.field)
    if node.prefix:
        return {"prefix": {column: {"value": key}}}
    return {"term": {column: {"value": key}}}


def _fuzzy(node: Fuzzy) -> Dsl:
    toks = stems(node.text)
    if len(toks) != 1:
        return MATCH_NONE
    # Every term within the distance at a constant score (as tantivy's fuzzy term query), not the 50
    # most frequent that the default top-terms rewrite keeps; no transpositions, as on tantivy.
    rule = {"value": toks[0], "fuzziness": node.distance, "transpositions": False, "prefix_length": 0}
    return {"fuzzy": {F.TEXT: {**rule, "rewrite": "constant_score"}}}


def _bates_range(node: BatesRange) -> Dsl:
    bounds: Dsl = {}
    if node.start is not None:
        bounds["gte"] = node.start
    if node.end is not None:
        bounds["lte"] = node.end
    in_range: Dsl = {"range": {F.BATES_NUMBER: bounds}} if bounds else {"exists": {"field": F.BATES_NUMBER}}
    return {"bool": {"filter": [{"term": {F.BATES_SERIES: {"value": node.series}}}, in_range]}}


def _lookup(node: KeyLookup) -> Dsl:
    if not node.keys:
        return MATCH_NONE
    if node.prefix:
        should = [{"prefix": {node.column: {"value": k}}} for k in node.keys]
        found: Dsl = {"bool": {"should": should, "minimum_should_match": 1}}
    else:
        found = {"terms": {node.column: list(node.keys)}}
    return {"bool": {"filter": [found]}}  # a filter scores 0, as compile_tantivy's const_score_query


def date_range_dsl(start: Any, end: Any) -> Dsl:
    bounds: Dsl = {}
    if start is not None:
        bounds["gte"] = day_index(start)
    if end is not None:
        bounds["lte"] = day_index(end)
    return {"range": {F.DAY: bounds}} if bounds else {"exists": {"field": F.DAY}}


def compile_dsl(node: Node, *, collection_ids: Sequence[str] | None) -> Dsl:
    """Compile a parsed query to an Elasticsearch/OpenSearch `query` clause for a reader of
    `collection_ids` (None: every collection), whose scope decides which names `file:`, `title:` and
    `production:` match."""
    return _compile(scope_fields(node, collection_ids))


def _compile(node: Node) -> Dsl:
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Term):
        return _text_match(F.TEXT, node.text)
    if isinstance(node, Prefix):
        return _prefix(F.TEXT, node.text)
    if isinstance(node, Phrase):
        if node.slop == 0 or len(stems(node.text)) < 2:
            return _text_match(F.TEXT, node.text)
        return {"intervals": {F.TEXT: {"match": {"query": node.text, "max_gaps": node.slop, "ordered": True}}}}
    if isinstance(node, Fuzzy):
        return _fuzzy(node)
    if isinstance(node, BatesRange):
        return _bates_range(node)
    if isinstance(node, FieldValue):
        return _field(node)
    if isinstance(node, KeyLookup):
        return _lookup(node)
    if isinstance(node, DateRange):
        return date_range_dsl(node.start, node.end)
    if isinstance(node, Proximity):
        left, right = _span(node.left), _span(node.right)
        if left is None or right is None:
            return MATCH_NONE
        rule = {"ordered": node.ordered, "max_gaps": node.distance - 1, "intervals": [left, right]}
        return {"intervals": {F.TEXT: {"all_of": rule}}}
    if isinstance(node, Or | SpanOr):
        return {"bool": {"should": [_compile(c) for c in node.children], "minimum_should_match": 1}}
    if isinstance(node, And):
        must = [_compile(c) for c in node.children if not isinstance(c, Not)]
        must_not = [_compile(c.child) for c in node.children if isinstance(c, Not)]
        body: Dsl = {}
        if must:
            body["must"] = must
        if must_not:
            body["must_not"] = must_not
        return {"bool": body}
    if isinstance(node, Not):
        return {"bool": {"must_not": [_compile(node.child)]}}
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def filters_dsl(
    filters: dict[str, list[str]],
    *,
    collection_ids: list[str] | None,
    max_seq: int | None = None,
    exclude_facet: str | None = None,
) -> list[Dsl]:
    """Filter clauses for a request: OR inside a facet (terms), AND across facets; the collection
    scope is always applied. `exclude_facet` drops that facet's own filter (multi-select counts)."""
    out: list[Dsl] = []
    if collection_ids is not None:
        out.append({"terms": {F.COLLECTION: list(collection_ids)}})
    if max_seq is not None:
        out.append({"range": {F.SEQ: {"lte": max_seq}}})
    for facet, values in sorted(filters.items()):
        if facet == exclude_facet or not values:
            continue
        if facet == "year":
            out.append({"terms": {F.YEAR: [int(v) for v in values]}})
        else:
            out.append({"terms": {facet: filter_values(facet, values, collection_ids)}})
    return out


def facet_agg_dsl(facet: str, size: int) -> Dsl:
    """Terms per facet value with the number of distinct documents (the number reported)."""
    field = F.YEAR if facet == "year" else facet
    return {
        "terms": {"field": field, "size": size, "order": [{"docs": "desc"}, {"_key": "asc"}]},
        "aggs": {"docs": {"cardinality": {"field": F.DOCUMENT_ID}}},
    }
