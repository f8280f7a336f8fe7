"""Production notices: which listeners of the production hook were told that a production's work is over
(ingest/production_events.py), claimed under a lease so each is told once.

Revision ID: 0009_production_notices
Revises: 0008_failure_retryable
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_production_notices"
down_revision = "0008_failure_retryable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "production_notices" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "production_notices",
        sa.Column("production_id", sa.String(40), sa.ForeignKey("productions.id"), primary_key=True),
        sa.Column("files", sa.Integer, primary_key=True),
        sa.Column("listener", sa.String(60), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("owner", sa.String(120)),
        sa.Column("lease_expires", sa.Float),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
    )
    op.create_index("ix_production_notices_state", "production_notices", ["state"])


def downgrade() -> None:
    op.drop_index("ix_production_notices_state", table_name="production_notices")
    op.drop_table("production_notices")
