"""The tantivy index schema and the projection of a page record onto it.

Everything here is pure apart from building tantivy's own objects: the schema, the document for one
page, and the stored display metadata read back from a hit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

import tantivy

from search import index_fields as F
from search.analysis import ANALYZER_NAME
from search.fields import FIELDS, Fields
from search.page_columns import INTERVAL_FIELDS, keyword_columns, page_columns
from search.records import PageRecord

PAGE_ID = F.PAGE_ID
DOC_KEY = "doc_key"  # 63-bit hash of the document id: groups hits without reading stored fields
# The document id's first 16 bytes as two signed integers, in the id's own order: relevance ties are put
# in document id order from fast fields, reading stored ids only where the prefixes are equal.
DOC_ORDER = ("doc_order_0", "doc_order_1")
_ORDER_BYTES = 8 * len(DOC_ORDER)
PAGE_ENTITY = F.PAGE_ENTITY
STORED_JSON = "meta"  # stored-only document fields for result display

__all__ = ["INTERVAL_FIELDS", "IndexSchemaMismatch", "build_schema", "record_to_document", "schema_version"]


class IndexSchemaMismatch(RuntimeError):
    """The index directory was built by another schema version."""


@dataclass(frozen=True)
class Column:
    """One column of the schema, as declared to tantivy."""

    name: str
    type: Literal["text", "raw", "integer", "json", "bytes"]
    stored: bool = False
    indexed: bool = True
    fast: bool = False


def columns(fields: Fields = FIELDS) -> tuple[Column, ...]:
    """Every column of the index: the fixed ones and those the field registry's rows call for (facet
    columns are fast, for counting; key columns only indexed)."""
    facets = set(fields.keyword_columns)
    return (
        Column(F.TEXT, "text", stored=True),
        Column(F.DOCUMENT_ID, "raw", stored=True, fast=True),
        Column(PAGE_ID, "raw"),
        Column(DOC_KEY, "integer", indexed=False, fast=True),
        *(Column(name, "integer", indexed=False, fast=True) for name in DOC_ORDER),
        Column(F.PAGE_NUMBER, "integer", stored=True, indexed=False, fast=True),
        Column(F.SEQ, "integer", stored=True, fast=True),
        *(Column(name, "integer", fast=True) for name in (*INTERVAL_FIELDS.values(), F.HAS_DATE)),
        *(Column(name, "raw", fast=name in facets) for name in keyword_columns(fields)),
        Column(F.BATES_NUMBER, "integer", fast=True),
        Column(F.MENTIONS, "json", fast=True),
        # Display-only document fields, stored as one JSON blob and never indexed.
        Column(STORED_JSON, "bytes", stored=True, indexed=False),
    )


def schema_version(fields: Fields = FIELDS) -> str:
    """A hash of the declared columns and the text analyzer: any change to the schema changes it, so an
    index built by other code is refused (never misread) without anyone bumping a number."""
    text = json.dumps({"analyzer": ANALYZER_NAME, "columns": [asdict(c) for c in columns(fields)]}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


SCHEMA_VERSION = schema_version()


def build_schema(fields: Fields = FIELDS) -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for c in columns(fields):
        if c.type == "text":
            sb.add_text_field(c.name, stored=c.stored, tokenizer_name=ANALYZER_NAME)
        elif c.type == "raw" and c.fast:
            sb.add_text_field(c.name, stored=c.stored, fast=True, tokenizer_name="raw", index_option="basic")
        elif c.type == "raw":
            sb.add_text_field(c.name, stored=c.stored, tokenizer_name="raw", index_option="basic")
        elif c.type == "integer":
            sb.add_integer_field(c.name, stored=c.stored, indexed=c.indexed, fast=c.fast)
        elif c.type == "json":
            sb.add_json_field(c.name, stored=c.stored, fast=c.fast, tokenizer_name="raw")
        else:
            sb.add_bytes_field(c.name, stored=c.stored, indexed=c.indexed)
    return sb.build()


def doc_key(document_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(document_id.encode(), digest_size=8).digest(), "big") >> 1


def doc_order(document_id: str) -> tuple[int, ...]:
    """The order key of a document id: a < b as ids implies doc_order(a) <= doc_order(b) (UTF-8 keeps
    code point order bytewise; zero padding sorts a prefix first; the shift keeps order in i64)."""
    raw = document_id.encode()[:_ORDER_BYTES].ljust(_ORDER_BYTES, b"\0")
    return tuple(int.from_bytes(raw[i : i + 8], "big") - 2**63 for i in range(0, _ORDER_BYTES, 8))


def mention_key(entity_id: str) -> str:
    # tantivy splits JSON paths on '.', so ids keep no dots in the mentions object.
    return entity_id.replace(".", "_")


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def stored_meta(doc: tantivy.Document) -> dict[str, Any]:
    """The display metadata stored with a page (empty when the page has none)."""
    raw = doc.get_first(STORED_JSON)
    return dict(json.loads(raw)) if raw else {}


def record_to_document(record: PageRecord, seq: int, fields: Fields = FIELDS) -> tantivy.Document:
    """The tantivy document for one page: the engine-neutral columns (search.page_columns) as tantivy
    values (pure apart from building the engine object)."""
    cols = page_columns(record, seq, fields)
    d = tantivy.Document()
    d.add_text(F.TEXT, cols.text)
    d.add_text(F.DOCUMENT_ID, cols.document_id)
    d.add_text(PAGE_ID, cols.page_id)
    d.add_integer(DOC_KEY, doc_key(cols.document_id))
    for name, part in zip(DOC_ORDER, doc_order(cols.document_id), strict=True):
        d.add_integer(name, part)
    for name, number in cols.integers.items():
        d.add_integer(name, number)
    for name, values in cols.keywords.items():
        for value in values:
            d.add_text(name, value)
    if cols.mentions:
        d.add_json(F.MENTIONS, {mention_key(k): v for k, v in cols.mentions.items()})
    d.add_bytes(STORED_JSON, _json_bytes(cols.meta))
    return d
