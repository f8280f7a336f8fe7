"""Entity corrections: an admin's rename, retype, merge or hiding of a detected entity, per collection.

Revision ID: 0007_entity_corrections
Revises: 0006_link_state
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_entity_corrections"
down_revision = "0006_link_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "entity_corrections" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "entity_corrections",
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), primary_key=True),
        sa.Column("entity_id", sa.String(300), primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("type", sa.String(20)),
        sa.Column("merged_into", sa.String(300)),
        sa.Column("hidden", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_entity_corrections_entity", "entity_corrections", ["entity_id"])


def downgrade() -> None:
    op.drop_index("ix_entity_corrections_entity", table_name="entity_corrections")
    op.drop_table("entity_corrections")
