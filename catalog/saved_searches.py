"""Saved searches, the documents each first matched when a production brought them, and their alerts.

Every read takes the owner and the collections the caller may read (None: all): a saved search or an
alert of another owner, or of a collection outside the caller's, is read like one that does not exist.
What a production brings a saved search is recorded in one transaction (`record_matches`): the matches
not seen before, the alert and its queued deliveries, so a listener told twice records nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from catalog.database import Database, new_id, ts, utcnow
from catalog.errors import NotFound
from catalog.links import insert_new
from catalog.schema_alerts import alert_deliveries, alerts, saved_search_hits, saved_searches

Scope = Sequence[str] | None
ALERT_DOCUMENT_IDS = 100  # document ids an alert keeps (its count is exact)


@dataclass(frozen=True)
class SavedSearch:
    id: str
    collection_id: str
    owner: str
    name: str
    query: str
    filters: dict[str, list[str]]
    date_from: str | None
    date_to: str | None
    sort: str
    alert: bool
    webhook_url: str | None
    email: str | None
    created_at: dt.datetime
    viewed_at: dt.datetime


@dataclass(frozen=True)
class Alert:
    id: str
    saved_search_id: str
    saved_search_name: str
    collection_id: str
    production_id: str
    documents: int
    document_ids: tuple[str, ...]
    created_at: dt.datetime
    read_at: dt.datetime | None


@dataclass(frozen=True)
class Recorded:
    """What one production brought a saved search."""

    new_documents: tuple[str, ...]
    alert: Alert | None


def new_webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class SavedSearches:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- saved searches -------------------------------------------------------------------------

    def create(
        self,
        *,
        collection_id: str,
        owner: str,
        name: str,
        query: str,
        filters: Mapping[str, Sequence[str]],
        date_from: str | None,
        date_to: str | None,
        sort: str,
        alert: bool,
        webhook_url: str | None,
        email: str | None,
    ) -> tuple[SavedSearch, str | None]:
        """The new saved search and its webhook secret (shown once; None without a webhook)."""
        sid, now = new_id("ss"), utcnow()
        secret = new_webhook_secret() if webhook_url else None
        with self._db.writer.begin() as conn:
            conn.execute(
                insert(saved_searches).values(
                    id=sid,
                    collection_id=collection_id,
                    owner=owner,
                    name=name,
                    query=query,
                    filters=_filters_json(filters, date_from, date_to),
                    sort=sort,
                    alert=int(alert),
                    webhook_url=webhook_url,
                    webhook_secret=secret,
                    email=email,
                    created_at=now,
                    viewed_at=now,
                )
            )
        return self.get(sid, owner, None), secret

    def get(self, saved_search_id: str, owner: str, scope: Scope) -> SavedSearch:
        with self._db.reader.connect() as conn:
            row = conn.execute(_owned(saved_search_id, owner, scope)).first()
        if row is None:
            raise NotFound(f"no saved search {saved_search_id}")
        return _saved(row)

    def webhook_secret(self, saved_search_id: str) -> str | None:
        with self._db.reader.connect() as conn:
            value = conn.execute(
                select(saved_searches.c.webhook_secret).where(saved_searches.c.id == saved_search_id)
            ).scalar()
        return None if value is None else str(value)

    def list_of(self, owner: str, scope: Scope) -> list[tuple[SavedSearch, int]]:
        """The owner's saved searches in the scope, each with how many documents are new since last viewed."""
        hits = saved_search_hits
        new = (
            select(func.count())
            .where(hits.c.saved_search_id == saved_searches.c.id, hits.c.found_at > saved_searches.c.viewed_at)
            .scalar_subquery()
        )
        q = select(saved_searches, new.label("new")).where(saved_searches.c.owner == owner)
        if scope is not None:
            q = q.where(saved_searches.c.collection_id.in_(list(scope)))
        with self._db.reader.connect() as conn:
            rows = conn.execute(q.order_by(saved_searches.c.name, saved_searches.c.id)).all()
        return [(_saved(r), int(r.new)) for r in rows]

    def new_since(self, saved_search_id: str, since: dt.datetime, limit: int = 100) -> tuple[int, list[str]]:
        hits = saved_search_hits
        where = (hits.c.saved_search_id == saved_search_id, hits.c.found_at > since.isoformat(timespec="milliseconds"))
        with self._db.reader.connect() as conn:
            count = int(conn.execute(select(func.count()).where(*where)).scalar() or 0)
            ids = conn.execute(
                select(hits.c.document_id).where(*where).order_by(hits.c.found_at, hits.c.document_id).limit(limit)
            ).all()
        return count, [r[0] for r in ids]

    def mark_viewed(self, saved_search_id: str) -> None:
        with self._db.writer.begin() as conn:
            conn.execute(
                update(saved_searches).where(saved_searches.c.id == saved_search_id).values(viewed_at=utcnow())
            )

    def update(self, saved_search_id: str, changes: Mapping[str, Any]) -> str | None:
        """Change name, alert, webhook_url or email; returns a new webhook secret when the URL changed."""
        values = {k: v for k, v in changes.items() if k in ("name", "alert", "webhook_url", "email")}
        if "alert" in values:
            values["alert"] = int(bool(values["alert"]))
        secret = None
        if values.get("webhook_url"):
            secret = values["webhook_secret"] = new_webhook_secret()
        elif "webhook_url" in values:
            values["webhook_secret"] = None
        if values:
            with self._db.writer.begin() as conn:
                conn.execute(update(saved_searches).where(saved_searches.c.id == saved_search_id).values(**values))
        return secret

    def delete(self, saved_search_id: str) -> None:
        """The saved search with its matches, alerts and delivery log."""
        with self._db.writer.begin() as conn:
            for table in (alert_deliveries, saved_search_hits, alerts):
                conn.execute(delete(table).where(table.c.saved_search_id == saved_search_id))
            conn.execute(delete(saved_searches).where(saved_searches.c.id == saved_search_id))

    def in_collection(self, collection_id: str) -> list[SavedSearch]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(saved_searches)
                .where(saved_searches.c.collection_id == collection_id)
                .order_by(saved_searches.c.id)
            ).all()
        return [_saved(r) for r in rows]

    # -- what a production brought --------------------------------------------------------------

    def record_matches(
        self,
        saved: SavedSearch,
        production_id: str,
        document_ids: Sequence[str],
        deliveries: Callable[[Alert], Sequence[tuple[str, str, str]]],
    ) -> Recorded:
        """Record the documents of a production the saved search matches; those it never matched before
        are new: with alerts on, an alert is made, and `deliveries(alert)` gives its (channel, target,
        payload) rows to queue, all in one transaction."""
        now = utcnow()
        with self._db.writer.begin() as conn:
            new: list[str] = []
            for document_id in sorted(set(document_ids)):
                inserted = conn.execute(
                    insert_new(conn, saved_search_hits)
                    .values(
                        saved_search_id=saved.id, document_id=document_id, production_id=production_id, found_at=now
                    )
                    .returning(saved_search_hits.c.document_id)
                ).first()
                if inserted is not None:
                    new.append(document_id)
            if not new or not saved.alert:
                return Recorded(tuple(new), None)
            alert = Alert(
                id=new_id("alr"),
                saved_search_id=saved.id,
                saved_search_name=saved.name,
                collection_id=saved.collection_id,
                production_id=production_id,
                documents=len(new),
                document_ids=tuple(new[:ALERT_DOCUMENT_IDS]),
                created_at=ts(now),
                read_at=None,
            )
            conn.execute(
                insert(alerts).values(
                    id=alert.id,
                    saved_search_id=saved.id,
                    collection_id=saved.collection_id,
                    owner=saved.owner,
                    production_id=production_id,
                    documents=alert.documents,
                    document_ids=json.dumps(list(alert.document_ids)),
                    created_at=now,
                )
            )
            _queue(conn, alert, deliveries(alert), now)
        return Recorded(tuple(new), alert)

    # -- alerts ---------------------------------------------------------------------------------

    def alerts_of(
        self, owner: str, scope: Scope, *, unread_only: bool = False, limit: int = 50, before: str | None = None
    ) -> list[Alert]:
        """Newest first; `before`: the id of the last alert of the previous page."""
        q = (
            select(alerts, saved_searches.c.name.label("saved_search_name"))
            .join(saved_searches, saved_searches.c.id == alerts.c.saved_search_id)
            .where(*_alerts_of(owner, scope))
        )
        if unread_only:
            q = q.where(alerts.c.read_at.is_(None))
        with self._db.reader.connect() as conn:
            if before is not None:
                # Only the owner's own alert places the page (another's id says nothing of when it was made).
                last = conn.execute(
                    select(alerts.c.created_at).where(alerts.c.id == before, *_alerts_of(owner, scope))
                ).scalar()
                if last is not None:
                    q = q.where((alerts.c.created_at < last) | ((alerts.c.created_at == last) & (alerts.c.id < before)))
            rows = conn.execute(q.order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit)).all()
        return [_alert(r) for r in rows]

    def unread_count(self, owner: str, scope: Scope) -> int:
        with self._db.reader.connect() as conn:
            q = select(func.count()).select_from(alerts).where(*_alerts_of(owner, scope), alerts.c.read_at.is_(None))
            return int(conn.execute(q).scalar() or 0)

    def mark_read(self, owner: str, scope: Scope, alert_ids: Sequence[str] | None) -> int:
        """Mark the owner's alerts read (those of `alert_ids`, or all); returns how many changed."""
        q = update(alerts).where(*_alerts_of(owner, scope), alerts.c.read_at.is_(None))
        if alert_ids is not None:
            q = q.where(alerts.c.id.in_(list(alert_ids)))
        with self._db.writer.begin() as conn:
            return int(conn.execute(q.values(read_at=utcnow())).rowcount or 0)


