"""The search backend interface and its request/response shapes, shared by every engine.

Semantics every implementation must keep (tests/search/conformance.py checks them):
- one indexed record per page; results are grouped by document;
- `filters` are OR inside a facet and AND across facets; entity facets match the document's
  entities (`PageRecord.document_entities`), `exemption` the page's codes, `year` the document year;
- `collection_ids` is always applied (None = every collection, () = nothing);
- facet counts count distinct documents, each facet counted with every filter except its own;
- relevance order: best page score descending, ties by document id ascending; a query without
  words (match-all, keyword fields and dates only) ranks every match alike, so it is plain document
  id order; date orders put undated documents last, ties by document id ascending;
- cursors pin a snapshot: paging never repeats or skips a document while pages are being indexed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal, Protocol

from search.fields import FIELDS, Fields
from search.index_fields import FACETS
from search.note_marks import scope_notes
from search.query.ast import Node
from search.query.entity_names import EntityNames, resolve_entity_values
from search.query.parser import parse_query
from search.records import PageRecord

SortOrder = Literal["relevance", "date_asc", "date_desc"]
Interval = Literal["day", "week", "month", "quarter", "year"]
SORT_ORDERS: tuple[SortOrder, ...] = ("relevance", "date_asc", "date_desc")
INTERVALS: tuple[Interval, ...] = ("day", "week", "month", "quarter", "year")
MAX_PAGE_SIZE = 200
MAX_FACET_SIZE = 200


class InvalidRequest(ValueError):
    """A request the backend refuses (bad filter, cursor or size): the API's 400."""


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    date_from: dt.date | None = None  # inclusive, on the document date
    date_to: dt.date | None = None  # inclusive
    collection_ids: Sequence[str] | None = None  # access scope, always applied; None = all
    sort: SortOrder = "relevance"
    page_size: int = 20
    cursor: str | None = None
    facets: Sequence[str] = FACETS  # facets to count; () skips counting
    facet_size: int = 20
    histogram: Interval | None = None  # also return the documents' timeline
    snippet_chars: int = 240
    # the reader's entity names: `vendor:AWS` resolves to vendor:amazon (None: ids and indexed names only)
    entity_names: EntityNames | None = None
    # who is reading (the principal's name): `note:` finds their own private notes too (None: shared only)
    viewer: str | None = None


@dataclass(frozen=True)
class PageHit:
    page_number: int
    bates: str | None
    score: float
    snippet: str  # HTML: matches in <mark>…</mark>, everything else escaped


@dataclass(frozen=True)
class DocumentHit:
    document_id: str
    file_name: str
    title: str
    production_ids: tuple[str, ...]
    production_names: tuple[str, ...]
    collection_ids: tuple[str, ...]
    document_date: dt.date | None
    bates_begin: str | None
    bates_end: str | None
    page_count: int
    score: float  # best page's score (relevance sort key)
    hit_pages: int  # pages of this document that match
    pages: tuple[PageHit, ...]  # best pages, at most 3, best first


@dataclass(frozen=True)
class FacetValue:
    value: str  # entity id, production id, exemption code or year
    count: int  # distinct documents


@dataclass(frozen=True)
class HistogramBucket:
    start: dt.date  # first day of the bucket (weeks start on Monday)
    documents: int
    pages: int
    mentions: int | None = None  # of HistogramRequest.entity_id, when given


@dataclass(frozen=True)
class Histogram:
    interval: Interval
    buckets: tuple[HistogramBucket, ...]  # non-empty buckets, oldest first
    undated_documents: int
    entity_id: str | None = None


