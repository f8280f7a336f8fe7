"""The SearchBackend on Elasticsearch or OpenSearch: one implementation over a thin engine client.

Everything engine-specific (client construction, point-in-time calls, bulk helper) sits behind
`EngineClient` (search.dsl_client; adapters in search.elasticsearch_backend, search.opensearch_backend);
request bodies are pure functions (search.dsl_requests, search.dsl_mapping, search.query.compile_dsl)
and so are the readers of the answers (search.dsl_results).

Index: versioned concrete indices behind the alias FOIA_SEARCH_INDEX (search.dsl_index); `drop()` and
`rebuild()` swap the alias atomically. Pages are documents with id `<document_id>:<page_number>`
(indexing a page again replaces it).

Cursors carry a point in time (search.dsl_pits) plus `max_seq`, the highest page sequence number seen
by the first page; later pages search in that PIT and filter `indexed_seq <= max_seq`. Relevance pages
use `collapse` + `from` (the engines refuse `search_after` with a collapse sorted by score), so
relevance paging stops at DEFAULT_MAX_RESULT_WINDOW documents; date orders resume a composite
aggregation after the last key; export (`iter_hits`) is PIT + `search_after` on (indexed_seq, page_id).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from search import index_fields as F
from search.aggregations import card, facet_values
from search.backend import (
    DocumentHit,
    ExportHit,
    FacetValue,
    Histogram,
    HistogramRequest,
    InvalidRequest,
    SearchRequest,
    SearchResponse,
    request_tree,
    validate_request,
)
from search.cursor import Cursor, CursorKeys, KeyPart, encode_cursor, normalized_filters, open_request
from search.dsl_client import Dsl, EngineClient, SearchEngineError
from search.dsl_index import IndexVersions
from search.dsl_mapping import DEFAULT_MAX_RESULT_WINDOW, page_source
from search.dsl_pits import MAX_OPEN_PITS, PitPool
from search.dsl_requests import (
    PRECISION_THRESHOLD,
    best_pages_body,
    date_body,
    distinct_documents,
    export_body,
    facet_bucket_agg,
    histogram_agg,
    page_ids_body,
    query_dsl,
    read_histogram,
    relevance_body,
    search_aggs,
    total_hits,
    undated_agg,
)
from search.dsl_results import ResultPage, date_page, document_hit, export_hit, relevance_page
from search.fields import FIELDS, Fields
from search.marks import marks_update
from search.query.ast import MatchAll, Node
from search.records import PageRecord

# Relevance resumes at an offset (`from`); date orders after the last document's day (null: undated) and id.
CURSOR_KEYS: CursorKeys = {
    "relevance": (KeyPart.OFFSET,),
    "date_desc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
    "date_asc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
}
EXPORT_BATCH = 1000
DELETE_BATCH = 1000
THRESHOLD_TTL_SECONDS = 60.0
MIN_THRESHOLD = 1000


class DslBackend:
    """SearchBackend over an Elasticsearch/OpenSearch cluster, reached through `client`."""

    def __init__(
        self,
        client: EngineClient,
        *,
        alias: str = "foia-pages",
        analyzer: str = "english",
        shards: int = 1,
        replicas: int = 0,
        pit_keep_alive: str = "5m",
        max_open_pits: int = MAX_OPEN_PITS,
        precision_threshold: int = PRECISION_THRESHOLD,
        fields: Fields = FIELDS,
    ) -> None:
        self.client = client
        self.alias = alias
        self.fields = fields  # the field registry the mapping is built from (search.fields)
        self.versions = IndexVersions(client, alias, analyzer=analyzer, shards=shards, replicas=replicas, fields=fields)
        self.pits = PitPool(client, alias, keep_alive=pit_keep_alive, max_open=max_open_pits)
        self.max_threshold = precision_threshold
        self._threshold: tuple[float, int] | None = None  # (checked at, value)
        self._lock = threading.Lock()
        self._last_seq = 0
        self._dirty = False
        self._write_index = alias
        self.versions.ensure()

    # -- index lifecycle ----------------------------------------------------------------------------

    def drop(self) -> None:
        self.versions.swap_to(self.versions.create_next())
        self._dirty = False

    @contextlib.contextmanager
    def rebuild(self) -> Iterator[DslBackend]:
        """Write into a fresh index; on success the alias moves to it and the old one is deleted.

        Searches keep using the old index until the swap (no downtime). Pages written by other
        processes to the alias meanwhile land in the old index only: run with workers idle.
        """
        new = self.versions.create_next(refresh_interval="-1")
        self._write_index = new
        try:
            yield self
            self.versions.publish(new)
        except BaseException:
            self.versions.discard(new)
            raise
        finally:
            self._write_index = self.alias
            self._dirty = False

    def destroy(self) -> None:
        """Delete every index behind the alias (tests, tear-down); the alias goes with them."""
        self.versions.destroy()

    def close(self) -> None:
        self.pits.close()
        self.client.close()

    # -- writes -------------------------------------------------------------------------------------

    def _next_seq(self) -> int:
        # Microseconds since the epoch, strictly increasing in this process: sequence numbers from
        # several processes (or machines with synchronised clocks) interleave in indexing order.
        with self._lock:
            self._last_seq = max(self._last_seq + 1, time.time_ns() // 1000)
            return self._last_seq

    def index_pages(self, pages: Iterable[PageRecord]) -> int:
        return self._bulk_pages(
            pages,
            lambda record, index: {
                "_op_type": "index",
                "_index": index,
                "_id": record.page_id,
                "_source": page_source(record, self._next_seq(), self.fields),
            },
            failure="pages were not indexed",
        )

    def update_marks(self, records: Iterable[PageRecord]) -> int:
        """A partial update of each page: only its mark columns are sent (text, entities and the page's
        sequence number stay as indexed). A page the index does not hold yet (404) is skipped: it is
        indexed later with the catalog's marks."""
        return self._bulk_pages(
            records,
            lambda record, index: {
                "_op_type": "update",
                "_index": index,
                "_id": record.page_id,
                "doc": marks_update(record, self.fields),
                # Two reviewers tagging one page at once: the later update applies on top.
                "retry_on_conflict": 3,
            },
            failure="pages' marks were not updated",
            missing_is_fine=True,
        )

    def _bulk_pages(
        self,
        records: Iterable[PageRecord],
        action: Callable[[PageRecord, str], Dsl],
        failure: str,
        missing_is_fine: bool = False,
    ) -> int:
        """One bulk request streaming an action per page; counts the pages sent and raises on any failure
        (a 404 too, unless the action may meet a page that is not indexed yet)."""
        index = self._write_index
        count = 0

        def actions() -> Iterator[Dsl]:
            nonlocal count
            for record in records:
                count += 1
                yield action(record, index)

        failed = self.client.bulk(actions())
        if missing_is_fine:
            failed = [f for f in failed if f.get("status") != 404]
        if count:
            self._dirty = True
        if failed:
            raise SearchEngineError(f"{len(failed)} {failure}; first error: {failed[0]}")
        return count

    def delete_document(self, document_id: str) -> None:
        index = self._write_index
        if self._dirty:
            self.client.refresh(index)
        ids: list[str] = []
        after: str | None = None
        while True:
            hits = self.client.search(page_ids_body(document_id, after, DELETE_BATCH), index=index)["hits"]["hits"]
            ids += [str(h["_id"]) for h in hits]
            if len(hits) < DELETE_BATCH:
                break
            after = str(hits[-1]["sort"][0])
        if not ids:
            return
        failed = self.client.bulk({"_op_type": "delete", "_index": index, "_id": i} for i in ids)
        failed = [f for f in failed if f.get("status") != 404]
        self._dirty = True
        if failed:
            raise SearchEngineError(f"{len(failed)} pages were not deleted; first error: {failed[0]}")

    def commit(self) -> None:
        """Refresh only when this backend wrote something since the last refresh."""
        if self._dirty:
            self.client.refresh(self._write_index)
            self._dirty = False
            self._threshold = None
            self.pits.stop_sharing()  # the next search must see this commit

    def refresh(self) -> None:
        """See other processes' commits (they refresh the shared index): only stop reusing the
        point in time shared by recent searches."""
        self.pits.stop_sharing()

    # -- reads --------------------------------------------------------------------------------------

    def count(self, collection_ids: Sequence[str] | None = None) -> int:
        query: Dsl = {"match_all": {}} if collection_ids is None else {"terms": {F.COLLECTION: list(collection_ids)}}
        return self.client.count(self.alias, query)

    def _precision(self) -> int:
        """`precision_threshold` of the distinct-document counts: twice the documents in the index
        (looked up at most once a minute), at least MIN_THRESHOLD, at most the configured maximum.

        Counts stay exact while a bucket holds fewer distinct documents than the threshold, and a
        bucket never holds more documents than the index; the engines' cost grows with the
        threshold (OpenSearch allocates it up front), so a small index pays for a small one.
        """
        now = time.monotonic()
        cached = self._threshold
        if cached is not None and now - cached[0] < THRESHOLD_TTL_SECONDS:
            return cached[1]
        body = {
            "size": 0,
            "track_total_hits": False,
            "aggs": {"n": distinct_documents(self.max_threshold)},
        }
        documents = card(self.client.search(body, index=self.alias)["aggregations"]["n"])
        value = min(self.max_threshold, max(MIN_THRESHOLD, 2 * documents))
        self._threshold = (now, value)
        return value

    def search(self, request: SearchRequest) -> SearchResponse:
        validate_request(request, self.fields)
        node = request_tree(request, self.fields)
        opened = open_request(request, CURSOR_KEYS)
        filters, fp, cursor = opened.filters, opened.fingerprint, opened.cursor
        max_seq = cursor.max_seq if cursor is not None else None
        # A new search runs in the shared point in time when one is fresh, else on the live index;
        # it opens a point in time only when there is a next page to pin.
        pit = cursor.snapshot_id if cursor is not None else self.pits.fresh()
        scope: dict[str, Any] = {
            "date_from": request.date_from,
            "date_to": request.date_to,
            "collection_ids": request.collection_ids,
        }
        full = query_dsl(node, filters, max_seq=max_seq, **scope)
        aggs = search_aggs(
            node,
            filters,
            facets=request.facets,
            facet_size=request.facet_size,
            histogram=request.histogram,
            max_seq=max_seq,
            with_max_seq=cursor is None,
            threshold=self._precision(),
            **scope,
        )
        after = cursor.after if cursor is not None else None
        if request.sort == "relevance":
            offset = int(after[0]) if after else 0
            if offset + request.page_size + 1 > DEFAULT_MAX_RESULT_WINDOW:
                raise InvalidRequest(
                    f"relevance order pages through the first {DEFAULT_MAX_RESULT_WINDOW} documents; "
                    "sort by date or export to go further"
                )
            body = relevance_body(full, offset, request.page_size, aggs)
        else:
            body = date_body(full, after, request.page_size, request.sort == "date_desc", aggs)
        resp, pit = self.pits.search_pinned(body, pit)
        out = resp.get("aggregations", {})
        if request.sort == "relevance":
            page = relevance_page(resp, offset, request.page_size)
        else:
            page = date_page(out["_order"], request.page_size)

        if max_seq is None:
            max_seq = int(out["_max_seq"].get("value") or 0)
        documents = self._document_hits(full, node, page, pit, request)
        next_cursor = None
        if page.has_more and documents:
            if pit is None:
                pit = self.pits.open()
            next_cursor = encode_cursor(Cursor(fp, max_seq, pit, list(page.after or [])))
        facets: dict[str, tuple[FacetValue, ...]] = {
            facet: facet_values(facet_bucket_agg(out, facet), request.facet_size, facet) for facet in request.facets
        }
        histogram = None
        if request.histogram is not None:
            histogram = read_histogram(request.histogram, out["_hist"], card(out["_undated"]["docs"]), None)
        return SearchResponse(
            total_documents=card(out["_docs"]),
            total_pages=total_hits(resp),
            documents=documents,
            facets=facets,
            histogram=histogram,
            next_cursor=next_cursor,
        )

    def histogram(self, request: HistogramRequest) -> Histogram:
        validate_request(request, self.fields)
        node = request_tree(request, self.fields)
        filters = normalized_filters(request)
        query = query_dsl(
            node,
            filters,
            date_from=request.date_from,
            date_to=request.date_to,
            collection_ids=request.collection_ids,
            entity_id=request.entity_id,
        )
        threshold = self._precision()
        aggs = {
            "h": histogram_agg(request.interval, request.entity_id, threshold),
            "u": undated_agg(threshold),
        }
        body = {"query": {"bool": {"filter": [query]}}, "size": 0, "track_total_hits": False, "aggs": aggs}
        out = self.client.search(body, index=self.alias)["aggregations"]
        return read_histogram(request.interval, out["h"], card(out["u"]["docs"]), request.entity_id)

    # -- result assembly ----------------------------------------------------------------------------

    def _document_hits(
        self, query: Dsl, node: Node, page: ResultPage, pit: str | None, request: SearchRequest
    ) -> tuple[DocumentHit, ...]:
        if not page.ids:
            return ()
        resp = self.pits.search(best_pages_body(query, page.ids), pit)
        buckets = {b["key"]: b for b in resp["aggregations"]["d"]["buckets"]}
        match_all = isinstance(node, MatchAll)
        out = []
        for doc_id in page.ids:
            bucket = buckets.get(doc_id)
            if bucket is None:  # pragma: no cover - the document vanished between the two requests
                continue
            out.append(document_hit(doc_id, bucket, page.scores.get(doc_id), match_all, node, request))
        return tuple(out)

    # -- export -------------------------------------------------------------------------------------

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        validate_request(request, self.fields)
        node = request_tree(request, self.fields)
        filters = normalized_filters(request)
        query = query_dsl(
            node,
            filters,
            date_from=request.date_from,
            date_to=request.date_to,
            collection_ids=request.collection_ids,
        )
        return self._export(query, request.collection_ids)

    def _export(self, query: Dsl, scope: Sequence[str] | None) -> Iterator[ExportHit]:
        pit: str | None = self.client.open_pit(self.alias, self.pits.keep_alive)
        try:
            after: list[Any] | None = None
            while True:
                resp, pit = self.pits.search_pinned(export_body(query, after, EXPORT_BATCH), pit)
                hits = resp["hits"]["hits"]
                for hit in hits:
                    yield export_hit(hit["_source"], scope)
                if len(hits) < EXPORT_BATCH:
                    return
                after = list(hits[-1]["sort"])
        finally:
            if pit is not None:
                self.client.close_pit(pit)


__all__ = ["DslBackend"]
