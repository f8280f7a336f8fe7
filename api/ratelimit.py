"""Per-token rate limits: token buckets, kept in memory or in a file every API process on a machine shares.

`foia serve` with several API processes (FOIA_API_PROCESSES) spreads one client's connections over them;
buckets in each process's memory would then let a token send N times its limit. The shared store keeps
the buckets in a small SQLite file of its own (never the catalog: a search must not wait behind an
ingest's write transaction), written without fsync because a bucket lost in a crash only forgives a few
requests. Several machines behind a proxy limit per machine; the proxy limits the whole.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import structlog

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated: float  # clock seconds


def take(
    bucket: Bucket | None, now: float, per_minute: float, capacity: float, cost: float = 1.0
) -> tuple[Bucket, float]:
    """`cost` units against a bucket: (the bucket after it, 0 when allowed else seconds to wait). Pure.

    All or nothing: a request the bucket cannot cover takes nothing (a refused batch spends no units)."""
    if bucket is None:
        bucket = Bucket(capacity, now)
    # A clock reading older than the bucket's (another process's, a moment earlier) refills nothing.
    tokens = min(capacity, bucket.tokens + max(0.0, now - bucket.updated) * (per_minute / 60.0))
    updated = max(bucket.updated, now)
    if tokens >= cost:
        return Bucket(tokens - cost, updated), 0.0
    return Bucket(tokens, updated), (cost - tokens) * 60.0 / per_minute


class BucketStore(Protocol):
    def take(self, key: str, now: float, per_minute: float, capacity: float, cost: float = 1.0) -> float:
        """`take` on the stored bucket, stored back atomically; returns its wait."""
        ...

    def close(self) -> None: ...


@dataclass
class MemoryBuckets:
    """One process's buckets."""

    _buckets: dict[str, Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: float, per_minute: float, capacity: float, cost: float = 1.0) -> float:
        with self._lock:
            bucket, wait = take(self._buckets.get(key), now, per_minute, capacity, cost)
            self._buckets[key] = bucket
            return wait

    def close(self) -> None:
        pass


# `take` as one statement. Why not read, compute in Python, write: a thread holding SQLite's write lock
# between statements needs the GIL back to go on, and under load (40 threads a process) that wait held
# every other process's searches up to the busy timeout. One statement holds the lock only inside SQLite.
_TAKE_SQL = """
INSERT INTO buckets (key, tokens, updated, allowed)
VALUES (:key, :capacity - :cost * (:capacity >= :cost), :now, :capacity >= :cost)
ON CONFLICT (key) DO UPDATE SET
    allowed = min(:capacity, tokens + max(0.0, :now - updated) * :per_second) >= :cost,
    tokens = min(:capacity, tokens + max(0.0, :now - updated) * :per_second)
        - :cost * (min(:capacity, tokens + max(0.0, :now - updated) * :per_second) >= :cost),
    updated = max(updated, :now)
RETURNING tokens, allowed
"""


class SharedBuckets:
    """Buckets in an SQLite file: every process that opens the same path counts against the same buckets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._conn().execute(
            "CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL, updated REAL, allowed INTEGER)"
        )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def take(self, key: str, now: float, per_minute: float, capacity: float, cost: float = 1.0) -> float:
        params = {"key": key, "now": now, "capacity": capacity, "per_second": per_minute / 60.0, "cost": cost}
        try:
            tokens, allowed = self._conn().execute(_TAKE_SQL, params).fetchone()
        except sqlite3.OperationalError as exc:
            # The limiter is a guard, not a gate worth a failed search: let this one through and say so.
            log.warning("rate_limit_unavailable", error=str(exc))
            return 0.0
        return 0.0 if allowed else (cost - float(tokens)) * 60.0 / per_minute

    def close(self) -> None:
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()


@dataclass
class RateLimiter:
    """Token buckets per (principal, kind): `per_minute` requests, bursting up to `burst`.

    0 per minute disables the limit. The clock must be one every process shares (CLOCK_MONOTONIC is).
    """

    per_minute: dict[str, float]
    burst: dict[str, float]
    clock: Callable[[], float] = time.monotonic
    store: BucketStore = field(default_factory=MemoryBuckets)

    def capacity(self, kind: str) -> float | None:
        """The most units one request of `kind` may cost (the burst); None when `kind` is not limited."""
        rate = self.per_minute.get(kind, 0.0)
        if rate <= 0:
            return None
        return max(1.0, self.burst.get(kind, rate / 6))

    def check(self, who: str, kind: str, cost: float = 1.0) -> float:
        """0 when allowed (and `cost` units counted), else the seconds to wait before retrying (nothing
        counted). A cost above `capacity(kind)` is never allowed: callers refuse such a request first."""
        capacity = self.capacity(kind)
        if capacity is None:
            return 0.0
        return self.store.take(f"{kind}\x00{who}", self.clock(), self.per_minute[kind], capacity, cost)
