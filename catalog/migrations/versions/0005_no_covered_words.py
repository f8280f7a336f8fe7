"""Words under a failed redaction are stored nowhere: drop page_marks.leaked_text, which kept them.

Box labels written before this revision may also hold such words; they are rewritten to their stamp
by `foia reanalyze` (reading the stamp needs the exemption reader, which a migration may not import),
and the API strips every label to its stamp when it reads one, so none is returned meanwhile.

Revision ID: 0005_no_covered_words
Revises: 0004_sign_in_state
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_no_covered_words"
down_revision = "0004_sign_in_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("page_marks")}
    if "leaked_text" not in columns:
        return
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Freed space is zeroed instead of left in the file's free pages. PostgreSQL keeps the old row
        # versions until VACUUM (docs/ANALYTICS.md says so).
        op.execute(sa.text("PRAGMA secure_delete = ON"))
    op.execute(sa.text("UPDATE page_marks SET leaked_text = NULL"))
    with op.batch_alter_table("page_marks") as batch:
        batch.drop_column("leaked_text")


def downgrade() -> None:
    with op.batch_alter_table("page_marks") as batch:
        batch.add_column(sa.Column("leaked_text", sa.Text))
