"""Names of the indexed fields, shared by every engine's schema and every query compiler."""

from __future__ import annotations

from search.fields import FIELDS, Fields
from search.records import ENTITY_FIELDS

TEXT = "text"
DOCUMENT_ID = "document_id"
PAGE_ID = "page_id"  # `<document_id>:<page_number>`: replaces a page on reindex
PAGE_ENTITY = "page_entity"  # exact entity ids on the page (entity timelines)
PAGE_NUMBER = "page_number"
SEQ = "indexed_seq"  # increasing per indexed page; cursors pin a snapshot with seq <= n
COLLECTION = "collection_id"
DATE = "document_date"
# Calendar buckets as integers, so both engines can count by month/quarter/week with a plain
# terms/histogram aggregation (tantivy has no calendar_interval).
DAY = "day_index"  # days since 1970-01-01
WEEK = "week_index"  # (day_index + 3) // 7: weeks start on Monday
MONTH = "month_index"  # year * 12 + month - 1
QUARTER = "quarter_index"  # year * 4 + quarter - 1
YEAR = "year"
HAS_DATE = "has_date"  # 1 when the document has a date: counts undated documents in the same pass
MENTIONS = "mentions"  # JSON object: entity id -> mentions on the page
# A page's Bates number split for ranges (search.query.bates): the prefix's key and the number.
BATES_SERIES = "bates_series"
BATES_NUMBER = "bates_number"

# Facets counted in responses (the entity ones hold document-level entity ids) and the filters a request
# takes (person is filterable but not counted): both as the field registry declares them.
FACETS: tuple[str, ...] = FIELDS.facets
FILTERABLE: tuple[str, ...] = FIELDS.filterable
DOCUMENT_ENTITY_FIELDS: tuple[str, ...] = ENTITY_FIELDS


def key_field(query_field: str) -> str:
    """The column of match keys behind a keyword query field (see search.query.fields)."""
    return f"{query_field}_key"


def key_columns(fields: Fields = FIELDS) -> tuple[str, ...]:
    """Every column of match keys: one per query field that is not a date (the title's holds its stems;
    names are scoped per link, search.link_names)."""
    return tuple(key_field(f) for f in fields.key_fields)


KEY_COLUMNS: tuple[str, ...] = key_columns()
