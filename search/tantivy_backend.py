"""The embedded search backend: tantivy on disk, one record per page.

Engine calls stay thin; query building lives in search.query.compile_tantivy and everything that can
be a pure function is one. Counting uses tantivy's aggregation API (terms + cardinality on the
document id), so no hit list is ever materialized in Python except the page of results shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from search import index_fields as F
from search.aggregations import card, facet_values
from search.analysis import ANALYZER_NAME, stem_analyzer
from search.backend import (
    DocumentHit,
    ExportHit,
    FacetValue,
    Histogram,
    HistogramBucket,
    HistogramRequest,
    Interval,
    PageHit,
    SearchRequest,
    SearchResponse,
    validate_request,
)
from search.calendar import EPOCH, bucket_numbers, bucket_start
from search.cursor import Cursor, CursorKeys, KeyPart, encode_cursor, open_request
from search.expansion_limits import refusing_expansions
from search.link_names import export_names, facet_include, filter_values, links_meta, shown_names
from search.page_keys import page_key_terms
from search.query.ast import MatchAll, Node, has_text_terms
from search.query.bates import bates_parts
from search.query.compile_tantivy import compile_tantivy, date_range_query
from search.query.parser import parse_query
from search.records import ENTITY_FIELDS, PageRecord
from search.snippets import make_snippet

_Occur = tantivy.Occur
PAGE_ID = "page_id"
DOC_KEY = "doc_key"  # 63-bit hash of the document id: groups hits without reading stored fields
PAGE_ENTITY = "page_entity"  # exact entity ids on the page (entity timelines)
STORED_JSON = "meta"  # stored-only document fields for result display

# Bump when build_schema() changes: an old index must be rebuilt (reindex), never misread.
SCHEMA_VERSION = "4"  # 3: names (file, title, production) qualified per link; 4: Bates series/number
BEST_PAGES = 3
HLL_EXACT_BELOW = 100  # tantivy's cardinality estimate is exact below this (measured)
EXACT_TOTAL_LIMIT = 5_000
RELEVANCE_WINDOW_START = 256
MAX_RELEVANCE_WINDOW = 200_000
# Relevance resumes after the last document's score and id; date orders after its day (null: undated) and id.
CURSOR_KEYS: CursorKeys = {
    "relevance": (KeyPart.SCORE, KeyPart.DOCUMENT_ID),
    "date_desc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
    "date_asc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
}
EXPORT_BATCH = 2000  # each batch rescans the matches after the last seq: keep batches large
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


def _meta(doc: tantivy.Document) -> dict[str, Any]:
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


@dataclass
class _Snapshot:
    searcher: tantivy.Searcher
    max_seq: int
    created: float


@dataclass(frozen=True)
class _Picked:
    """A document chosen for the result page, with its best pages when already known."""

    document_id: str
    score: float | None  # the relevance sort key; None when sorting by date
    pages: list[tuple[float, tantivy.DocAddress]]  # best first; may be incomplete (then searched)


class TantivyBackend:
    """SearchBackend on a tantivy index in `path` (created when missing)."""

    def __init__(
        self,
        path: str | Path,
        *,
        heap_size: int = 128_000_000,
        num_threads: int = 1,
        snapshot_ttl: float = 900.0,
        max_snapshots: int = 64,
        writer_wait_seconds: float = 120.0,
    ) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._heap_size = heap_size
        self._num_threads = num_threads
        self._snapshot_ttl = snapshot_ttl
        self._max_snapshots = max_snapshots
        self._writer_wait = writer_wait_seconds
        self._snapshots: OrderedDict[str, _Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None
        self._index = self._open_index()
        self._next_seq = self._max_seq(self._index.searcher()) + 1

    # -- lifecycle ----------------------------------------------------------------------------------

    def _open_index(self) -> tantivy.Index:
        marker = self.path / "foia_schema_version"
        if marker.exists() and marker.read_text().strip() != SCHEMA_VERSION:
            raise IndexSchemaMismatch(
                f"{self.path} holds a search index of schema {marker.read_text().strip()}, this code writes "
                f"{SCHEMA_VERSION}: remove the directory and reindex from the catalog"
            )
        index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        marker.write_text(SCHEMA_VERSION + "\n")
        index.register_tokenizer(ANALYZER_NAME, stem_analyzer())
        return index

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._acquire_writer()
            # Another process may have written since this one last did: continue its sequence.
            self._index.reload()
            self._next_seq = max(self._next_seq, self._max_seq(self._index.searcher()) + 1)
        return self._writer

    def _acquire_writer(self) -> tantivy.IndexWriter:
        """tantivy allows one writer per index across processes (`foia serve` and `foia ingest` may both
        write): wait for the other one's commit instead of failing."""
        deadline = time.monotonic() + self._writer_wait
        while True:
            try:
                return self._index.writer(heap_size=self._heap_size, num_threads=self._num_threads)
            except ValueError as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None
        self._snapshots.clear()

    def drop(self) -> None:
        with self._lock:
            writer = self._get_writer()
            writer.delete_all_documents()
            writer.commit()
        self._index.reload()
        self._snapshots.clear()

    def destroy(self) -> None:
        """Remove the index directory (tests, `reindex --from-scratch`)."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)

    # -- writes -------------------------------------------------------------------------------------

    def index_pages(self, pages: Iterable[PageRecord]) -> int:
        n = 0
        # tantivy-py's writer refuses concurrent use; one lock serializes every write call.
        with self._lock:
            writer = self._get_writer()
            for record in pages:
                writer.delete_documents_by_term(PAGE_ID, record.page_id)
                writer.add_document(record_to_document(record, self._next_seq))
                self._next_seq += 1
                n += 1
        return n

    def delete_document(self, document_id: str) -> None:
        with self._lock:
            self._get_writer().delete_documents_by_term(F.DOCUMENT_ID, document_id)

    def commit(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.commit()
                # Release the index's single writer lock so that other processes can write too.
                self._writer.wait_merging_threads()
                self._writer = None
        self._index.reload()

    def refresh(self) -> None:
        self._index.reload()

    # -- reads --------------------------------------------------------------------------------------

    def count(self, collection_ids: Sequence[str] | None = None) -> int:
        searcher = self._index.searcher()
        query = self._scope(collection_ids) or tantivy.Query.all_query()
        return _count(searcher.search(query, 1, count=True))

    def _max_seq(self, searcher: tantivy.Searcher) -> int:
        if searcher.num_docs == 0:
            return 0
        out = searcher.aggregate(tantivy.Query.all_query(), {"m": {"max": {"field": F.SEQ}}})
        value = out["m"]["value"]
        return 0 if value is None else int(value)

    def _snapshot(self, cursor: Cursor | None) -> tuple[str, _Snapshot]:
        now = time.monotonic()
        with self._lock:
            for sid in [s for s, snap in self._snapshots.items() if now - snap.created > self._snapshot_ttl]:
                del self._snapshots[sid]
            if cursor is not None and cursor.snapshot_id in self._snapshots:
                sid = str(cursor.snapshot_id)
                self._snapshots.move_to_end(sid)
                return sid, self._snapshots[sid]
        # The pinned searcher is gone (expired or another process): a fresh one filtered to the
        # cursor's seq keeps the same set of pages; only relevance scores may have shifted.
        self._index.reload()
        searcher = self._index.searcher()
        max_seq = cursor.max_seq if cursor is not None else self._max_seq(searcher)
        sid = uuid.uuid4().hex[:16]
        with self._lock:
            self._snapshots[sid] = _Snapshot(searcher, max_seq, now)
            while len(self._snapshots) > self._max_snapshots:
                self._snapshots.popitem(last=False)
        return sid, self._snapshots[sid]

    def _scope(self, collection_ids: Sequence[str] | None) -> tantivy.Query | None:
        if collection_ids is None:
            return None
        return tantivy.Query.term_set_query(self.schema, F.COLLECTION, list(collection_ids))

    def _filter_clauses(
        self,
        filters: dict[str, list[str]],
        *,
        date_from: Any,
        date_to: Any,
        collection_ids: Sequence[str] | None,
        max_seq: int,
        exclude: str | None = None,
    ) -> list[tantivy.Query]:
        clauses: list[tantivy.Query] = [
            tantivy.Query.range_query(self.schema, F.SEQ, tantivy.FieldType.Integer, None, max_seq)
        ]
        scope = self._scope(collection_ids)
        if scope is not None:
            clauses.append(scope)
        if date_from is not None or date_to is not None:
            clauses.append(date_range_query(self.schema, date_from, date_to))
        for facet, values in sorted(filters.items()):
            if facet == exclude or not values:
                continue
            if facet == "year":
                clauses.append(tantivy.Query.term_set_query(self.schema, F.YEAR, [int(v) for v in values]))
            else:
                clauses.append(
                    tantivy.Query.term_set_query(self.schema, facet, filter_values(facet, values, collection_ids))
                )
        return clauses

    @staticmethod
    def _combine(query: tantivy.Query, filters: list[tantivy.Query]) -> tantivy.Query:
        # Filters must not change scores: they wrap in a zero constant score.
        return tantivy.Query.boolean_query(
            [(_Occur.Must, query)] + [(_Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters]
        )

    @refusing_expansions
    def search(self, request: SearchRequest) -> SearchResponse:
        validate_request(request)
        node = parse_query(request.query)
        opened = open_request(request, CURSOR_KEYS)
        filters, fp, cursor = opened.filters, opened.fingerprint, opened.cursor
        sid, snap = self._snapshot(cursor)
        searcher = snap.searcher
        base = compile_tantivy(node, self.schema, collection_ids=request.collection_ids)

        def clauses(exclude: str | None = None) -> list[tantivy.Query]:
            return self._filter_clauses(
                filters,
                date_from=request.date_from,
                date_to=request.date_to,
                collection_ids=request.collection_ids,
                max_seq=snap.max_seq,
                exclude=exclude,
            )

        full = self._combine(base, clauses())
        facets, histogram, total_documents, total_pages = self._aggregate(
            searcher, base, full, request, filters, clauses
        )

        after = cursor.after if cursor is not None else None
        if request.sort == "relevance" and not has_text_terms(node):
            # No words to score (match-all, fields and dates only): every match ranks the same, so
            # relevance order is document id order (and needs no score window).
            page, has_more = self._id_page(searcher, full, after, request.page_size)
        elif request.sort == "relevance":
            page, has_more = self._relevance_page(searcher, full, after, request.page_size)
        else:
            page, has_more = self._date_page(searcher, full, after, request.page_size, request.sort)

        documents = self._document_hits(searcher, full, node, page, request)
        next_cursor = None
        if has_more and documents:
            last = documents[-1]
            if request.sort == "relevance":
                after_key: list[Any] = [last.score, last.document_id]
            else:
                day = None if last.document_date is None else (last.document_date - EPOCH).days
                after_key = [day, last.document_id]
            next_cursor = encode_cursor(Cursor(fp, snap.max_seq, sid, after_key))
        return SearchResponse(
            total_documents=total_documents,
            total_pages=total_pages,
            documents=documents,
            facets=facets,
            histogram=histogram,
            next_cursor=next_cursor,
        )

    # -- counting -----------------------------------------------------------------------------------

    def _aggregate(
        self,
        searcher: tantivy.Searcher,
        base: tantivy.Query,
        full: tantivy.Query,
        request: SearchRequest,
        filters: dict[str, list[str]],
        clauses: Any,
    ) -> tuple[dict[str, tuple[FacetValue, ...]], Histogram | None, int, int]:
        # One aggregation pass over the fully filtered hits counts the total, the timeline and
        # every facet without an active filter; each filtered facet needs its own pass without
        # its own filter (multi-select semantics).
        size = request.facet_size
        aggs: dict[str, Any] = {
            "_docs": {"cardinality": {"field": F.DOCUMENT_ID}},
            "_pages": {"value_count": {"field": F.SEQ}},
        }
        own_pass: list[str] = []
        for facet in request.facets:
            if filters.get(facet):
                own_pass.append(facet)
            else:
                aggs[f"f_{facet}"] = _facet_agg(facet, request)
        if request.histogram is not None:
            aggs["_hist"] = _histogram_agg(request.histogram, None)
            aggs["_dated"] = _dated_agg()
        out = searcher.aggregate(full, aggs)
        total_documents = self._exact_documents(searcher, full, card(out["_docs"]))
        total_pages = card(out["_pages"])
        facets: dict[str, tuple[FacetValue, ...]] = {}
        for facet in request.facets:
            if facet in own_pass:
                own = searcher.aggregate(self._combine(base, clauses(exclude=facet)), {"f": _facet_agg(facet, request)})
                facets[facet] = facet_values(own["f"], size, facet)
            else:
                facets[facet] = facet_values(out[f"f_{facet}"], size, facet)
        histogram = None
        if request.histogram is not None:
            histogram = _histogram(request.histogram, out["_hist"], _undated(out["_dated"]), None)
        return facets, histogram, total_documents, total_pages

    def _exact_documents(self, searcher: tantivy.Searcher, query: tantivy.Query, estimate: int) -> int:
        """The cardinality aggregation is a HyperLogLog estimate (off by ~1-2% above ~150): below
        EXACT_TOTAL_LIMIT one more pass counts the documents exactly, since users read this number."""
        if estimate <= HLL_EXACT_BELOW or estimate > EXACT_TOTAL_LIMIT:
            return estimate
        agg = {"t": {"terms": {"field": F.DOCUMENT_ID, "size": EXACT_TOTAL_LIMIT * 2}}}
        out = searcher.aggregate(query, agg)["t"]
        if out.get("sum_other_doc_count"):
            return estimate
        return len(out["buckets"])

    @refusing_expansions
    def histogram(self, request: HistogramRequest) -> Histogram:
        validate_request(request)
        node = parse_query(request.query)
        filters = {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}
        self._index.reload()
        searcher = self._index.searcher()
        base = compile_tantivy(node, self.schema, collection_ids=request.collection_ids)
        clauses = self._filter_clauses(
            filters,
            date_from=request.date_from,
            date_to=request.date_to,
            collection_ids=request.collection_ids,
            max_seq=self._max_seq(searcher),
        )
        if request.entity_id is not None:
            clauses.append(tantivy.Query.term_query(self.schema, PAGE_ENTITY, request.entity_id))
        full = self._combine(base, clauses)
        aggs = {"h": _histogram_agg(request.interval, request.entity_id), "d": _dated_agg()}
        out = searcher.aggregate(full, aggs)
        return _histogram(request.interval, out["h"], _undated(out["d"]), request.entity_id)

    # -- ordering -----------------------------------------------------------------------------------

    def _relevance_page(
        self, searcher: tantivy.Searcher, query: tantivy.Query, after: list[Any] | None, size: int
    ) -> tuple[list[_Picked], bool]:
        """Documents ordered by best page score desc, then document id asc, after the cursor.

        Pages come from tantivy by score; a document's first page seen carries its best score.
        Documents whose best score equals the lowest score fetched may still have a tied page
        beyond the window, so they only count once the window is exhausted or widened.
        """
        after_score = None if after is None else float(after[0])
        after_id = "" if after is None else str(after[1])
        window = max(RELEVANCE_WINDOW_START, size * 8)
        while True:
            hits = searcher.search(query, window, count=False).hits
            exhausted = len(hits) < window
            # At the window cap, documents tied at the floor are taken as they come (best effort:
            # a tied page beyond the cap could reorder them) rather than never returned.
            last_try = window >= MAX_RELEVANCE_WINDOW
            keys = searcher.fast_field_values(DOC_KEY, [a for _, a in hits]) if hits else []
            floor = float(hits[-1][0]) if hits else 0.0
            best: dict[int, tuple[float, tantivy.DocAddress]] = {}
            # Pages above the floor are all in the window, so a document's first three there are
            # its best three; pages at the floor may have tied twins outside it.
            window_pages: dict[int, list[tuple[float, tantivy.DocAddress]]] = {}
            for (score, addr), key in zip(hits, keys, strict=True):
                k = int(key or 0)
                if k not in best:
                    best[k] = (float(score), addr)
                if exhausted or last_try or score > floor:
                    pages = window_pages.setdefault(k, [])
                    if len(pages) < BEST_PAGES:
                        pages.append((float(score), addr))
            candidates = sorted(
                (
                    (score, addr, k)
                    for k, (score, addr) in best.items()
                    if (exhausted or last_try or score > floor) and (after_score is None or score <= after_score)
                ),
                key=lambda t: -t[0],
            )
            # Document ids are read only for the tie groups that reach the page.
            ranked: list[tuple[float, str, int]] = []
            i = 0
            while i < len(candidates) and len(ranked) <= size:
                j = i
                while j < len(candidates) and candidates[j][0] == candidates[i][0]:
                    j += 1
                group = [(score, _doc_id(searcher, addr), k) for score, addr, k in candidates[i:j]]
                if after_score is not None and candidates[i][0] == after_score:
                    group = [g for g in group if g[1] > after_id]
                ranked += sorted(group, key=lambda g: g[1])
                i = j
            if len(ranked) > size or exhausted or last_try:
                has_more = len(ranked) > size or i < len(candidates) or not exhausted
                picked = [_Picked(doc_id, score, window_pages.get(k, [])) for score, doc_id, k in ranked[:size]]
                return picked, has_more
            window *= 4

    def _id_page(
        self, searcher: tantivy.Searcher, query: tantivy.Query, after: list[Any] | None, size: int
    ) -> tuple[list[_Picked], bool]:
        comp: dict[str, Any] = {"size": size + 1, "sources": [{"i": {"terms": {"field": F.DOCUMENT_ID}}}]}
        if after is not None:
            comp["after"] = {"i": f"str:{after[1]}"}
        out = searcher.aggregate(query, {"c": {"composite": comp}})
        ids = [str(b["key"]["i"]) for b in out["c"]["buckets"]]
        return [_Picked(doc_id, 0.0, []) for doc_id in ids[:size]], len(ids) > size

    def _date_page(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        after: list[Any] | None,
        size: int,
        sort: str,
    ) -> tuple[list[_Picked], bool]:
        """Documents by date (undated last), ties by document id, via a composite aggregation
        over (day, document id) resumed after the cursor's key."""
        order = "asc" if sort == "date_asc" else "desc"
        results: list[tuple[str, int | None]] = []
        after_day = None if after is None else after[0]
        after_id = None if after is None else str(after[1])
        # Phase 1: dated documents (skipped when the cursor is already among undated ones).
        if after is None or after_day is not None:
            src = [{"d": {"terms": {"field": F.DAY, "order": order}}}, {"i": {"terms": {"field": F.DOCUMENT_ID}}}]
            comp: dict[str, Any] = {"size": size + 1, "sources": src}
            if after_day is not None:
                comp["after"] = {"d": f"i64:{int(after_day)}", "i": f"str:{after_id}"}
            dated = tantivy.Query.boolean_query(
                [(_Occur.Must, query), (_Occur.Must, tantivy.Query.exists_query(F.DAY))]
            )
            out = searcher.aggregate(dated, {"c": {"composite": comp}})
            results += [(b["key"]["i"], int(b["key"]["d"])) for b in out["c"]["buckets"]]
        if len(results) <= size:
            comp = {"size": size + 1 - len(results), "sources": [{"i": {"terms": {"field": F.DOCUMENT_ID}}}]}
            if after is not None and after_day is None:
                comp["after"] = {"i": f"str:{after_id}"}
            undated = tantivy.Query.boolean_query(
                [(_Occur.Must, query), (_Occur.MustNot, tantivy.Query.exists_query(F.DAY))]
            )
            out = searcher.aggregate(undated, {"c": {"composite": comp}})
            results += [(b["key"]["i"], None) for b in out["c"]["buckets"]]
        return [_Picked(doc_id, None, []) for doc_id, _ in results[:size]], len(results) > size

    # -- result assembly ----------------------------------------------------------------------------

    def _doc_filter(self, document_id: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, F.DOCUMENT_ID, document_id)

    def _document_hits(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        node: Node,
        picked: list[_Picked],
        request: SearchRequest,
    ) -> tuple[DocumentHit, ...]:
        if not picked:
            return ()
        ids = [p.document_id for p in picked]
        # One pass counts the matching pages of every document on the result page.
        in_page = _and(query, tantivy.Query.term_set_query(self.schema, F.DOCUMENT_ID, ids))
        out = searcher.aggregate(in_page, {"c": {"terms": {"field": F.DOCUMENT_ID, "size": len(ids)}}})
        counts = {b["key"]: int(b["doc_count"]) for b in out["c"]["buckets"]}
        match_all = isinstance(node, MatchAll)
        return tuple(
            self._document_hit(searcher, query, p, counts.get(p.document_id, 0), match_all, node, request)
            for p in picked
        )

    def _document_hit(
        self,
        searcher: tantivy.Searcher,
        query: tantivy.Query,
        picked: _Picked,
        hit_pages: int,
        match_all: bool,
        node: Node,
        request: SearchRequest,
    ) -> DocumentHit:
        best = picked.pages
        if match_all or len(best) < min(BEST_PAGES, hit_pages):
            in_doc = _and(query, self._doc_filter(picked.document_id))
            if match_all:
                # Every page scores alike: show the document's first pages.
                result = searcher.search(
                    in_doc, BEST_PAGES, count=False, order_by_field=F.PAGE_NUMBER, order=tantivy.Order.Asc
                )
                best = [(1.0, addr) for _, addr in result.hits]
            else:
                best = [(float(sc), addr) for sc, addr in searcher.search(in_doc, BEST_PAGES, count=False).hits]
        pages: list[PageHit] = []
        meta: dict[str, Any] = {}
        for page_score, addr in best:
            doc = searcher.doc(addr)
            page_meta = _meta(doc)
            meta = meta or page_meta
            pages.append(
                PageHit(
                    page_number=int(doc.get_first(F.PAGE_NUMBER) or 0),
                    bates=page_meta.get("bates"),
                    score=page_score,
                    snippet=make_snippet(str(doc.get_first(F.TEXT) or ""), node, request.snippet_chars),
                )
            )
        date = meta.get("document_date")
        # The relevance cursor resumes after this exact engine score, so it is passed through as is.
        score = picked.score if picked.score is not None else max((p.score for p in pages), default=0.0)
        return DocumentHit(
            document_id=picked.document_id,
            **shown_names(meta, request.collection_ids),
            document_date=None if date is None else _parse_date(date),
            bates_begin=meta.get("bates_begin"),
            bates_end=meta.get("bates_end"),
            page_count=int(meta.get("page_count", 0)),
            score=score,
            hit_pages=hit_pages,
            pages=tuple(pages),
        )

    # -- export -------------------------------------------------------------------------------------

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        validate_request(request)
        node = parse_query(request.query)
        filters = {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}
        self._index.reload()
        searcher = self._index.searcher()
        query = self._combine(
            compile_tantivy(node, self.schema, collection_ids=request.collection_ids),
            self._filter_clauses(
                filters,
                date_from=request.date_from,
                date_to=request.date_to,
                collection_ids=request.collection_ids,
                max_seq=self._max_seq(searcher),
            ),
        )
        return self._export(searcher, query, request.collection_ids)

    def _export(
        self, searcher: tantivy.Searcher, query: tantivy.Query, scope: Sequence[str] | None
    ) -> Iterator[ExportHit]:
        last_seq = -1
        while True:
            after = tantivy.Query.range_query(
                self.schema, F.SEQ, tantivy.FieldType.Integer, last_seq, None, include_lower=False
            )
            hits = searcher.search(
                _and(query, after), EXPORT_BATCH, count=False, order_by_field=F.SEQ, order=tantivy.Order.Asc
            ).hits
            for seq, addr in hits:
                doc = searcher.doc(addr)
                meta = _meta(doc)
                date = meta.get("document_date")
                yield ExportHit(
                    document_id=str(doc.get_first(F.DOCUMENT_ID)),
                    page_number=int(doc.get_first(F.PAGE_NUMBER) or 0),
                    bates=meta.get("bates"),
                    document_date=None if date is None else _parse_date(date),
                    **export_names(meta, scope),
                )
                last_seq = int(seq)
            if len(hits) < EXPORT_BATCH:
                return


