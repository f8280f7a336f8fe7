"""Points in time (PIT) for Elasticsearch/OpenSearch cursors, shared and bounded.

A search that has more pages pins a point in time; its cursor carries the PIT id. PITs are shared: a
new search runs in the PIT opened in the last `share_seconds` (unless the backend committed since), so
busy servers open about one PIT a second, not one per search; at most `max_open` stay open per backend
(oldest closed first). A cursor whose PIT has expired or was closed gets a new one, and the cursor's
seq filter alone keeps the same set of pages (scores may then shift slightly).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from search.dsl_client import Dsl, EngineClient, PitMissing

PIT_SHARE_SECONDS = 1.0
MAX_OPEN_PITS = 32


class PitPool:
    """The points in time one backend opened on `alias`, oldest first, and the one shared right now."""

    def __init__(
        self,
        client: EngineClient,
        alias: str,
        *,
        keep_alive: str = "5m",
        max_open: int = MAX_OPEN_PITS,
        share_seconds: float = PIT_SHARE_SECONDS,
    ) -> None:
        self.client = client
        self.alias = alias
        self.keep_alive = keep_alive
        self.max_open = max_open
        self.share_seconds = share_seconds
        self._open: OrderedDict[str, float] = OrderedDict()  # opened here, oldest first
        self._shared: tuple[str, float] | None = None  # the newest, reused for `share_seconds`
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many points in time this pool holds open."""
        with self._lock:
            return len(self._open)

    def fresh(self) -> str | None:
        """The point in time opened in the last `share_seconds` (and since the last `stop_sharing`), if
        any: searches share it instead of each opening one (the engines cap open PITs: OpenSearch at 300)."""
        with self._lock:
            shared = self._shared
        if shared is not None and time.monotonic() - shared[1] < self.share_seconds:
            return shared[0]
        return None

    def stop_sharing(self) -> None:
        """The next search must see the index as it is now (after a commit or another process's)."""
        self._shared = None

    def open(self) -> str:
        """Open a point in time; at most `max_open` stay open (the oldest is closed, and cursors still
        naming it fall back to a new one with the seq filter)."""
        pit = self.client.open_pit(self.alias, self.keep_alive)
        now = time.monotonic()
        evicted: list[str] = []
        with self._lock:
            self._open[pit] = now
            self._shared = (pit, now)
            while len(self._open) > self.max_open:
                evicted.append(self._open.popitem(last=False)[0])
        for old in evicted:
            self.client.close_pit(old)
        return pit

    def search(self, body: Dsl, pit: str | None) -> Dsl:
        """Search in `pit`, or on the live alias when None."""
        if pit is None:
            return self.client.search(body, index=self.alias)
        return self.client.search({**body, "pit": {"id": pit, "keep_alive": self.keep_alive}})

    def search_pinned(self, body: Dsl, pit: str | None) -> tuple[Dsl, str | None]:
        """Search in the cursor's point in time; a new one when it has expired (the seq filter
        in the query keeps the same pages). Returns the answer and the PIT id to carry on."""
        try:
            resp = self.search(body, pit)
        except PitMissing:
            pit = self.open()
            resp = self.search(body, pit)
        return resp, (resp.get("pit_id") or pit) if pit is not None else None

    def close(self) -> None:
        with self._lock:
            pits, self._shared = list(self._open), None
            self._open.clear()
        for pit in pits:
            self.client.close_pit(pit)
