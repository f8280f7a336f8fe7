"""Saved searches, the documents each first matched, alerts and their queued deliveries (webhook, email).

Revision ID: 0012_saved_searches
Revises: 0011_tags
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_saved_searches"
down_revision = "0011_tags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "saved_searches" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("filters", sa.Text, nullable=False),
        sa.Column("sort", sa.String(20), nullable=False),
        sa.Column("alert", sa.Integer, nullable=False),
        sa.Column("webhook_url", sa.Text),
        sa.Column("webhook_secret", sa.String(80)),
        sa.Column("email", sa.String(320)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("viewed_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_saved_searches_owner", "saved_searches", ["owner", "collection_id"])
    op.create_index("ix_saved_searches_collection", "saved_searches", ["collection_id"])
    op.create_table(
        "saved_search_hits",
        sa.Column("saved_search_id", sa.String(40), sa.ForeignKey("saved_searches.id"), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("production_id", sa.String(40), sa.ForeignKey("productions.id"), nullable=False),
        sa.Column("found_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_saved_search_hits_found", "saved_search_hits", ["saved_search_id", "found_at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("saved_search_id", sa.String(40), sa.ForeignKey("saved_searches.id"), nullable=False),
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("production_id", sa.String(40), sa.ForeignKey("productions.id"), nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("document_ids", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("read_at", sa.String(40)),
    )
    op.create_index("ix_alerts_owner", "alerts", ["owner", "collection_id", "read_at"])
    op.create_index("ix_alerts_saved_search", "alerts", ["saved_search_id"])
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("alert_id", sa.String(40), sa.ForeignKey("alerts.id"), nullable=False),
        sa.Column("saved_search_id", sa.String(40), sa.ForeignKey("saved_searches.id"), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("lease_owner", sa.String(120)),
        sa.Column("lease_expires", sa.Float),
        sa.Column("last_error", sa.Text),
        sa.Column("last_status", sa.Integer),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
    )
    op.create_index("ix_alert_deliveries_due", "alert_deliveries", ["state", "next_attempt_at"])
    op.create_index("ix_alert_deliveries_saved_search", "alert_deliveries", ["saved_search_id"])


def downgrade() -> None:
    for table in ("alert_deliveries", "alerts", "saved_search_hits", "saved_searches"):
        op.drop_table(table)
