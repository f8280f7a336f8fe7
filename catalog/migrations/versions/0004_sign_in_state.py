"""Sign-in that stays on (access_state) and server-side browser sessions (api_sessions).

Revision ID: 0004_sign_in_state
Revises: 0003_redaction_analytics
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sign_in_state"
down_revision = "0003_redaction_analytics"
branch_labels = None
depends_on = None

# Once sign-in is on it stays on, whoever asks: the database refuses to remove or change the row.
POSTGRES_GUARD = (
    """CREATE OR REPLACE FUNCTION access_state_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access_state is kept: sign-in stays on';
END;
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS access_state_no_change ON access_state",
    """CREATE TRIGGER access_state_no_change BEFORE UPDATE OR DELETE ON access_state
    FOR EACH ROW EXECUTE FUNCTION access_state_kept()""",
)
SQLITE_GUARDS = (
    "CREATE TRIGGER IF NOT EXISTS access_state_no_update BEFORE UPDATE ON access_state "
    "BEGIN SELECT RAISE(ABORT, 'access_state is kept: sign-in stays on'); END",
    "CREATE TRIGGER IF NOT EXISTS access_state_no_delete BEFORE DELETE ON access_state "
    "BEGIN SELECT RAISE(ABORT, 'access_state is kept: sign-in stays on'); END",
)


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    # A catalog made with metadata.create_all (stamped at 0001, then upgraded) has the tables already.
    if "access_state" not in existing:
        op.create_table(
            "access_state",
            sa.Column("name", sa.String(40), primary_key=True),
            sa.Column("since", sa.String(40), nullable=False),
        )
    if "api_sessions" not in existing:
        op.create_table(
            "api_sessions",
            sa.Column("id_sha256", sa.String(64), primary_key=True),
            sa.Column("token_id", sa.String(40), sa.ForeignKey("api_tokens.id"), nullable=False),
            sa.Column("created_at", sa.String(40), nullable=False),
            sa.Column("expires", sa.Float, nullable=False),
        )
        op.create_index("ix_api_sessions_token", "api_sessions", ["token_id"])
    # A catalog that has ever had a token has had sign-in on: it stays on (a revoked token counts too).
    op.execute(
        "INSERT INTO access_state (name, since) SELECT 'sign_in', MIN(created_at) FROM api_tokens "
        "WHERE NOT EXISTS (SELECT 1 FROM access_state WHERE name = 'sign_in') HAVING COUNT(*) > 0"
    )
    dialect = bind.dialect.name
    for statement in POSTGRES_GUARD if dialect == "postgresql" else SQLITE_GUARDS if dialect == "sqlite" else ():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_state_no_change ON access_state")
        op.execute("DROP FUNCTION IF EXISTS access_state_kept()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS access_state_no_update")
        op.execute("DROP TRIGGER IF EXISTS access_state_no_delete")
    op.drop_index("ix_api_sessions_token", table_name="api_sessions")
    op.drop_table("api_sessions")
    op.drop_table("access_state")
