"""When a production's work is over, and which of its listeners have been told (ingest/production_events.py).

A production is over when none of its files waits for the index (every link settled) and no job of its
documents is queued, running or waiting to be indexed. Its round is the number of its files then (refused
files not counted): files added later make a new round, fired again once they are indexed too.

Each (production, round, listener) is claimed by one worker under a lease: the claim is an INSERT that
does nothing when the row exists, so two workers never both hold it, on SQLite or PostgreSQL. A worker
that dies holding one leaves it to the next worker once the lease runs out; a listener that raises is
tried again after a growing delay, and left `failed` with its error after its last attempt.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, update

from catalog import schema as t
from catalog.database import Database, utcnow
from catalog.job_states import INDEXING, QUEUED, RUNNING
from catalog.links import REJECTED, SETTLED, insert_new
from catalog.schema_alerts import production_notices as notices

CLAIMED, DONE, FAILED = "claimed", "done", "failed"


@dataclass(frozen=True)
class Round:
    production_id: str
    files: int


@dataclass(frozen=True)
class Notice:
    production_id: str
    files: int
    listener: str
    state: str
    attempts: int
    error: str | None


def retry_delay(attempts: int, base: float) -> float:
    """Pure: seconds before a failed listener is tried again after `attempts` tries (doubling, at most an hour)."""
    return float(min(base * 2 ** max(0, attempts - 1), 3600.0))


class ProductionNotices:
    def __init__(self, db: Database) -> None:
        self._db = db

    def over(self, production_ids: Iterable[str] | None = None) -> list[Round]:
        """The productions (of `production_ids`, or all) whose work is over, with their round."""
        files, jobs = t.production_files, t.jobs
        still_open = case(
            (files.c.link_state != SETTLED, 1),
            (jobs.c.status.in_((QUEUED.value, RUNNING.value, INDEXING.value)), 1),
            else_=0,
        )
        q = (
            select(files.c.production_id, func.count().label("files"), func.sum(still_open).label("open"))
            .select_from(files.outerjoin(jobs, jobs.c.document_id == files.c.document_id))
            .where(files.c.link != REJECTED)
            .group_by(files.c.production_id)
        )
        if production_ids is not None:
            wanted = sorted(set(production_ids))
            if not wanted:
                return []
            q = q.where(files.c.production_id.in_(wanted))
        with self._db.reader.connect() as conn:
            rows = conn.execute(q).all()
        return [Round(r.production_id, int(r.files)) for r in rows if not r.open]

    def productions_of(self, document_ids: Iterable[str]) -> set[str]:
        ids = sorted(set(document_ids))
        if not ids:
            return set()
        files = t.production_files
        with self._db.reader.connect() as conn:
            rows = conn.execute(select(files.c.production_id).where(files.c.document_id.in_(ids)).distinct()).all()
        return {r[0] for r in rows}

    def due(self, rounds: Sequence[Round], listeners: Sequence[str]) -> list[tuple[Round, str]]:
        """The (round, listener) pairs not told yet and not held by a live claim."""
        if not rounds or not listeners:
            return []
        now = time.time()
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(notices).where(notices.c.production_id.in_(sorted({r.production_id for r in rounds})))
            ).all()
        known = {(r.production_id, r.files, r.listener): r for r in rows}
        out: list[tuple[Round, str]] = []
        for round_ in rounds:
            for name in listeners:
                row = known.get((round_.production_id, round_.files, name))
                if row is None or (row.state == CLAIMED and (row.lease_expires or 0.0) < now):
                    out.append((round_, name))
        return out

    def claim(self, round_: Round, listener: str, owner: str, lease_seconds: float) -> bool:
        """Take the round's notice for `listener`: True for exactly one worker at a time."""
        now = time.time()
        key = _key(round_, listener)
        with self._db.writer.begin() as conn:
            inserted = conn.execute(
                insert_new(conn, notices)
                .values(
                    production_id=round_.production_id,
                    files=round_.files,
                    listener=listener,
                    state=CLAIMED,
                    owner=owner,
                    lease_expires=now + lease_seconds,
                    attempts=1,
                    created_at=utcnow(),
                )
                .returning(notices.c.production_id)  # a row back: ours (rowcount is not reliable here)
            )
            if inserted.first() is not None:
                return True
            # A claim whose worker died, or a failed attempt whose delay is over.
            taken = conn.execute(
                update(notices)
                .where(key, notices.c.state == CLAIMED, notices.c.lease_expires < now)
                .values(owner=owner, lease_expires=now + lease_seconds, attempts=notices.c.attempts + 1)
            )
            return bool(taken.rowcount == 1)

    def renew(self, round_: Round, listener: str, owner: str, lease_seconds: float) -> bool:
        with self._db.writer.begin() as conn:
            res = conn.execute(
                update(notices)
                .where(_key(round_, listener), notices.c.owner == owner, notices.c.state == CLAIMED)
                .values(lease_expires=time.time() + lease_seconds)
            )
        return bool(res.rowcount == 1)

    def finish(self, round_: Round, listener: str, owner: str) -> None:
        with self._db.writer.begin() as conn:
            conn.execute(
                update(notices)
                .where(_key(round_, listener), notices.c.owner == owner, notices.c.state == CLAIMED)
                .values(state=DONE, owner=None, lease_expires=None, error=None, finished_at=utcnow())
            )

    def give_back(
        self, round_: Round, listener: str, owner: str, error: str, max_attempts: int, retry_base: float
    ) -> str:
        """The listener raised: tried again after a delay, or failed after its last attempt. Returns the state."""
        with self._db.writer.begin() as conn:
            held = and_(_key(round_, listener), notices.c.owner == owner, notices.c.state == CLAIMED)
            attempts = conn.execute(select(notices.c.attempts).where(held)).scalar()
            if attempts is None:
                return CLAIMED  # no longer ours (our lease ran out and another worker took it)
            values: dict[str, Any]
            if attempts >= max_attempts:
                values = {"state": FAILED, "lease_expires": None, "finished_at": utcnow()}
            else:
                values = {"lease_expires": time.time() + retry_delay(attempts, retry_base)}
            conn.execute(update(notices).where(held).values(owner=None, error=error[:2000], **values))
            return str(values.get("state", CLAIMED))

    def notices_of(self, production_id: str) -> list[Notice]:
        with self._db.reader.connect() as conn:
            rows = conn.execute(
                select(notices)
                .where(notices.c.production_id == production_id)
                .order_by(notices.c.files, notices.c.listener)
            ).all()
        return [Notice(r.production_id, r.files, r.listener, r.state, r.attempts, r.error) for r in rows]


def _key(round_: Round, listener: str) -> ColumnElement[bool]:
    return and_(
        notices.c.production_id == round_.production_id,
        notices.c.files == round_.files,
        notices.c.listener == listener,
    )
