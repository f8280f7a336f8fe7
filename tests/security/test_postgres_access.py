"""Tokens and the append-only audit log on PostgreSQL (the scale-out catalog)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from catalog.sql import SqlCatalog
from tests.catalog.postgres import pg_url  # noqa: F401 - the fixture: a fresh schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def catalog(pg_url: str) -> Iterator[SqlCatalog]:  # noqa: F811
    c = SqlCatalog(pg_url)
    c.create_schema()
    yield c
    c.close()


def test_tokens_and_an_audit_log_nobody_can_rewrite(catalog: SqlCatalog) -> None:
    store = catalog.tokens
    created = store.create("alice", "reader", ["matter-a"])
    assert store.lookup(created.secret) == created.record and store.any_active()
    with catalog.db.writer.connect() as conn:
        stored = conn.execute(text("SELECT token_sha256 FROM api_tokens")).scalar_one()
    assert created.secret not in stored and len(stored) == 64
    catalog.audit.record("token:x:alice", "search.export", None, {"q": "palantir"})
    for statement in ("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), catalog.db.writer.begin() as conn:
            conn.execute(text(statement))
    with catalog.db.writer.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalar_one() == "token:x:alice"
    store.revoke(created.record.id)
    assert store.lookup(created.secret) is None and not store.any_active()
