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

# A reviewer's saved search: a query with the search filters (JSON: facet -> values, and the date bounds)
# and sort, in one collection, owned by the principal who saved it. `alert`: tell the owner in the app when
# a newly indexed production adds documents it matches; `webhook_url` (signed with `webhook_secret`) and
# `email` are where else the alert goes.
saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("collection_id", String(40), ForeignKey("collections.id"), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("filters", Text, nullable=False),
    Column("sort", String(20), nullable=False),
    Column("alert", Integer, nullable=False),
    Column("webhook_url", Text),
    Column("webhook_secret", String(80)),
    Column("email", String(320)),
    Column("created_at", String(40), nullable=False),
    Column("viewed_at", String(40), nullable=False),
    Index("ix_saved_searches_owner", "owner", "collection_id"),
    Index("ix_saved_searches_collection", "collection_id"),
)

# The documents a saved search first matched when a production brought them (what "new since last
# viewed" counts); one row per document, however many productions bring it again.
saved_search_hits = Table(
    "saved_search_hits",
    metadata,
    Column("saved_search_id", String(40), ForeignKey("saved_searches.id"), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("production_id", String(40), ForeignKey("productions.id"), nullable=False),
    Column("found_at", String(40), nullable=False),
    Index("ix_saved_search_hits_found", "saved_search_id", "found_at"),
)

# An alert: a production brought `documents` new matches of a saved search (in-app; read once seen).
alerts = Table(
    "alerts",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("saved_search_id", String(40), ForeignKey("saved_searches.id"), nullable=False),
    Column("collection_id", String(40), ForeignKey("collections.id"), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("production_id", String(40), ForeignKey("productions.id"), nullable=False),
    Column("documents", Integer, nullable=False),
    Column("document_ids", Text, nullable=False),  # JSON list, the first ones
    Column("created_at", String(40), nullable=False),
    Column("read_at", String(40)),
    Index("ix_alerts_owner", "owner", "collection_id", "read_at"),
    Index("ix_alerts_saved_search", "saved_search_id"),
)

# An alert's delivery to a webhook or an email address, queued here by the listener and sent by the
# worker's upkeep (never the API): claimed under a lease, retried with a doubling delay, logged for the owner.
alert_deliveries = Table(
    "alert_deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("alert_id", String(40), ForeignKey("alerts.id"), nullable=False),
    Column("saved_search_id", String(40), ForeignKey("saved_searches.id"), nullable=False),
    Column("channel", String(10), nullable=False),  # webhook | email
    Column("target", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("state", String(20), nullable=False),  # queued | sent | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Float, nullable=False),
    Column("lease_owner", String(120)),
    Column("lease_expires", Float),
    Column("last_error", Text),
    Column("last_status", Integer),
    Column("created_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Index("ix_alert_deliveries_due", "state", "next_attempt_at"),
    Index("ix_alert_deliveries_saved_search", "saved_search_id"),
)
