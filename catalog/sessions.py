"""Browser sessions kept on the server: signing out ends one for good, wherever its cookie was copied.

The cookie carries a random session id (signed, with the token id, expiry and CSRF token); the catalog
keeps only sha256(id), the token it was opened with and when it ends. A session is live while its row
exists and has not expired; sign-out deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, insert, select

from catalog import schema as t
from catalog.database import Database, utcnow


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class SessionStore:
    """Sessions in the catalog's database (table api_sessions, migration 0004)."""

    def __init__(self, db: Database) -> None:
        self._writer = db.writer
        self._reader = db.reader

    def open(self, token_id: str, expires: float, now: float) -> str:
        """A new session for `token_id` until `expires` (epoch seconds); returns its id (for the cookie)."""
        session_id = secrets.token_urlsafe(32)
        with self._writer.begin() as conn:
            # Sessions nobody signed out of would otherwise pile up: each sign-in sweeps the expired ones.
            conn.execute(delete(t.api_sessions).where(t.api_sessions.c.expires <= now))
            conn.execute(
                insert(t.api_sessions).values(
                    id_sha256=_digest(session_id), token_id=token_id, created_at=utcnow(), expires=expires
                )
            )
        return session_id

    def is_live(self, session_id: str, token_id: str, now: float) -> bool:
        with self._reader.connect() as conn:
            row = conn.execute(
                select(t.api_sessions.c.token_id, t.api_sessions.c.expires).where(
                    t.api_sessions.c.id_sha256 == _digest(session_id)
                )
            ).first()
        return row is not None and row.token_id == token_id and float(row.expires) > now

    def end(self, session_id: str) -> bool:
        """Sign-out: the session stops working at once, in every API process. False if it was not live."""
        with self._writer.begin() as conn:
            done = conn.execute(delete(t.api_sessions).where(t.api_sessions.c.id_sha256 == _digest(session_id)))
        return bool(done.rowcount)
