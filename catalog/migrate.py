"""Schema migrations, run programmatically: `alembic upgrade head` on the catalog's own engine.

Used by Database.create_schema (catalog/database.py) for SQLite and PostgreSQL alike. Safe to run from several processes
at once: on PostgreSQL the upgrade holds a transaction-scoped advisory lock (DDL is transactional
there, so a second process waits, then finds the schema at head); on SQLite the write transaction
starts with BEGIN IMMEDIATE and serializes the same way. A catalog created before migrations existed
(tables present, no `alembic_version`) is stamped at the initial revision first, then upgraded.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
ADVISORY_LOCK_KEY = 0x70_1A_CA_7A  # any constant shared by every process migrating this catalog


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the initial migration always exists
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the catalog's schema to `revision` (default: the newest), in one transaction."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        tables = set(inspect(conn).get_table_names())
        config = alembic_config(conn)
        if "documents" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE)
        command.upgrade(config, revision)
