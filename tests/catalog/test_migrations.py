"""Alembic migrations on SQLite: the migrated schema is the models' schema; old catalogs are adopted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from catalog import schema as t
from catalog.migrate import current_revision, head_revision
from catalog.sql import SqlCatalog


def assert_schema_matches_models(url: str) -> None:
    """No difference between the database (as migrated) and catalog.schema's tables."""
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), t.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_catalog_is_migrated_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    catalog = SqlCatalog(url)
    catalog.create_schema()
    assert current_revision(catalog._writer) == head_revision()
    assert_schema_matches_models(url)


def test_a_catalog_made_before_migrations_is_stamped_then_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    t.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.collections.insert().values(id="col_1", name="kept", created_at="2020-01-01T00:00:00"))
    engine.dispose()
    catalog = SqlCatalog(url)
    catalog.create_schema()
    assert current_revision(catalog._writer) == head_revision()
    assert [c.name for c in catalog.list_collections()] == ["kept"]
