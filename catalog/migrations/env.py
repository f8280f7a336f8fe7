"""Alembic environment: always online, on the connection catalog.migrate passes in.

Run `alembic upgrade head` through catalog.migrate.upgrade (SqlCatalog.create_schema does), or from
the command line: `alembic -c catalog/migrations/alembic.ini -x url=postgresql+psycopg://... upgrade head`.
SQLite gets batch mode so later ALTERs work there too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from catalog.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database URL: alembic -x url=... upgrade head")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) mode is not supported: run against a database")
run()
