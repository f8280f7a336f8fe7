"""A fresh PostgreSQL schema per test (search_path), dropped afterwards: how every catalog test reaches
the real PostgreSQL server (FOIA_TEST_DATABASE_URL, started by scripts/postgres/start.sh)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import service_url


def schema_url(base: str, schema: str) -> str:
    """The same database, with `schema` first on the search_path (tables and alembic_version go there)."""
    return (
        make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    )


@contextmanager
def fresh_schema() -> Iterator[str]:
    """The URL of a new, empty schema on the test server; dropped on leaving."""
    base = service_url("FOIA_TEST_DATABASE_URL", "PostgreSQL (scripts/postgres/start.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema() as url:
        yield url
