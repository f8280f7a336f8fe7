"""Production files get a link state (queued -> processing -> settled): a file linked to a document that
is already done is indexed again through the job queue, and reads like any new file until it is.

Revision ID: 0006_link_state
Revises: 0005_no_covered_words
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_link_state"
down_revision = "0005_no_covered_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A catalog made with metadata.create_all before migrations existed already has the column.
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("production_files")}
    if "link_state" in columns:
        return
    # Files recorded before this revision count as shown by the index; `foia check` re-indexes any
    # document whose indexed productions differ from the catalog's (links made before this fix).
    op.add_column("production_files", sa.Column("link_state", sa.String(20), nullable=False, server_default="settled"))


def downgrade() -> None:
    op.drop_column("production_files", "link_state")