@dataclass(frozen=True)
class SearchResponse:
    total_documents: int
    total_pages: int
    documents: tuple[DocumentHit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    histogram: Histogram | None
    next_cursor: str | None


@dataclass(frozen=True)
class HistogramRequest:
    """A timeline: documents (and pages, and mentions of `entity_id`) per interval."""

    query: str = ""
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    collection_ids: Sequence[str] | None = None
    interval: Interval = "month"
    entity_id: str | None = None  # only pages mentioning it; mentions summed per bucket
    entity_names: EntityNames | None = None  # as SearchRequest.entity_names
    viewer: str | None = None  # as SearchRequest.viewer


@dataclass(frozen=True)
class ExportHit:
    document_id: str
    page_number: int
    bates: str | None
    document_date: dt.date | None
    file_name: str
    title: str
    production_names: tuple[str, ...]
    production_ids: tuple[str, ...] = ()  # what `foia check` compares with the catalog
    collection_ids: tuple[str, ...] = ()


class SearchBackend(Protocol):
    def index_pages(self, pages: Iterable[PageRecord]) -> int:
        """Add or replace (by document id + page number) pages; visible after commit()."""
        ...

    def update_marks(self, records: Iterable[PageRecord]) -> int:
        """Rewrite the reviewers' marks (search.marks) of pages already indexed, visible after commit().
        Only the mark columns change where the engine can update part of a document; an engine that
        cannot replaces each page whole from its record (built from the catalog, never OCR). A page the
        index does not hold yet is skipped by a partial update (it gets its marks when it is indexed) and
        added whole by a replacing engine (the record indexing it would write)."""
        ...

    def delete_document(self, document_id: str) -> None: ...

    def commit(self) -> None:
        """Make writes durable and visible to searches."""
        ...

    def refresh(self) -> None:
        """See commits made by other processes."""
        ...

    def search(self, request: SearchRequest) -> SearchResponse: ...

    def histogram(self, request: HistogramRequest) -> Histogram: ...

    def count(self, collection_ids: Sequence[str] | None = None) -> int:
        """Indexed pages (in the scope)."""
        ...

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        """Every matching page, streamed in indexing order from one snapshot (for export)."""
        ...

    def drop(self) -> None:
        """Remove every page (a rebuild is drop() + index_pages() + commit())."""
        ...

    def rebuild(self) -> AbstractContextManager[SearchBackend] | None:
        """A zero-downtime rebuild: a fresh index to write into while searches keep using the old one,
        swapped in when the block ends without an error (and discarded when it raises). None: this engine
        cannot build behind the live index, so a rebuild is drop() and refill, with searches seeing the gap."""
        ...

    def close(self) -> None: ...


_YEAR = re.compile(r"[0-9]{1,4}")


def request_tree(request: SearchRequest | HistogramRequest, fields: Fields = FIELDS) -> Node:
    """The request's query parsed with the backend's field registry, its entity field values resolved
    through the reader's names: the one tree every backend compiles (raises QuerySyntaxError)."""
    tree = resolve_entity_values(parse_query(request.query, fields), request.entity_names, fields)
    return scope_notes(tree, request.collection_ids, request.viewer)


def validate_request(request: SearchRequest | HistogramRequest, fields: Fields = FIELDS) -> None:
    """Checks every backend applies identically, before touching the engine (filters and facets are
    those of the backend's field registry)."""
    for facet, values in request.filters.items():
        if facet not in fields.filterable:
            raise InvalidRequest(f"unknown filter '{facet}'; known: {', '.join(fields.filterable)}")
        if isinstance(values, str):
            raise InvalidRequest(f"filter '{facet}' must be a list of values")
        if facet == "year" and not all(_YEAR.fullmatch(str(v)) for v in values):
            # ASCII digits only: str.isdigit() takes "²" and "٢٠١٩", and 20 digits overflow the engines' integers
            raise InvalidRequest("year filter values must be years like 2019 (one to four digits)")
    if isinstance(request.collection_ids, str):
        # A bare string would be read as a set of one-letter collections: refuse, it is a scope.
        raise InvalidRequest("collection_ids must be a list of collection ids")
    if request.date_from and request.date_to and request.date_from > request.date_to:
        raise InvalidRequest("date_from is after date_to")
    if isinstance(request, SearchRequest):
        if request.sort not in SORT_ORDERS:
            raise InvalidRequest(f"sort must be one of {', '.join(SORT_ORDERS)}")
        if not 1 <= request.page_size <= MAX_PAGE_SIZE:
            raise InvalidRequest(f"page_size must be 1..{MAX_PAGE_SIZE}")
        if not 1 <= request.facet_size <= MAX_FACET_SIZE:
            raise InvalidRequest(f"facet_size must be 1..{MAX_FACET_SIZE}")
        for facet in request.facets:
            if facet not in fields.facets:
                raise InvalidRequest(f"unknown facet '{facet}'; known: {', '.join(fields.facets)}")
        if request.histogram is not None and request.histogram not in INTERVALS:
            raise InvalidRequest(f"histogram must be one of {', '.join(INTERVALS)}")
    elif request.interval not in INTERVALS:
        raise InvalidRequest(f"interval must be one of {', '.join(INTERVALS)}")
