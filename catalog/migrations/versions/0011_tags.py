"""Review tags: a matter's own tag names, and tags applied to documents and to pages, per collection.

Revision ID: 0011_tags
Revises: 0010_notes
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_tags"
down_revision = "0010_notes"
branch_labels = None
depends_on = None


def _who() -> list[sa.Column[str]]:
    return [
        sa.Column("tagged_at", sa.String(40), nullable=False),
        sa.Column("tagged_by", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    if "tags" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by metadata.create_all
    op.create_table(
        "tags",
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), primary_key=True),
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "document_tags",
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("tag", sa.String(40), primary_key=True),
        *_who(),
    )
    op.create_index("ix_document_tags_document", "document_tags", ["document_id"])
    op.create_table(
        "page_tags",
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("page_number", sa.Integer, primary_key=True),
        sa.Column("tag", sa.String(40), primary_key=True),
        *_who(),
    )
    op.create_index("ix_page_tags_document", "page_tags", ["document_id", "page_number"])


def downgrade() -> None:
    op.drop_index("ix_page_tags_document", table_name="page_tags")
    op.drop_table("page_tags")
    op.drop_index("ix_document_tags_document", table_name="document_tags")
    op.drop_table("document_tags")
    op.drop_table("tags")
