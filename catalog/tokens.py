"""API tokens: created once (the secret is returned, never stored), looked up by their sha256.

A token is `foia_` + 32 random bytes (URL-safe base64). The catalog keeps only sha256(token), so a copy
of the database does not let anyone in. Collections are kept as ids; None means every collection.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from catalog import schema as t
from catalog.database import Database, new_id, utcnow
from catalog.errors import NotFound
from catalog.models import ALL_COLLECTIONS
from catalog.productions import Productions

ROLES = ("reader", "uploader", "admin")
TOKEN_PREFIX = "foia_"  # noqa: S105 - a prefix that makes leaked tokens recognisable, not a secret
SIGN_IN = "sign_in"  # the access_state row the first token writes


@dataclass(frozen=True)
class TokenRecord:
    id: str
    name: str
    role: str
    collection_ids: frozenset[str] | None
    created_at: str
    revoked_at: str | None


@dataclass(frozen=True)
class CreatedToken:
    record: TokenRecord
    secret: str  # shown once, at creation


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class TokenStore:
    """Tokens in the catalog's database (the table lives in catalog/schema.py, migration 0002)."""

    def __init__(self, db: Database, productions: Productions) -> None:
        self._productions = productions
        # The catalog's engines: tokens share its database, its SQLite pragmas and its transactions.
        self._writer = db.writer
        self._reader = db.reader

    def create(self, name: str, role: str, collections: Sequence[str]) -> CreatedToken:
        """A new token for `collections` (names, created when new); '*' means every collection."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if not collections:
            raise ValueError("a token needs at least one collection (or '*' for every collection)")
        if ALL_COLLECTIONS in collections:
            if role != "admin":
                raise ValueError("only an admin token may see every collection ('*')")
            ids: list[str] | None = None
        else:
            ids = sorted({self._productions.ensure_collection(c).id for c in collections})
        secret = new_secret()
        record = TokenRecord(
            id=new_id("tok"),
            name=name,
            role=role,
            collection_ids=frozenset(ids) if ids is not None else None,
            created_at=utcnow(),
            revoked_at=None,
        )
        with self._writer.begin() as conn:
            conn.execute(
                insert(t.api_tokens).values(
                    id=record.id,
                    name=name,
                    role=role,
                    collection_ids=json.dumps(ids) if ids is not None else None,
                    token_sha256=token_hash(secret),
                    created_at=record.created_at,
                )
            )
            _turn_sign_in_on(conn, record.created_at)
        return CreatedToken(record, secret)

    def sign_in_on(self) -> bool:
        """True once any token has ever been created: from then on nobody is let in without one, even
        when every token has been revoked."""
        with self._reader.connect() as conn:
            row = conn.execute(select(t.access_state.c.name).where(t.access_state.c.name == SIGN_IN)).first()
        return row is not None

    def lookup(self, secret: str) -> TokenRecord | None:
        """The live token with this secret, or None (unknown or revoked)."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        with self._reader.connect() as conn:
            row = conn.execute(select(t.api_tokens).where(t.api_tokens.c.token_sha256 == token_hash(secret))).first()
        if row is None or row.revoked_at is not None:
            return None
        return _record(row)

    def get(self, token_id: str) -> TokenRecord:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.api_tokens).where(t.api_tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"no token {token_id}")
        return _record(row)

    def list(self) -> list[TokenRecord]:
        with self._reader.connect() as conn:
            rows = conn.execute(select(t.api_tokens).order_by(t.api_tokens.c.created_at)).all()
        return [_record(r) for r in rows]

    def any_active(self) -> bool:
        with self._reader.connect() as conn:
            row = conn.execute(select(t.api_tokens.c.id).where(t.api_tokens.c.revoked_at.is_(None)).limit(1)).first()
        return row is not None

    def revoke(self, token_id: str) -> TokenRecord:
        with self._writer.begin() as conn:
            done = conn.execute(
                update(t.api_tokens)
                .where(t.api_tokens.c.id == token_id, t.api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
        if done.rowcount == 0:
            self.get(token_id)  # NotFound when it never existed; revoking twice is harmless
        return self.get(token_id)


def _turn_sign_in_on(conn: Connection, now: str) -> None:
    """In the transaction that creates a token, so that no token exists without sign-in being on."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(t.access_state).values(name=SIGN_IN, since=now).on_conflict_do_nothing())


def _record(row: object) -> TokenRecord:
    raw = getattr(row, "collection_ids")  # noqa: B009 - rows are untyped
    return TokenRecord(
        id=getattr(row, "id"),  # noqa: B009
        name=getattr(row, "name"),  # noqa: B009
        role=getattr(row, "role"),  # noqa: B009
        collection_ids=frozenset(json.loads(raw)) if raw is not None else None,
        created_at=getattr(row, "created_at"),  # noqa: B009
        revoked_at=getattr(row, "revoked_at"),  # noqa: B009
    )
