"""Index settings, mappings and page documents for Elasticsearch/OpenSearch: pure functions.

One document per page, id `<document_id>:<page_number>`, carrying the same fields as the tantivy
schema (search.tantivy_schema.record_to_document), so the query compiler (search.query.compile_dsl)
and the shared backend (search.dsl_backend) see the same names on every engine:

- `text` with the configured analyzer, plus `text.exact` (lowercased words, no stemming) for exact
  phrases;
- keyword fields for facets (document-level entity ids, production ids qualified by collection,
  exemption codes), the `<field>_key` match keys of the query language (file, title and production
  keys qualified per link: search.link_names), `page_entity` (entity ids on the page), `bates`
  (raw, so `range` queries on Bates numbers work) and the collection scope;
- the document date as `date` and as integer calendar buckets (day/week/month/quarter/year), so
  timelines are the same integer histograms as on tantivy;
- `mentions` as nested {entity, count} objects (summed per timeline bucket; OpenSearch has no
  `flattened` type and neither engine sums keyword-typed flattened values);
- display fields under `meta` (kept in `_source`, not indexed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from search import index_fields as F
from search.analysis import MAX_TOKEN_BYTES
from search.calendar import bucket_numbers
from search.link_names import links_meta
from search.page_keys import page_key_terms
from search.query.bates import bates_parts
from search.records import ENTITY_FIELDS, PageRecord

Dsl = dict[str, Any]

PAGE_ID = "page_id"
PAGE_ENTITY = "page_entity"
BATES = "bates"
META = "meta"
MENTION_ENTITY = "entity"
MENTION_COUNT = "count"
EXACT_SUBFIELD = "exact"
PROJECT_ANALYZER = "foia_en"  # what FOIA_SEARCH_ANALYZER=english means: the same tokens as tantivy
WORDS_ANALYZER = "foia_words"
DEFAULT_MAX_RESULT_WINDOW = 50_000
INTERVAL_FIELDS: dict[str, str] = {
    "day": F.DAY,
    "week": F.WEEK,
    "month": F.MONTH,
    "quarter": F.QUARTER,
    "year": F.YEAR,
}
META_FIELDS: tuple[str, ...] = (
    "links",  # per-link names, shown only to readers of the link's collection (search.link_names)
    "document_date",
    "bates",
    "bates_begin",
    "bates_end",
    "page_count",
)


def text_analyzer(setting: str) -> str:
    """The analyzer name put in the mapping for FOIA_SEARCH_ANALYZER.

    `english` is the project's English chain (split on non-alphanumerics, drop tokens over 40 bytes,
    lowercase, porter2; no stop words, so proximity counts every word): the tokens tantivy makes,
    which the conformance suite relies on. Any other value names an analyzer built into the engine
    (`standard`, `french`, ...): text then matches by that engine's rules, not tantivy's.
    """
    return PROJECT_ANALYZER if setting in ("english", PROJECT_ANALYZER) else setting


def index_settings(*, shards: int = 1, replicas: int = 0, refresh_interval: str = "1s") -> Dsl:
    return {
        "index": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "refresh_interval": refresh_interval,
            "max_result_window": DEFAULT_MAX_RESULT_WINDOW,
        },
        "analysis": {
            "tokenizer": {"foia_simple": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}},
            "filter": {
                "foia_long": {"type": "length", "max": MAX_TOKEN_BYTES},
                "foia_porter2": {"type": "stemmer", "language": "porter2"},
            },
            "analyzer": {
                PROJECT_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "foia_simple",
                    "filter": ["foia_long", "lowercase", "foia_porter2"],
                },
                WORDS_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "foia_simple",
                    "filter": ["foia_long", "lowercase"],
                },
            },
        },
    }


def index_mappings(analyzer: str = "english") -> Dsl:
    name = text_analyzer(analyzer)
    kw: Dsl = {"type": "keyword"}
    integer: Dsl = {"type": "integer"}
    props: Dsl = {
        F.TEXT: {
            "type": "text",
            "analyzer": name,
            "fields": {EXACT_SUBFIELD: {"type": "text", "analyzer": WORDS_ANALYZER}},
        },
        F.DOCUMENT_ID: kw,
        PAGE_ID: kw,
        F.PAGE_NUMBER: integer,
        F.SEQ: {"type": "long"},
        F.COLLECTION: kw,
        F.DATE: {"type": "date", "format": "strict_date"},
        F.DAY: integer,
        F.WEEK: integer,
        F.MONTH: integer,
        F.QUARTER: integer,
        F.YEAR: integer,
        F.HAS_DATE: {"type": "byte"},
        PAGE_ENTITY: kw,
        BATES: kw,
        F.BATES_SERIES: kw,
        F.BATES_NUMBER: {"type": "long"},
        F.MENTIONS: {
            "type": "nested",
            "properties": {MENTION_ENTITY: kw, MENTION_COUNT: integer},
        },
        META: {"type": "object", "enabled": False},
    }
    for facet in F.FILTERABLE:
        if facet != "year":
            props[facet] = kw
    for column in F.KEY_COLUMNS:
        props[column] = kw
    return {"dynamic": "false", "properties": props}


def page_source(record: PageRecord, seq: int) -> Dsl:
    """The indexed document of one page (the same fields tantivy's record_to_document adds)."""
    src: Dsl = {
        F.TEXT: record.text,
        F.DOCUMENT_ID: record.document_id,
        PAGE_ID: record.page_id,
        F.PAGE_NUMBER: record.page_number,
        F.SEQ: seq,
        F.COLLECTION: list(record.collection_ids),
        F.HAS_DATE: 0 if record.document_date is None else 1,
    }
    if record.document_date is not None:
        src[F.DATE] = record.document_date.isoformat()
        nums = bucket_numbers(record.document_date)
        for interval, name in INTERVAL_FIELDS.items():
            src[name] = nums[interval]
    page_entities: list[str] = []
    for facet in ENTITY_FIELDS:
        doc_ids = record.document_entities.get(facet, ())
        if doc_ids:
            src[facet] = list(doc_ids)
        page_entities.extend(record.entities.get(facet, ()))
    if page_entities:
        src[PAGE_ENTITY] = page_entities
    # The match keys come from the one derivation the query evaluator also reads.
    src.update(page_key_terms(record))
    if record.exemptions:
        src["exemption"] = list(record.exemptions)
    if record.bates:
        src[BATES] = record.bates
        if parts := bates_parts(record.bates):
            src[F.BATES_SERIES], src[F.BATES_NUMBER] = parts
    if record.mention_counts:
        src[F.MENTIONS] = [{MENTION_ENTITY: k, MENTION_COUNT: v} for k, v in sorted(record.mention_counts.items())]
    src[META] = {
        "links": links_meta(record.links),
        "document_date": None if record.document_date is None else record.document_date.isoformat(),
        "bates": record.bates,
        "bates_begin": record.bates_begin,
        "bates_end": record.bates_end,
        "page_count": record.page_count,
    }
    return src


def parse_date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def versioned_index_name(alias: str, stamp: str) -> str:
    """`foia-pages` + stamp -> `foia-pages-v<stamp>`: the alias always points at one of these."""
    return f"{alias}-v{stamp}"
