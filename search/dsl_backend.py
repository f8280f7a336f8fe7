"""The SearchBackend on Elasticsearch or OpenSearch: one implementation over a thin engine client.

Everything engine-specific (client construction, point-in-time calls, bulk helper) sits behind
`EngineClient` (search.elasticsearch_backend, search.opensearch_backend); request bodies are pure
functions (search.dsl_requests, search.dsl_mapping, search.query.compile_dsl).

Index: versioned concrete indices (`<alias>-v<stamp>`) behind the alias FOIA_SEARCH_INDEX. `drop()`
and `rebuild()` create a new index and swap the alias atomically, so searches never see a half-built
index. Pages are documents with id `<document_id>:<page_number>` (indexing a page again replaces it).

Cursors: a search that has more pages pins a point in time (PIT) and the cursor carries its id plus
`max_seq`, the highest page sequence number seen by the first page; later pages search in that PIT
and filter `indexed_seq <= max_seq`. PITs are shared: a new search runs in the PIT opened in the last
second (unless this backend committed since), so busy servers open about one PIT a second, not one per
search; at most `max_open_pits` stay open per backend (oldest closed first). A cursor whose PIT has
expired or was closed gets a new one, and the seq filter alone keeps the same set of pages (scores may
then shift slightly, as in tantivy when its pinned searcher is gone). Relevance pages use `collapse`
+ `from` (the engines refuse `search_after` with a collapse sorted by score), so relevance paging
stops at DEFAULT_MAX_RESULT_WINDOW documents; date orders resume a composite aggregation after the last key;
export (`iter_hits`) is PIT + `search_after` on (indexed_seq, page_id).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from search import index_fields as F
from search.aggregations import card, facet_values
from search.backend import (
    DocumentHit,
    ExportHit,
    FacetValue,
    Histogram,
    HistogramRequest,
    InvalidRequest,
    PageHit,
    SearchRequest,
    SearchResponse,
    validate_request,
)
from search.cursor import Cursor, CursorKeys, KeyPart, encode_cursor, open_request
from search.dsl_mapping import (
    DEFAULT_MAX_RESULT_WINDOW,
    META,
    index_mappings,
    index_settings,
    page_source,
    parse_date,
    versioned_index_name,
)
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
from search.link_names import export_names, shown_names
from search.query.ast import MatchAll, Node
from search.query.parser import parse_query
from search.records import PageRecord
from search.snippets import make_snippet

Dsl = dict[str, Any]
# Relevance resumes at an offset (`from`); date orders after the last document's day (null: undated) and id.
CURSOR_KEYS: CursorKeys = {
    "relevance": (KeyPart.OFFSET,),
    "date_desc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
    "date_asc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
}
EXPORT_BATCH = 1000
DELETE_BATCH = 1000
THRESHOLD_TTL_SECONDS = 60.0
PIT_SHARE_SECONDS = 1.0
MAX_OPEN_PITS = 32
MIN_THRESHOLD = 1000


class SearchEngineError(RuntimeError):
    """The cluster refused a write (mapping conflict, rejected bulk items after retries)."""


class PitMissing(Exception):
    """The point in time named by a cursor is gone (expired, or the node restarted)."""


class EngineClient(Protocol):
    """The few engine calls the backend needs; each adapter implements them with its own client."""

    flavor: str

    def create_index(self, name: str, settings: Dsl, mappings: Dsl, aliases: Sequence[str] = ()) -> bool:
        """Create `name`; False when it already exists."""
        ...

    def delete_index(self, name: str) -> None: ...

    def alias_targets(self, alias: str) -> list[str]:
        """Concrete indices behind `alias` (empty when the alias does not exist)."""
        ...

    def swap_alias(self, alias: str, add: str, remove: Sequence[str]) -> None:
        """Point `alias` at `add` instead of `remove`, atomically."""
        ...

    def put_settings(self, index: str, settings: Dsl) -> None: ...

    def bulk(self, actions: Iterable[Dsl]) -> list[Dsl]:
        """Run bulk actions with retries on 429/503; returns the items that failed."""
        ...

    def search(self, body: Dsl, *, index: str | None = None) -> Dsl:
        """Search `index`, or the point in time in `body["pit"]` (PitMissing when it is gone)."""
        ...

    def count(self, index: str, query: Dsl) -> int: ...

    def refresh(self, index: str) -> None: ...

    def open_pit(self, index: str, keep_alive: str) -> str: ...

    def close_pit(self, pit_id: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class _Page:
    """The documents of one result page, in order, with the engine's sort score when known."""

    ids: list[str]
    scores: dict[str, float]
    has_more: bool
    after: list[Any] | None  # cursor key of the last document on the page


