"""The embedded search backend: tantivy on disk, one record per page.

Engine calls stay thin: the schema and the page projection are in search.tantivy_schema, query and
aggregation requests in search.tantivy_requests (and search.query.compile_tantivy), the choice of a
result page in search.tantivy_paging, pinned searchers in search.tantivy_snapshots. Counting uses
tantivy's aggregation API (terms + cardinality on the document key), so no hit list is ever
materialized in Python except the page of results shown.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tantivy

from search import index_fields as F
from search.aggregations import card, facet_values
from search.analysis import ANALYZER_NAME, stem_analyzer
from search.backend import (
    ExportHit,
    FacetValue,
    Histogram,
    HistogramRequest,
    SearchRequest,
    SearchResponse,
    request_tree,
    validate_request,
)
from search.cursor import Cursor, encode_cursor, normalized_filters, open_request
from search.expansion_limits import refusing_expansions
from search.fields import FIELDS, Fields
from search.query.ast import has_text_terms
from search.query.compile_tantivy import compile_tantivy
from search.records import PageRecord
from search.tantivy_hits import document_hits, export_hits
from search.tantivy_paging import (
    CURSOR_KEYS,
    after_key,
    date_page,
    id_page,
    relevance_page,
)
from search.tantivy_requests import (
    combine,
    dated_agg,
    distinct_documents,
    facet_agg,
    filter_clauses,
    histogram_agg,
    read_histogram,
    read_undated,
    scope_query,
    scoped_facet_terms,
)
from search.tantivy_schema import (
    DOC_KEY,
    PAGE_ENTITY,
    PAGE_ID,
    IndexSchemaMismatch,
    build_schema,
    record_to_document,
    schema_version,
)
from search.tantivy_snapshots import Snapshot, SnapshotPool, max_seq

HLL_EXACT_BELOW = 100  # tantivy's cardinality estimate is exact below this (measured)
EXACT_TOTAL_LIMIT = 5_000

Clauses = Callable[[str | None], list[tantivy.Query]]


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
        fields: Fields = FIELDS,
    ) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.fields = fields  # the field registry the schema is built from (search.fields)
        self.schema = build_schema(fields)
        self.schema_version = schema_version(fields)
        self._heap_size = heap_size
        self._num_threads = num_threads
        self._writer_wait = writer_wait_seconds
        self._snapshots = SnapshotPool(ttl=snapshot_ttl, max_snapshots=max_snapshots)
        self._lock = threading.Lock()
        self._writer: tantivy.IndexWriter | None = None
        self._index = self._open_index()
        self._next_seq = max_seq(self._index.searcher()) + 1

    # -- lifecycle ----------------------------------------------------------------------------------

    def _open_index(self) -> tantivy.Index:
        marker = self.path / "foia_schema_version"
        if marker.exists() and marker.read_text().strip() != self.schema_version:
            raise IndexSchemaMismatch(
                f"{self.path} holds a search index of schema {marker.read_text().strip()}, this code writes "
                f"{self.schema_version}: remove the directory and reindex from the catalog"
            )
        index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        marker.write_text(self.schema_version + "\n")
        index.register_tokenizer(ANALYZER_NAME, stem_analyzer())
        return index

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self._acquire_writer()
            # Another process may have written since this one last did: continue its sequence.
            self._index.reload()
            self._next_seq = max(self._next_seq, max_seq(self._index.searcher()) + 1)
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

    def rebuild(self) -> None:
        """No zero-downtime rebuild: one embedded index, one writer, nothing to swap behind an alias."""
        return None

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
                writer.add_document(record_to_document(record, self._next_seq, self.fields))
                self._next_seq += 1
                n += 1
        return n

    def update_marks(self, records: Iterable[PageRecord]) -> int:
        """tantivy has no partial update: each page is deleted and added again from its record, which the
        caller built from the catalog (never OCR). Re-adding tokenises the page text again: that is the
        cost of a bulk tag on this engine (bench/bench_tags.py measures it)."""
        return self.index_pages(records)

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
        query = scope_query(self.schema, collection_ids) or tantivy.Query.all_query()
        return _count(searcher.search(query, 1, count=True))

    def _snapshot(self, cursor: Cursor | None) -> tuple[str, Snapshot]:
        found = self._snapshots.find(cursor.snapshot_id if cursor is not None else None)
        if found is not None:
            return found
        # The pinned searcher is gone (expired or another process): a fresh one filtered to the
        # cursor's seq keeps the same set of pages; only relevance scores may have shifted.
        self._index.reload()
        searcher = self._index.searcher()
        return self._snapshots.pin(searcher, cursor.max_seq if cursor is not None else max_seq(searcher))

    def _live_query(self, request: SearchRequest | HistogramRequest) -> tuple[tantivy.Searcher, tantivy.Query]:
        """A fresh searcher and the request's query with every filter (histograms and export: no cursor,
        so no pinned snapshot)."""
        validate_request(request, self.fields)
        node = request_tree(request, self.fields)
        self._index.reload()
        searcher = self._index.searcher()
        base = compile_tantivy(node, self.schema, collection_ids=request.collection_ids)
        clauses = filter_clauses(self.schema, request, normalized_filters(request), max_seq=max_seq(searcher))
        if isinstance(request, HistogramRequest) and request.entity_id is not None:
            clauses.append(tantivy.Query.term_query(self.schema, PAGE_ENTITY, request.entity_id))
        return searcher, combine(base, clauses)

    @refusing_expansions
    def search(self, request: SearchRequest) -> SearchResponse:
        validate_request(request, self.fields)
        node = request_tree(request, self.fields)
        opened = open_request(request, CURSOR_KEYS)
        filters, fp, cursor = opened.filters, opened.fingerprint, opened.cursor
        sid, snap = self._snapshot(cursor)
        searcher = snap.searcher
        base = compile_tantivy(node, self.schema, collection_ids=request.collection_ids)

        def clauses(exclude: str | None = None) -> list[tantivy.Query]:
            return filter_clauses(self.schema, request, filters, max_seq=snap.max_seq, exclude=exclude)

        full = combine(base, clauses())
        facets, histogram, total_documents, total_pages = self._aggregate(
            searcher, base, full, request, filters, clauses
        )

        after = cursor.after if cursor is not None else None
        if request.sort == "relevance" and not has_text_terms(node):
            # No words to score (match-all, fields and dates only): every match ranks the same, so
            # relevance order is document id order (and needs no score window).
            page, has_more = id_page(searcher, full, after, request.page_size)
        elif request.sort == "relevance":
            page, has_more = relevance_page(searcher, full, after, request.page_size)
        else:
            page, has_more = date_page(searcher, full, after, request.page_size, request.sort)

        documents = document_hits(searcher, self.schema, full, node, page, request)
        next_cursor = None
        if has_more and documents:
            next_cursor = encode_cursor(Cursor(fp, snap.max_seq, sid, after_key(request.sort, documents[-1])))
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
        clauses: Clauses,
    ) -> tuple[dict[str, tuple[FacetValue, ...]], Histogram | None, int, int]:
        # One aggregation pass over the fully filtered hits counts the total, the timeline and
        # every facet without an active filter; each filtered facet needs its own pass without
        # its own filter (multi-select semantics).
        size = request.facet_size
        aggs: dict[str, Any] = {
            "_docs": distinct_documents(),
            "_pages": {"value_count": {"field": F.SEQ}},
        }
        own_pass: list[str] = []
        scoped = {f: scoped_facet_terms(searcher, f, request.collection_ids) for f in request.facets}
        for facet in request.facets:
            if filters.get(facet):
                own_pass.append(facet)
            else:
                aggs[f"f_{facet}"] = facet_agg(facet, request, scoped[facet])
        if request.histogram is not None:
            aggs["_hist"] = histogram_agg(request.histogram, None)
            aggs["_dated"] = dated_agg()
        out = searcher.aggregate(full, aggs)
        total_documents = self._exact_documents(searcher, full, card(out["_docs"]))
        total_pages = card(out["_pages"])
        facets: dict[str, tuple[FacetValue, ...]] = {}
        for facet in request.facets:
            if facet in own_pass:
                own = searcher.aggregate(combine(base, clauses(facet)), {"f": facet_agg(facet, request, scoped[facet])})
                facets[facet] = facet_values(own["f"], size, facet)
            else:
                facets[facet] = facet_values(out[f"f_{facet}"], size, facet)
        histogram = None
        if request.histogram is not None:
            histogram = read_histogram(request.histogram, out["_hist"], read_undated(out["_dated"]), None)
        return facets, histogram, total_documents, total_pages

    def _exact_documents(self, searcher: tantivy.Searcher, query: tantivy.Query, estimate: int) -> int:
        """The cardinality aggregation is a HyperLogLog estimate (off by ~1-2% above ~150): below
        EXACT_TOTAL_LIMIT one more pass counts the documents exactly, since users read this number."""
        if estimate <= HLL_EXACT_BELOW or estimate > EXACT_TOTAL_LIMIT:
            return estimate
        agg = {"t": {"terms": {"field": DOC_KEY, "size": EXACT_TOTAL_LIMIT * 2}}}
        out = searcher.aggregate(query, agg)["t"]
        if out.get("sum_other_doc_count"):
            return estimate
        return len(out["buckets"])

    @refusing_expansions
    def histogram(self, request: HistogramRequest) -> Histogram:
        searcher, full = self._live_query(request)
        aggs = {"h": histogram_agg(request.interval, request.entity_id), "d": dated_agg()}
        out = searcher.aggregate(full, aggs)
        return read_histogram(request.interval, out["h"], read_undated(out["d"]), request.entity_id)

    # -- export -------------------------------------------------------------------------------------

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        searcher, query = self._live_query(request)
        return export_hits(searcher, self.schema, query, request.collection_ids)


# -- pure helpers -------------------------------------------------------------------------------------


def _count(result: tantivy.SearchResult) -> int:
    # SearchResult.count is missing from tantivy-py's type stub.
    return int(getattr(result, "count", 0) or 0)


__all__ = ["TantivyBackend"]
