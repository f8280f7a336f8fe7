"""Alembic migrations on SQLite: the migrated schema is the models' schema; old catalogs are adopted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from catalog import schema as t
from catalog.migrate import current_revision, head_revision, upgrade
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
    assert current_revision(catalog.db.writer) == head_revision()
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
    assert current_revision(catalog.db.writer) == head_revision()
    assert [c.name for c in catalog.productions.list_collections()] == ["kept"]


def test_words_kept_under_failed_redactions_are_dropped_from_the_catalog(tmp_path: Path) -> None:
    """Revision 0003 kept the words a failed redaction left in the text layer (page_marks.leaked_text);
    0005 drops them, column and bytes."""
    path = tmp_path / "leaky.sqlite"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    upgrade(engine, "0003_redaction_analytics")
    covered = "Gregory Ilves, (202) 555-0119"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, sha256, size, status, pdf_metadata, created_at, updated_at)"
                " VALUES ('doc_1', :sha, 1, 'done', '{}', '2026-01-01', '2026-01-01')"
            ),
            {"sha": "0" * 64},
        )
        conn.execute(
            text(
                "INSERT INTO page_marks (document_id, page_number, kind, redacted_share, failed_redaction, leaked_text)"
                " VALUES ('doc_1', 2, 'content', 0.1, 1, :covered)"
            ),
            {"covered": covered},
        )
    engine.dispose()
    assert covered.encode() in path.read_bytes()

    catalog = SqlCatalog(url)
    catalog.create_schema()
    catalog.close()
    assert current_revision(create_engine(url)) == head_revision()
    assert_schema_matches_models(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert "leaked_text" not in {c["name"] for c in inspect(conn).get_columns("page_marks")}
        assert conn.execute(text("SELECT document_id, page_number, failed_redaction FROM page_marks")).all() == [
            ("doc_1", 2, 1)
        ]
    engine.dispose()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("leaky.sqlite*"))
    assert b"Gregory Ilves" not in on_disk and b"555-0119" not in on_disk
