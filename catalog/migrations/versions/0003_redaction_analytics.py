"""Redaction analytics: boxes per page, page marks (kind, share redacted, failed redaction, MinHash
signature) and LSH bands for near-duplicate pages across productions.

Revision ID: 0003_redaction_analytics
Revises: 0002_api_tokens
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_redaction_analytics"
down_revision = "0002_api_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A catalog made with metadata.create_all before migrations existed already holds these tables
    # (migrate.py stamps it at 0001 and upgrades): leave them as they are.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "redaction_boxes" in existing:
        return
    op.create_table(
        "redaction_boxes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("page_number", sa.Integer, nullable=False),
        sa.Column("x0", sa.Float, nullable=False),
        sa.Column("y0", sa.Float, nullable=False),
        sa.Column("x1", sa.Float, nullable=False),
        sa.Column("y1", sa.Float, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("codes", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("leaked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_redaction_boxes_document", "redaction_boxes", ["document_id", "page_number"])
    op.create_table(
        "page_marks",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("page_number", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("redacted_share", sa.Float, nullable=False),
        sa.Column("failed_redaction", sa.Boolean, nullable=False),
        sa.Column("leaked_text", sa.Text),
        sa.Column("minhash", sa.Text),
    )
    op.create_index("ix_page_marks_kind", "page_marks", ["kind"])
    op.create_table(
        "page_bands",
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("bucket", sa.BigInteger, primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("page_number", sa.Integer, primary_key=True),
    )
    op.create_index("ix_page_bands_document", "page_bands", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_page_bands_document", table_name="page_bands")
    op.drop_table("page_bands")
    op.drop_index("ix_page_marks_kind", table_name="page_marks")
    op.drop_table("page_marks")
    op.drop_index("ix_redaction_boxes_document", table_name="redaction_boxes")
    op.drop_table("redaction_boxes")
