"""The search backend as the API sees it: behind a deadline and a concurrency bound.

The parser already caps a query's size (length, terms, depth, expansions); this caps its time. A search
that passes its deadline answers 503 at once; its thread finishes in the background, and the bounded pool
keeps such stragglers from piling up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractContextManager
from typing import TypeVar

from api.problem_types import SEARCH_TIMEOUT
from api.problems import Problem
from search.backend import (
    ExportHit,
    Histogram,
    HistogramRequest,
    SearchBackend,
    SearchRequest,
    SearchResponse,
)
from search.records import PageRecord

_Request = TypeVar("_Request")
_Answer = TypeVar("_Answer")


class SearchTimeout(Problem):
    """A search (or a whole batch) past its deadline: the API's 503."""

    def __init__(self, detail: str) -> None:
        super().__init__(SEARCH_TIMEOUT, detail)


class GuardedSearch:
    """A SearchBackend: searches and histograms run under the deadline, everything else is the backend's
    own call. close() stops the pool only; the backend belongs to whoever built it."""

    def __init__(self, backend: SearchBackend, timeout: float, max_concurrent: int, batch_timeout: float = 0.0) -> None:
        self._backend = backend
        self._timeout = timeout
        self._batch_timeout = batch_timeout
        self._pool = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="search")

    def batch_deadline(self) -> float | None:
        """The monotonic time by which a whole batch request must be done (None: no batch deadline)."""
        return time.monotonic() + self._batch_timeout if self._batch_timeout > 0 else None

    def _call(self, run: Callable[[_Request], _Answer], request: _Request, deadline: float | None) -> _Answer:
        timeout = self._timeout if self._timeout > 0 else None
        what = f"the search took longer than {self._timeout:g}s"
        if deadline is not None:
            left = deadline - time.monotonic()
            if timeout is None or left < timeout:
                timeout, what = left, f"the batch took longer than {self._batch_timeout:g}s"
            if left <= 0:
                raise SearchTimeout(what)
        if timeout is None:
            return run(request)
        future = self._pool.submit(run, request)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()  # still queued: never runs; running: finishes unobserved
            raise SearchTimeout(what) from None

    def search(self, request: SearchRequest, deadline: float | None = None) -> SearchResponse:
        """One search; `deadline` (from batch_deadline) also bounds it by what is left of its batch."""
        return self._call(self._backend.search, request, deadline)

    def histogram(self, request: HistogramRequest) -> Histogram:
        return self._call(self._backend.histogram, request, None)

    def index_pages(self, pages: Iterable[PageRecord]) -> int:
        return self._backend.index_pages(pages)

    def update_marks(self, records: Iterable[PageRecord]) -> int:
        return self._backend.update_marks(records)

    def delete_document(self, document_id: str) -> None:
        self._backend.delete_document(document_id)

    def commit(self) -> None:
        self._backend.commit()

    def refresh(self) -> None:
        self._backend.refresh()

    def count(self, collection_ids: Sequence[str] | None = None) -> int:
        return self._backend.count(collection_ids)

    def iter_hits(self, request: SearchRequest) -> Iterator[ExportHit]:
        return self._backend.iter_hits(request)

    def drop(self) -> None:
        self._backend.drop()

    def rebuild(self) -> AbstractContextManager[SearchBackend] | None:
        return self._backend.rebuild()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
