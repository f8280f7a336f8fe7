"""The tantivy index schema and the projection of a page record onto it.

Everything here is pure apart from building tantivy's own objects: the schema, the document for one
page, and the stored display metadata read back from a hit.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import tantivy

from search import index_fields as F
from search.analysis import ANALYZER_NAME
from search.calendar import bucket_numbers
from search.link_names import links_meta
from search.page_keys import page_key_terms
from search.query.bates import bates_parts
from search.records import ENTITY_FIELDS, PageRecord

PAGE_ID = "page_id"
DOC_KEY = "doc_key"  # 63-bit hash of the document id: groups hits without reading stored fields
PAGE_ENTITY = "page_entity"  # exact entity ids on the page (entity timelines)
STORED_JSON = "meta"  # stored-only document fields for result display

# Bump when build_schema() changes: an old index must be rebuilt (reindex), never misread.
SCHEMA_VERSION = "4"  # 3: names (file, title, production) qualified per link; 4: Bates series/number
INTERVAL_FIELDS: dict[str, str] = {
    "day": F.DAY,
    "week": F.WEEK,
    "month": F.MONTH,
    "quarter": F.QUARTER,
    "year": F.YEAR,
}


class IndexSchemaMismatch(RuntimeError):
    """The index directory was built by another schema version."""


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field(F.TEXT, stored=True, tokenizer_name=ANALYZER_NAME)
    sb.add_text_field(F.DOCUMENT_ID, stored=True, fast=True, tokenizer_name="raw")
    sb.add_text_field(PAGE_ID, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field(DOC_KEY, stored=False, indexed=False, fast=True)
    sb.add_integer_field(F.PAGE_NUMBER, stored=True, indexed=False, fast=True)
    sb.add_integer_field(F.SEQ, stored=True, indexed=True, fast=True)
    sb.add_text_field(F.COLLECTION, stored=False, tokenizer_name="raw", index_option="basic")
    for name in (F.DAY, F.WEEK, F.MONTH, F.QUARTER, F.YEAR, F.HAS_DATE):
        sb.add_integer_field(name, stored=False, indexed=True, fast=True)
    for facet in F.FILTERABLE:
        if facet != "year":
            sb.add_text_field(facet, stored=False, fast=True, tokenizer_name="raw", index_option="basic")
    for column in F.KEY_COLUMNS:
        sb.add_text_field(column, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field(PAGE_ENTITY, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field(F.BATES_SERIES, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field(F.BATES_NUMBER, stored=False, indexed=True, fast=True)
    sb.add_json_field(F.MENTIONS, stored=False, fast=True, tokenizer_name="raw")
    # Display-only document fields, stored as one JSON blob and never indexed.
    sb.add_bytes_field(STORED_JSON, stored=True, indexed=False)
    return sb.build()


def doc_key(document_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(document_id.encode(), digest_size=8).digest(), "big") >> 1


def mention_key(entity_id: str) -> str:
    # tantivy splits JSON paths on '.', so ids keep no dots in the mentions object.
    return entity_id.replace(".", "_")


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def stored_meta(doc: tantivy.Document) -> dict[str, Any]:
    """The display metadata stored with a page (empty when the page has none)."""
    raw = doc.get_first(STORED_JSON)
    return dict(json.loads(raw)) if raw else {}


def record_to_document(record: PageRecord, seq: int) -> tantivy.Document:
    """The tantivy document for one page (pure apart from building the engine object)."""
    d = tantivy.Document()
    d.add_text(F.TEXT, record.text)
    d.add_text(F.DOCUMENT_ID, record.document_id)
    d.add_text(PAGE_ID, record.page_id)
    d.add_integer(DOC_KEY, doc_key(record.document_id))
    d.add_integer(F.PAGE_NUMBER, record.page_number)
    d.add_integer(F.SEQ, seq)
    for c in record.collection_ids:
        d.add_text(F.COLLECTION, c)
    d.add_integer(F.HAS_DATE, 0 if record.document_date is None else 1)
    if record.document_date is not None:
        nums = bucket_numbers(record.document_date)
        for interval, name in INTERVAL_FIELDS.items():
            d.add_integer(name, nums[interval])
    for facet in ENTITY_FIELDS:
        for eid in record.document_entities.get(facet, ()):
            d.add_text(facet, eid)
        for eid in record.entities.get(facet, ()):
            d.add_text(PAGE_ENTITY, eid)
    # The match keys come from the one derivation the query evaluator also reads.
    for column, terms in page_key_terms(record).items():
        for term in terms:
            d.add_text(column, term)
    for code in record.exemptions:
        d.add_text("exemption", code)
    if record.bates and (parts := bates_parts(record.bates)):
        d.add_text(F.BATES_SERIES, parts[0])
        d.add_integer(F.BATES_NUMBER, parts[1])
    if record.mention_counts:
        d.add_json(F.MENTIONS, {mention_key(k): v for k, v in record.mention_counts.items()})
    d.add_bytes(
        STORED_JSON,
        _json_bytes(
            {
                "links": links_meta(record.links),
                "document_date": None if record.document_date is None else record.document_date.isoformat(),
                "bates": record.bates,
                "bates_begin": record.bates_begin,
                "bates_end": record.bates_end,
                "page_count": record.page_count,
            }
        ),
    )
    return d
