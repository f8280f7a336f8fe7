"""Watchlists, their screening runs and each run's figures per term.

Revision ID: 0013_watchlists
Revises: 0012_saved_searches
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_watchlists"
down_revision = "0012_saved_searches"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "watchlists" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "watchlists",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("terms", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("collection_id", "name", name="uq_watchlists_collection_name"),
    )
    op.create_table(
        "screening_runs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("watchlist_id", sa.String(40), sa.ForeignKey("watchlists.id"), nullable=False),
        sa.Column("production_id", sa.String(40), sa.ForeignKey("productions.id")),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("terms_total", sa.Integer, nullable=False),
        sa.Column("pages_total", sa.Integer, nullable=False),
        sa.Column("pages_screened", sa.Integer, nullable=False),
        sa.Column("hit_documents", sa.Integer, nullable=False),
        sa.Column("hit_pages", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
    )
    op.create_index("ix_screening_runs_watchlist", "screening_runs", ["watchlist_id", "created_at"])
    op.create_table(
        "screening_results",
        sa.Column("run_id", sa.String(40), sa.ForeignKey("screening_runs.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("term", sa.Text, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("unique_pages", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("screening_results")
    op.drop_index("ix_screening_runs_watchlist", table_name="screening_runs")
    op.drop_table("screening_runs")
    op.drop_table("watchlists")
