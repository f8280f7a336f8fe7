"""Index settings, mappings and page documents for Elasticsearch/OpenSearch: pure functions.

One document per page, id `<document_id>:<page_number>`, carrying the same fields as the tantivy
schema (both from search.page_columns), so the query compiler (search.query.compile_dsl)
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
from search.fields import FIELDS, Fields
from search.page_columns import INTERVAL_FIELDS, META_FIELDS, keyword_columns, page_columns
from search.records import PageRecord

Dsl = dict[str, Any]

PAGE_ID = F.PAGE_ID
PAGE_ENTITY = F.PAGE_ENTITY
BATES = "bates"
META = "meta"
MENTION_ENTITY = "entity"
MENTION_COUNT = "count"
EXACT_SUBFIELD = "exact"
PROJECT_ANALYZER = "foia_en"  # what FOIA_SEARCH_ANALYZER=english means: the same tokens as tantivy
WORDS_ANALYZER = "foia_words"
DEFAULT_MAX_RESULT_WINDOW = 50_000
__all__ = ["INTERVAL_FIELDS", "META_FIELDS", "index_mappings", "page_source"]


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


def index_mappings(analyzer: str = "english", fields: Fields = FIELDS) -> Dsl:
    """The mapping: fixed columns, plus a keyword column for each one the field registry's rows call for
    (search.page_columns.keyword_columns, the same list tantivy's schema is built from). `_meta` records
    the registry's version, so an index can be told from one built by other fields."""
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
        F.DATE: {"type": "date", "format": "strict_date"},
        **{column: integer for column in INTERVAL_FIELDS.values()},
        F.HAS_DATE: {"type": "byte"},
        BATES: kw,
        F.BATES_NUMBER: {"type": "long"},
        F.MENTIONS: {
            "type": "nested",
            "properties": {MENTION_ENTITY: kw, MENTION_COUNT: integer},
        },
        META: {"type": "object", "enabled": False},
    }
    for column in keyword_columns(fields):
        props[column] = kw
    return {"dynamic": "false", "_meta": {"foia_fields": fields.version()}, "properties": props}


def page_source(record: PageRecord, seq: int, fields: Fields = FIELDS) -> Dsl:
    """The indexed document of one page: the engine-neutral columns (search.page_columns), the same
    tantivy's record_to_document adds, as a JSON source."""
    cols = page_columns(record, seq, fields)
    src: Dsl = {
        F.TEXT: cols.text,
        F.DOCUMENT_ID: cols.document_id,
        PAGE_ID: cols.page_id,
        **cols.integers,
        **cols.keywords,
    }
    if cols.document_date is not None:
        src[F.DATE] = cols.document_date
    if cols.bates:
        src[BATES] = cols.bates
    if cols.mentions:
        src[F.MENTIONS] = [{MENTION_ENTITY: k, MENTION_COUNT: v} for k, v in sorted(cols.mentions.items())]
    src[META] = cols.meta
    return src


def parse_date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def versioned_index_name(alias: str, stamp: str) -> str:
    """`foia-pages` + stamp -> `foia-pages-v<stamp>`: the alias always points at one of these."""
    return f"{alias}-v{stamp}"
