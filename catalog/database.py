"""The one database every catalog repository works over: SQLite in WAL mode by default, PostgreSQL at scale.

Writes that must not interleave (claiming a job, storing a document's pages) run in one transaction.
On SQLite every write transaction starts with BEGIN IMMEDIATE so concurrent workers queue on the
database lock instead of failing half way; on PostgreSQL jobs are claimed with FOR UPDATE SKIP LOCKED.
Repositories share this object (its `reader` and `writer` engines), never each other's.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from catalog.migrate import upgrade

READ_POOL_SIZE = 8  # kept open: about the API's concurrent searches (FOIA_SEARCH_CONCURRENCY)
READ_POOL_OVERFLOW = -1  # past that, opened and closed again as needed: a burst never waits for the pool


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def document_id_for(sha256: str) -> str:
    # Derived from content so that the same original always has the same id, in every catalog.
    return f"doc_{sha256[:24]}"


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _drop_pool_after_fork(engine: Engine) -> None:
    """SQLite connections must not cross a fork: the child forgets the parent's (without closing them)."""
    ref = weakref.ref(engine)

    def forget() -> None:
        alive = ref()
        if alive is not None:
            alive.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


def _configure_sqlite(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin() decide when a transaction starts (pysqlite's own handling is lazy).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The catalog's engines: `writer` for transactions that write, `reader` for reads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            # Writes: a fresh connection each (NullPool), so no connection outlives its BEGIN IMMEDIATE.
            # Reads: pooled, because the API reads several times a request and opening a connection (with
            # its pragmas) cost a search page 15% of its time. A pooled connection is only ever used by one
            # thread at a time, and a forked child drops the parent's pool instead of sharing its files.
            self.writer = create_engine(url, poolclass=NullPool)
            self.reader = create_engine(
                url,
                poolclass=QueuePool,
                pool_size=READ_POOL_SIZE,
                max_overflow=READ_POOL_OVERFLOW,
                connect_args={"check_same_thread": False},
            )
            _configure_sqlite(self.writer, immediate=True)
            _configure_sqlite(self.reader, immediate=False)
            _drop_pool_after_fork(self.reader)
        else:
            self.writer = create_engine(url, pool_pre_ping=True)
            self.reader = self.writer

    @property
    def locks_rows(self) -> bool:
        """PostgreSQL takes row locks (FOR UPDATE); SQLite's writers already take turns on the database."""
        return not self.is_sqlite

    def create_schema(self) -> None:
        """Create or upgrade the schema: `alembic upgrade head` (catalog/migrations), on either engine."""
        upgrade(self.writer)

    def close(self) -> None:
        self.writer.dispose()
        self.reader.dispose()