def _index_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]


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
    ) -> None:
        self.client = client
        self.alias = alias
        self.analyzer = analyzer
        self.shards = shards
        self.replicas = replicas
        self.pit_keep_alive = pit_keep_alive
        self.max_open_pits = max_open_pits
        self.pit_share_seconds = PIT_SHARE_SECONDS
        self._pits: OrderedDict[str, float] = OrderedDict()  # opened here, oldest first
        self._shared_pit: tuple[str, float] | None = None  # the newest, reused for a second
        self._pit_lock = threading.Lock()
        self.max_threshold = precision_threshold
        self._threshold: tuple[float, int] | None = None  # (checked at, value)
        self._lock = threading.Lock()
        self._last_seq = 0
        self._dirty = False
        self._write_index = alias
        self.ensure_index()

    # -- index lifecycle ----------------------------------------------------------------------------

    def _create(self, name: str, *, aliases: Sequence[str] = (), refresh_interval: str = "1s") -> bool:
        settings = index_settings(shards=self.shards, replicas=self.replicas, refresh_interval=refresh_interval)
        return self.client.create_index(name, settings, index_mappings(self.analyzer), aliases)

    def ensure_index(self) -> None:
        """Create the first versioned index behind the alias when there is none (safe to race)."""
        if not self.client.alias_targets(self.alias):
            self._create(versioned_index_name(self.alias, "1"), aliases=[self.alias])

    def _swap_to(self, new: str) -> None:
        old = self.client.alias_targets(self.alias)
        self.client.swap_alias(self.alias, new, [o for o in old if o != new])
        for name in old:
            if name != new:
                self.client.delete_index(name)

    def drop(self) -> None:
        new = versioned_index_name(self.alias, _index_stamp())
        self._create(new)
        self._swap_to(new)
        self._dirty = False

    @contextlib.contextmanager
    def rebuild(self) -> Iterator[DslBackend]:
        """Write into a fresh index; on success the alias moves to it and the old one is deleted.

        Searches keep using the old index until the swap (no downtime). Pages written by other
        processes to the alias meanwhile land in the old index only: run with workers idle.
        """
        new = versioned_index_name(self.alias, _index_stamp())
        self._create(new, refresh_interval="-1")
        self._write_index = new
        try:
            yield self
            self.client.put_settings(new, {"index": {"refresh_interval": "1s"}})
            self.client.refresh(new)
            self._swap_to(new)
        except BaseException:
            self.client.delete_index(new)
            raise
        finally:
            self._write_index = self.alias
            self._dirty = False

    def destroy(self) -> None:
        """Delete every index behind the alias (tests, tear-down); the alias goes with them."""
        for name in self.client.alias_targets(self.alias):
            self.client.delete_index(name)

    def close(self) -> None:
        with self._pit_lock:
            pits, self._shared_pit = list(self._pits), None
            self._pits.clear()
        for pit in pits:
            self.client.close_pit(pit)
        self.client.close()

    # -- writes -------------------------------------------------------------------------------------

    def _next_seq(self) -> int:
        # Microseconds since the epoch, strictly increasing in this process: sequence numbers from
        # several processes (or machines with synchronised clocks) interleave in indexing order.
        with self._lock:
            self._last_seq = max(self._last_seq + 1, time.time_ns() // 1000)
            return self._last_seq

    def index_pages(self, pages: Iterable[PageRecord]) -> int:
        index = self._write_index
        count = 0

        def actions() -> Iterator[Dsl]:
            nonlocal count
            for record in pages:
                count += 1
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": record.page_id,
                    "_source": page_source(record, self._next_seq()),
                }

        failed = self.client.bulk(actions())
        if count:
            self._dirty = True
        if failed:
            raise SearchEngineError(f"{len(failed)} pages were not indexed; first error: {failed[0]}")
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
            self._shared_pit = None  # the next search must see this commit

    def refresh(self) -> None:
        """See other processes' commits (they refresh the shared index): only stop reusing the
        point in time shared by recent searches."""
        self._shared_pit = None

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

    # -- points in time -------------------------------------------------------------------------------

    def _fresh_pit(self) -> str | None:
        """The point in time opened in the last second (and after this backend's last commit), if any:
        searches share it instead of each opening one (the engines cap open PITs: OpenSearch at 300)."""
        with self._pit_lock:
            shared = self._shared_pit
        if shared is not None and time.monotonic() - shared[1] < self.pit_share_seconds:
            return shared[0]
        return None

    def _open_pit(self) -> str:
        """Open a point in time; at most `max_open_pits` stay open per backend (the oldest is closed,
        and cursors still naming it fall back to a new one with the seq filter)."""
        pit = self.client.open_pit(self.alias, self.pit_keep_alive)
        now = time.monotonic()
        evicted: list[str] = []
        with self._pit_lock:
            self._pits[pit] = now
            self._shared_pit = (pit, now)
            while len(self._pits) > self.max_open_pits:
                evicted.append(self._pits.popitem(last=False)[0])
        for old in evicted:
            self.client.close_pit(old)
        return pit

    def _search(self, body: Dsl, pit: str | None) -> Dsl:
        if pit is None:
            return self.client.search(body, index=self.alias)
        return self.client.search({**body, "pit": {"id": pit, "keep_alive": self.pit_keep_alive}})

    def _search_pinned(self, body: Dsl, pit: str | None) -> tuple[Dsl, str | None]:
        """Search in the cursor's point in time; a new one when it has expired (the seq filter
        in the query keeps the same pages)."""
        try:
            resp = self._search(body, pit)
        except PitMissing:
            pit = self._open_pit()
            resp = self._search(body, pit)
        return resp, (resp.get("pit_id") or pit) if pit is not None else None

    def search(self, request: SearchRequest) -> SearchResponse:
        validate_request(request)
        node = parse_query(request.query)
        opened = open_request(request, CURSOR_KEYS)
        filters, fp, cursor = opened.filters, opened.fingerprint, opened.cursor
        max_seq = cursor.max_seq if cursor is not None else None
        # A new search runs in the shared point in time when one is fresh, else on the live index;
        # it opens a point in time only when there is a next page to pin.
        pit = cursor.snapshot_id if cursor is not None else self._fresh_pit()
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
        resp, pit = self._search_pinned(body, pit)
        out = resp.get("aggregations", {})
        if request.sort == "relevance":
            page = _relevance_page(resp, offset, request.page_size)
        else:
            page = _date_page(out["_order"], request.page_size)

        if max_seq is None:
            max_seq = int(out["_max_seq"].get("value") or 0)
        documents = self._document_hits(full, node, page, pit, request)
        next_cursor = None
        if page.has_more and documents:
            if pit is None:
                pit = self._open_pit()
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
        validate_request(request)
        node = parse_query(request.query)
        filters = {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}
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
        self, query: Dsl, node: Node, page: _Page, pit: str | None, request: SearchRequest
    ) -> tuple[DocumentHit, ...]:
        if not page.ids:
            return ()
        resp = self._search(best_pages_body(query, page.ids), pit)
        buckets = {b["key"]: b for b in resp["aggregations"]["d"]["buckets"]}
        match_all = isinstance(node, MatchAll)
        out = []
        for doc_id in page.ids:
            bucket = buckets.get(doc_id)
            if bucket is None:  # pragma: no cover - the document vanished between the two requests
                continue
            out.append(_document_hit(doc_id, bucket, page.scores.get(doc_id), match_all, node, request))
        return tuple(out)

    # -- export -------------------------------------------------------------------------------------

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        validate_request(request)
        node = parse_query(request.query)
        filters = {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}
        query = query_dsl(
            node,
            filters,
            date_from=request.date_from,
            date_to=request.date_to,
            collection_ids=request.collection_ids,
        )
        return self._export(query, request.collection_ids)

    def _export(self, query: Dsl, scope: Sequence[str] | None) -> Iterator[ExportHit]:
        pit: str | None = self.client.open_pit(self.alias, self.pit_keep_alive)
        try:
            after: list[Any] | None = None
            while True:
                resp, pit = self._search_pinned(export_body(query, after, EXPORT_BATCH), pit)
                hits = resp["hits"]["hits"]
                for hit in hits:
                    yield _export_hit(hit["_source"], scope)
                if len(hits) < EXPORT_BATCH:
                    return
                after = list(hits[-1]["sort"])
        finally:
            if pit is not None:
                self.client.close_pit(pit)


