"""The queue of alert deliveries (webhook, email) and their log, read by the owner of the saved search.

Queued by catalog/saved_searches.py with their alert; the worker's upkeep claims the due ones under a
lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so two workers never send one delivery at once), then marks
each sent, or schedules its next attempt after a doubling delay, or fails it after the last attempt with
its reason kept.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from catalog.database import Database, ts, utcnow
from catalog.production_notices import retry_delay
from catalog.schema_alerts import alert_deliveries as deliveries

QUEUED, SENT, FAILED = "queued", "sent", "failed"


@dataclass(frozen=True)
class Delivery:
    id: str
    alert_id: str
    saved_search_id: str
    channel: str
    target: str
    payload: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None
    last_status: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class AlertDeliveries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def claim_due(self, owner: str, lease_seconds: float, limit: int = 20) -> list[Delivery]:
        """Take up to `limit` queued deliveries whose time has come and that nobody holds."""
        now = time.time()
        with self._db.writer.begin() as conn:
            q = (
                select(deliveries)
                .where(
                    deliveries.c.state == QUEUED,
                    deliveries.c.next_attempt_at <= now,
                    (deliveries.c.lease_expires.is_(None)) | (deliveries.c.lease_expires < now),
                )
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id)
                .limit(limit)
            )
            if self._db.locks_rows:
                q = q.with_for_update(skip_locked=True)
            rows = conn.execute(q).all()
            if not rows:
                return []
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id.in_([r.id for r in rows]))
                .values(lease_owner=owner, lease_expires=now + lease_seconds, attempts=deliveries.c.attempts + 1)
            )
        return [_delivery(r, attempts=r.attempts + 1) for r in rows]

    def sent(self, delivery_id: str, owner: str, status: int | None) -> None:
        with self._db.writer.begin() as conn:
            conn.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery_id, deliveries.c.lease_owner == owner)
                .values(
                    state=SENT,
                    lease_owner=None,
                    lease_expires=None,
                    last_status=status,
                    last_error=None,
                    finished_at=utcnow(),
                )
            )

    def attempt_failed(
        self,
        delivery_id: str,
        owner: str,
        error: str,
        status: int | None,
        max_attempts: int,
        retry_base: float,
    ) -> str:
        """Record a failed attempt: the next one after a doubling delay, or failed after the last. Returns
        the delivery's state."""
        with self._db.writer.begin() as conn:
            held = (deliveries.c.id == delivery_id, deliveries.c.lease_owner == owner)
            attempts = conn.execute(select(deliveries.c.attempts).where(*held)).scalar()
            if attempts is None:
                return QUEUED  # no longer ours: our lease ran out and another worker took it
            values: dict[str, Any] = {"last_error": error[:2000], "last_status": status, "lease_owner": None}
            if attempts >= max_attempts:
                values |= {"state": FAILED, "lease_expires": None, "finished_at": utcnow()}
            else:
                values |= {"lease_expires": None, "next_attempt_at": time.time() + retry_delay(attempts, retry_base)}
            conn.execute(update(deliveries).where(*held).values(**values))
        return str(values.get("state", QUEUED))

    def of_saved_search(self, saved_search_id: str, limit: int = 100) -> list[Delivery]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(deliveries)
                .where(deliveries.c.saved_search_id == saved_search_id)
                .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
                .limit(limit)
            ).all()
        return [_delivery(r) for r in rows]


def _delivery(r: Any, **changed: Any) -> Delivery:
    fields = {
        "id": r.id,
        "alert_id": r.alert_id,
        "saved_search_id": r.saved_search_id,
        "channel": r.channel,
        "target": r.target,
        "payload": r.payload,
        "state": r.state,
        "attempts": r.attempts,
        "next_attempt_at": r.next_attempt_at,
        "last_error": r.last_error,
        "last_status": r.last_status,
        "created_at": ts(r.created_at),
        "finished_at": ts(r.finished_at) if r.finished_at else None,
    }
    return Delivery(**{**fields, **changed})
