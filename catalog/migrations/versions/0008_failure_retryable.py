"""Documents say whether their failure is worth a retry: a file that is not a PDF, encrypted or corrupt
fails the same way every time, while a crashed OCR process or a full disk may not.

Revision ID: 0008_failure_retryable
Revises: 0007_entity_corrections
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_failure_retryable"
down_revision = "0007_entity_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("documents")}
    if "failure_retryable" in columns:
        return  # made by metadata.create_all
    # Failures recorded before this revision stay retryable, as they were.
    op.add_column("documents", sa.Column("failure_retryable", sa.Integer))


def downgrade() -> None:
    op.drop_column("documents", "failure_retryable")
