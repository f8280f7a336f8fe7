"""Tables of production notices, saved searches and alerts (the same metadata as catalog/schema.py).

Kept beside schema.py, as catalog/analytics.py keeps its tables: they join its metadata when this module is
imported (catalog/sql.py does), so migrations and schema checks see them.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from catalog.schema import metadata

# A production's listeners (ingest/production_events.py), fired once per listener each time the production's
# work is over: `files` is how many of its files (not counting refused ones) there were then, so a batch of
# files added later makes a new round. A row is claimed under a lease (a worker that dies leaves it to the
# next one), then `done`, or `failed` after its last attempt.
production_notices = Table(
    "production_notices",
    metadata,
    Column("production_id", String(40), ForeignKey("productions.id"), primary_key=True),
    Column("files", Integer, primary_key=True),
    Column("listener", String(60), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("owner", String(120)),
    Column("lease_expires", Float),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("created_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Index("ix_production_notices_state", "state"),
)