def _queue(conn: Connection, alert: Alert, rows: Sequence[tuple[str, str, str]], now: str) -> None:
    for channel, target, payload in rows:
        conn.execute(
            insert(alert_deliveries).values(
                id=new_id("dlv"),
                alert_id=alert.id,
                saved_search_id=alert.saved_search_id,
                channel=channel,
                target=target,
                payload=payload,
                state="queued",
                attempts=0,
                next_attempt_at=time.time(),
                created_at=now,
            )
        )


def _owned(saved_search_id: str, owner: str, scope: Scope) -> Any:
    q = select(saved_searches).where(saved_searches.c.id == saved_search_id, saved_searches.c.owner == owner)
    if scope is not None:
        q = q.where(saved_searches.c.collection_id.in_(list(scope)))
    return q


def _alerts_of(owner: str, scope: Scope) -> list[Any]:
    where = [alerts.c.owner == owner]
    if scope is not None:
        where.append(alerts.c.collection_id.in_(list(scope)))
    return where


def _filters_json(filters: Mapping[str, Sequence[str]], date_from: str | None, date_to: str | None) -> str:
    return json.dumps(
        {"facets": {k: list(v) for k, v in sorted(filters.items()) if v}, "date_from": date_from, "date_to": date_to},
        sort_keys=True,
    )


def _saved(r: Any) -> SavedSearch:
    stored = json.loads(r.filters)
    return SavedSearch(
        id=r.id,
        collection_id=r.collection_id,
        owner=r.owner,
        name=r.name,
        query=r.query,
        filters={k: list(v) for k, v in stored.get("facets", {}).items()},
        date_from=stored.get("date_from"),
        date_to=stored.get("date_to"),
        sort=r.sort,
        alert=bool(r.alert),
        webhook_url=r.webhook_url,
        email=r.email,
        created_at=ts(r.created_at),
        viewed_at=ts(r.viewed_at),
    )


def _alert(r: Any) -> Alert:
    return Alert(
        id=r.id,
        saved_search_id=r.saved_search_id,
        saved_search_name=r.saved_search_name,
        collection_id=r.collection_id,
        production_id=r.production_id,
        documents=int(r.documents),
        document_ids=tuple(json.loads(r.document_ids)),
        created_at=ts(r.created_at),
        read_at=ts(r.read_at) if r.read_at else None,
    )