# -- pure helpers -------------------------------------------------------------------------------------


def _relevance_page(resp: Mapping[str, Any], offset: int, size: int) -> _Page:
    hits = resp["hits"]["hits"]
    ids = [str(h["fields"][F.DOCUMENT_ID][0]) for h in hits[:size]]
    scores = {str(h["fields"][F.DOCUMENT_ID][0]): float(h["sort"][0]) for h in hits[:size]}
    return _Page(ids, scores, len(hits) > size, [offset + len(ids)])


def _date_page(composite: Mapping[str, Any], size: int) -> _Page:
    buckets = composite.get("buckets", [])
    keys = [(b["key"]["d"], str(b["key"]["i"])) for b in buckets]
    page = keys[:size]
    after = [page[-1][0], page[-1][1]] if page else None
    return _Page([i for _, i in page], {}, len(keys) > size, after)


def _document_hit(
    document_id: str,
    bucket: Mapping[str, Any],
    score: float | None,
    match_all: bool,
    node: Node,
    request: SearchRequest,
) -> DocumentHit:
    top = bucket["top"]["hits"]["hits"]
    pages: list[PageHit] = []
    meta: Mapping[str, Any] = {}
    for hit in top:
        src = hit["_source"]
        page_meta = src.get(META) or {}
        meta = meta or page_meta
        page_score = 1.0 if match_all else float(hit["sort"][0])
        pages.append(
            PageHit(
                page_number=int(src.get(F.PAGE_NUMBER) or 0),
                bates=page_meta.get("bates"),
                score=page_score,
                snippet=make_snippet(str(src.get(F.TEXT) or ""), node, request.snippet_chars),
            )
        )
    if score is None:
        score = max((p.score for p in pages), default=0.0)
    return DocumentHit(
        document_id=document_id,
        **shown_names(meta, request.collection_ids),
        document_date=parse_date(meta.get("document_date")),
        bates_begin=meta.get("bates_begin"),
        bates_end=meta.get("bates_end"),
        page_count=int(meta.get("page_count", 0)),
        score=score,
        hit_pages=int(bucket["doc_count"]),
        pages=tuple(pages),
    )


def _export_hit(src: Mapping[str, Any], scope: Sequence[str] | None) -> ExportHit:
    meta = src.get(META) or {}
    return ExportHit(
        document_id=str(src[F.DOCUMENT_ID]),
        page_number=int(src.get(F.PAGE_NUMBER) or 0),
        bates=meta.get("bates"),
        document_date=parse_date(meta.get("document_date")),
        **export_names(meta, scope),
    )


__all__ = ["DslBackend", "EngineClient", "PitMissing", "SearchEngineError"]
