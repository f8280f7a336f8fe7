"""Reading aggregation answers: tantivy's aggregation JSON has Elasticsearch's shape, so both engines'
facet counts are read by the same pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from search.backend import FacetValue
from search.link_names import facet_value


def card(agg: Mapping[str, Any]) -> int:
    """A cardinality aggregation's value (distinct documents)."""
    return round(float(agg.get("value") or 0.0))


def facet_values(agg: Mapping[str, Any], size: int, facet: str) -> tuple[FacetValue, ...]:
    """Terms buckets with a distinct-document count, ranked by that count, ties by value.

    A scoped facet's buckets of one value under several of the reader's collections (`col_1/hot`,
    `col_2/hot`: a tag name both matters use) are one value whose count is their sum: exact unless one
    document carries that value in two of the reader's collections (then it counts once per collection).
    A reader of every collection counts the all-collections scope, which is exact."""
    counts: dict[str, int] = {}
    for b in agg.get("buckets", []):
        value = str(int(b["key"])) if isinstance(b["key"], int | float) else facet_value(facet, str(b["key"]))
        counts[value] = counts.get(value, 0) + card(b["docs"])
    values = [FacetValue(value=v, count=n) for v, n in counts.items() if n > 0]
    values.sort(key=lambda v: (-v.count, v.value))
    return tuple(values[:size])
