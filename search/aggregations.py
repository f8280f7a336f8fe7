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
    """Terms buckets with a distinct-document count, ranked by that count, ties by value."""
    values = [
        FacetValue(
            value=str(int(b["key"])) if isinstance(b["key"], int | float) else facet_value(facet, str(b["key"])),
            count=card(b["docs"]),
        )
        for b in agg.get("buckets", [])
    ]
    values = [v for v in values if v.count > 0]
    values.sort(key=lambda v: (-v.count, v.value))
    return tuple(values[:size])
