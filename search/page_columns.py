"""One page as every engine indexes it: the engine-neutral projection of a page record.

The field registry (search.fields) says which columns each field fills; this module fills them once,
and each engine only turns the result into its own document (search.tantivy_backend's
record_to_document, search.dsl_mapping's page_source). The display metadata is built here too, so both
engines store the same fields for showing a hit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from search import index_fields as F
from search.calendar import bucket_numbers
from search.fields import FIELDS, Fields
from search.link_names import links_meta
from search.page_keys import page_key_terms
from search.query.bates import bates_parts
from search.records import PageRecord

# The calendar bucket columns, by interval: timelines count documents per bucket with plain integer
# histograms on every engine.
INTERVAL_FIELDS: Mapping[str, str] = {
    "day": F.DAY,
    "week": F.WEEK,
    "month": F.MONTH,
    "quarter": F.QUARTER,
    "year": F.YEAR,
}
# Display-only document fields, stored with each page and never searched.
META_FIELDS: tuple[str, ...] = (
    "links",  # per-link names, shown only to readers of the link's collection (search.link_names)
    "document_date",
    "bates",
    "bates_begin",
    "bates_end",
    "page_count",
)


@dataclass(frozen=True)
class PageColumns:
    document_id: str
    page_id: str
    text: str
    keywords: dict[str, list[str]]  # raw keyword columns (several values each): scope, facets, keys
    integers: dict[str, int]  # integer columns: page number, seq, calendar buckets, Bates number
    document_date: str | None  # ISO
    bates: str | None
    mentions: dict[str, int]  # entity id -> mentions on the page
    meta: dict[str, Any]  # META_FIELDS


def facet_columns(fields: Fields = FIELDS) -> tuple[str, ...]:
    """The keyword columns of the filterable fields, one per field and named after it (`year` is the
    integer bucket)."""
    return fields.keyword_columns


def keyword_columns(fields: Fields = FIELDS) -> tuple[str, ...]:
    """Every raw keyword column a page fills besides its ids (what each engine declares as keyword)."""
    return (
        F.COLLECTION,
        *facet_columns(fields),
        *F.key_columns(fields),
        F.PAGE_ENTITY,
        F.BATES_SERIES,
    )


def page_columns(record: PageRecord, seq: int, fields: Fields = FIELDS) -> PageColumns:
    keywords: dict[str, list[str]] = {F.COLLECTION: list(record.collection_ids)}
    page_entities: list[str] = []
    for field in fields:
        if field.projection == "entities":
            if field.filterable and (doc_ids := record.document_entities.get(field.name, ())):
                keywords[field.name] = list(doc_ids)
            page_entities.extend(record.entities.get(field.name, ()))
        elif field.projection == "values" and field.filterable and (values := field.values(record)):
            keywords[field.name] = list(values)
    if page_entities:
        keywords[F.PAGE_ENTITY] = page_entities
    # The match keys (and the production facet's qualified ids) come from the one derivation the query
    # evaluator also reads.
    keywords.update(page_key_terms(record, fields))
    integers = {
        F.PAGE_NUMBER: record.page_number,
        F.SEQ: seq,
        F.HAS_DATE: 0 if record.document_date is None else 1,
    }
    if record.document_date is not None:
        nums = bucket_numbers(record.document_date)
        integers |= {column: nums[interval] for interval, column in INTERVAL_FIELDS.items()}
    if record.bates and (parts := bates_parts(record.bates)):
        keywords[F.BATES_SERIES] = [parts[0]]
        integers[F.BATES_NUMBER] = parts[1]
    date = None if record.document_date is None else record.document_date.isoformat()
    return PageColumns(
        document_id=record.document_id,
        page_id=record.page_id,
        text=record.text,
        keywords=keywords,
        integers=integers,
        document_date=date,
        bates=record.bates,
        mentions=dict(record.mention_counts),
        meta={
            "links": links_meta(record.links),
            "document_date": date,
            "bates": record.bates,
            "bates_begin": record.bates_begin,
            "bates_end": record.bates_end,
            "page_count": record.page_count,
        },
    )
