"""Watchlists: a collection's named lists of terms (each a query of the query language).

Only storage: the terms arrive parsed and checked (api/routes/watchlists.py), and screening them is
ingest/screening.py's job; the runs and their figures are catalog/screening_runs.py's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from catalog import schema as t
from catalog.database import Database, new_id, utcnow
from catalog.errors import Conflict, NotFound


@dataclass(frozen=True)
class Watchlist:
    id: str
    collection_id: str
    name: str
    terms: tuple[str, ...]
    created_by: str
    created_at: str
    updated_at: str


class Watchlists:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, collection_id: str, name: str, terms: Sequence[str], actor: str) -> Watchlist:
        now = utcnow()
        row = {
            "id": new_id("wl"),
            "collection_id": collection_id,
            "name": name,
            "terms": json.dumps(list(terms), ensure_ascii=False),
            "created_by": actor,
            "created_at": now,
            "updated_at": now,
        }
        try:
            with self._db.writer.begin() as conn:
                conn.execute(insert(t.watchlists).values(**row))
        except IntegrityError:
            raise Conflict(f"this collection already has a watchlist called {name!r}") from None
        return _watchlist(row)

    def get(self, watchlist_id: str) -> Watchlist:
        with self._db.reader.connect() as conn:
            row = conn.execute(select(t.watchlists).where(t.watchlists.c.id == watchlist_id)).mappings().first()
        if row is None:
            raise NotFound(f"no watchlist {watchlist_id}")
        return _watchlist(row)

    def visible(
        self, collection_ids: Sequence[str] | None, after: tuple[str, str] | None = None, limit: int = 100
    ) -> list[Watchlist]:
        """Watchlists of these collections (None: all), by name then id, after the (name, id) key."""
        w = t.watchlists
        q = select(w).order_by(w.c.name, w.c.id).limit(limit)
        if collection_ids is not None:
            q = q.where(w.c.collection_id.in_(sorted(collection_ids)))
        if after is not None:
            q = q.where((w.c.name > after[0]) | ((w.c.name == after[0]) & (w.c.id > after[1])))
        with self._db.reader.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [_watchlist(r) for r in rows]

    def of_collection(self, collection_id: str) -> list[Watchlist]:
        with self._db.reader.connect() as conn:
            rows = (
                conn.execute(
                    select(t.watchlists)
                    .where(t.watchlists.c.collection_id == collection_id)
                    .order_by(t.watchlists.c.name, t.watchlists.c.id)
                )
                .mappings()
                .all()
            )
        return [_watchlist(r) for r in rows]

    def update(self, watchlist_id: str, name: str, terms: Sequence[str]) -> Watchlist:
        values = {"name": name, "terms": json.dumps(list(terms), ensure_ascii=False), "updated_at": utcnow()}
        try:
            with self._db.writer.begin() as conn:
                changed = conn.execute(
                    update(t.watchlists).where(t.watchlists.c.id == watchlist_id).values(**values)
                ).rowcount
        except IntegrityError:
            raise Conflict(f"this collection already has a watchlist called {name!r}") from None
        if not changed:
            raise NotFound(f"no watchlist {watchlist_id}")
        return self.get(watchlist_id)

    def delete(self, watchlist_id: str) -> None:
        """The watchlist with its runs and their figures (one transaction)."""
        runs = select(t.screening_runs.c.id).where(t.screening_runs.c.watchlist_id == watchlist_id)
        with self._db.writer.begin() as conn:
            conn.execute(delete(t.screening_results).where(t.screening_results.c.run_id.in_(runs)))
            conn.execute(delete(t.screening_runs).where(t.screening_runs.c.watchlist_id == watchlist_id))
            gone = conn.execute(delete(t.watchlists).where(t.watchlists.c.id == watchlist_id)).rowcount
        if not gone:
            raise NotFound(f"no watchlist {watchlist_id}")


def _watchlist(r: Any) -> Watchlist:
    return Watchlist(
        id=r["id"],
        collection_id=r["collection_id"],
        name=r["name"],
        terms=tuple(json.loads(r["terms"])),
        created_by=r["created_by"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
    )
