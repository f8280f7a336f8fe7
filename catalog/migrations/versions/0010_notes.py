"""Notes: a reviewer's note on a page or a region of it, per collection, private or shared in the matter.

Revision ID: 0010_notes
Revises: 0009_production_notices
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_notes"
down_revision = "0009_production_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "notes" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "notes",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("page_number", sa.Integer, nullable=False),
        sa.Column("author", sa.String(300), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("shared", sa.Integer, nullable=False, server_default="0"),
        sa.Column("x0", sa.Float),
        sa.Column("y0", sa.Float),
        sa.Column("x1", sa.Float),
        sa.Column("y1", sa.Float),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_notes_document_page", "notes", ["document_id", "page_number"])
    op.create_index("ix_notes_collection", "notes", ["collection_id"])


def downgrade() -> None:
    op.drop_index("ix_notes_collection", table_name="notes")
    op.drop_index("ix_notes_document_page", table_name="notes")
    op.drop_table("notes")