# -- pure helpers -------------------------------------------------------------------------------------


def _and(a: tantivy.Query, b: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(_Occur.Must, a), (_Occur.Must, tantivy.Query.const_score_query(b, 0.0))])


def _count(result: tantivy.SearchResult) -> int:
    # SearchResult.count is missing from tantivy-py's type stub.
    return int(getattr(result, "count", 0) or 0)


def _doc_id(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> str:
    return str(searcher.doc(address).get_first(F.DOCUMENT_ID))


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _facet_agg(facet: str, request: SearchRequest) -> dict[str, Any]:
    field, size = (F.YEAR if facet == "year" else facet), request.facet_size
    # Over-fetch, then rank by distinct documents with a deterministic tie-break in Python.
    return {
        "terms": {"field": field, "size": max(size * 2, 50), "order": {"docs": "desc"}}
        | facet_include(facet, request.collection_ids),
        "aggs": {"docs": {"cardinality": {"field": F.DOCUMENT_ID}}},
    }


def _dated_agg() -> dict[str, Any]:
    return {"terms": {"field": F.HAS_DATE, "size": 2}, "aggs": {"docs": {"cardinality": {"field": F.DOCUMENT_ID}}}}


def _undated(agg: dict[str, Any]) -> int:
    return sum(card(b["docs"]) for b in agg.get("buckets", []) if int(b["key"]) == 0)


def _histogram_agg(interval: Interval, entity_id: str | None) -> dict[str, Any]:
    sub: dict[str, Any] = {"docs": {"cardinality": {"field": F.DOCUMENT_ID}}}
    if entity_id is not None:
        sub["mentions"] = {"sum": {"field": F.MENTIONS + "." + mention_key(entity_id)}}
    return {"histogram": {"field": INTERVAL_FIELDS[interval], "interval": 1}, "aggs": sub}


def _histogram(interval: Interval, agg: dict[str, Any], undated: int, entity_id: str | None) -> Histogram:
    buckets = []
    for b in agg.get("buckets", []):
        docs = card(b["docs"])
        if b["doc_count"] == 0 or docs == 0:
            continue
        mentions = None
        if entity_id is not None:
            mentions = round(float(b["mentions"].get("value") or 0.0))
        buckets.append(
            HistogramBucket(
                start=bucket_start(interval, int(b["key"])),
                documents=docs,
                pages=int(b["doc_count"]),
                mentions=mentions,
            )
        )
    return Histogram(interval=interval, buckets=tuple(buckets), undated_documents=undated, entity_id=entity_id)


__all__ = ["TantivyBackend", "build_schema", "record_to_document"]
