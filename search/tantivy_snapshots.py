"""Pinned tantivy searchers: the embedded engine's point in time for cursors.

A search that may have a next page keeps its searcher here under a short id carried by the cursor, so
later pages read the same segments. Snapshots expire after `ttl` seconds and at most `max_snapshots`
stay (oldest dropped first); a cursor whose snapshot is gone gets a fresh searcher, and the cursor's
`max_seq` filter alone keeps the same set of pages (only relevance scores may shift).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import tantivy

from search import index_fields as F


@dataclass(frozen=True)
class Snapshot:
    searcher: tantivy.Searcher
    max_seq: int
    created: float


def max_seq(searcher: tantivy.Searcher) -> int:
    """The highest page sequence number the searcher sees (0 when empty)."""
    if searcher.num_docs == 0:
        return 0
    out = searcher.aggregate(tantivy.Query.all_query(), {"m": {"max": {"field": F.SEQ}}})
    value = out["m"]["value"]
    return 0 if value is None else int(value)


class SnapshotPool:
    """Searchers pinned by id, bounded in age and number."""

    def __init__(self, *, ttl: float, max_snapshots: int) -> None:
        self.ttl = ttl
        self.max_snapshots = max_snapshots
        self._snapshots: OrderedDict[str, Snapshot] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, snapshot_id: str | None) -> tuple[str, Snapshot] | None:
        """The live snapshot named `snapshot_id`, if it is still pinned (expired ones are dropped)."""
        now = time.monotonic()
        with self._lock:
            for sid in [s for s, snap in self._snapshots.items() if now - snap.created > self.ttl]:
                del self._snapshots[sid]
            if snapshot_id is None or snapshot_id not in self._snapshots:
                return None
            self._snapshots.move_to_end(snapshot_id)
            return snapshot_id, self._snapshots[snapshot_id]

    def pin(self, searcher: tantivy.Searcher, max_seq: int) -> tuple[str, Snapshot]:
        sid = uuid.uuid4().hex[:16]
        snapshot = Snapshot(searcher, max_seq, time.monotonic())
        with self._lock:
            self._snapshots[sid] = snapshot
            while len(self._snapshots) > self.max_snapshots:
                self._snapshots.popitem(last=False)
        return sid, snapshot

    def clear(self) -> None:
        with self._lock:
            self._snapshots.clear()
