"""The initial catalog: collections, productions, documents, files, pages, entities, mentions, jobs, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _bigint_id() -> sa.Column[int]:
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "collections",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "productions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("collection_id", sa.String(40), sa.ForeignKey("collections.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("collection_id", "name", name="uq_productions_collection_name"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("page_count", sa.Integer),
        sa.Column("pdf_metadata", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("document_date", sa.String(10)),
        sa.Column("date_source", sa.String(60)),
        sa.Column("bates_begin", sa.String(120)),
        sa.Column("bates_end", sa.String(120)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_documents_status", "documents", ["status"])
    op.create_table(
        "production_files",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("production_id", sa.String(40), sa.ForeignKey("productions.id"), nullable=False),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id")),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("link", sa.String(20), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("added_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_production_files_production", "production_files", ["production_id"])
    op.create_index("ix_production_files_document", "production_files", ["document_id"])
    op.create_table(
        "pages",
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("ocr_confidence", sa.Float),
        sa.Column("bates", sa.String(120)),
        sa.Column("exemptions", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("vendor_id", sa.String(300)),
        sa.Column("source", sa.String(20), nullable=False),
    )
    op.create_index("ix_entities_type", "entities", ["type"])
    op.create_table(
        "mentions",
        _bigint_id(),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("page_number", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.String(300), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_mentions_entity", "mentions", ["entity_id"])
    op.create_index("ix_mentions_document", "mentions", ["document_id", "page_number"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.String(40), sa.ForeignKey("documents.id"), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("lease_owner", sa.String(120)),
        sa.Column("lease_expires", sa.Float),
        sa.Column("error", sa.Text),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_jobs_status", "jobs", ["status"])
    op.create_table(
        "audit_log",
        _bigint_id(),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", sa.Text),
    )


def downgrade() -> None:
    for table in (
        "audit_log",
        "jobs",
        "mentions",
        "entities",
        "pages",
        "production_files",
        "documents",
        "productions",
        "collections",
    ):
        op.drop_table(table)
