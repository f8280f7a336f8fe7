"""Tables of the catalog, one SQLAlchemy metadata for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

collections = Table(
    "collections",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
)

productions = Table(
    "productions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("collection_id", String(40), ForeignKey("collections.id"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("collection_id", "name", name="uq_productions_collection_name"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("error", Text),
    # 0 when the failure is the file's own (not a PDF, encrypted, corrupt): a retry would fail the same way.
    Column("failure_retryable", Integer),
    Column("page_count", Integer),
    Column("pdf_metadata", Text, nullable=False, default="{}"),
    Column("title", Text),
    Column("document_date", String(10)),
    Column("date_source", String(60)),
    Column("bates_begin", String(120)),
    Column("bates_end", String(120)),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_documents_status", "status"),
)

production_files = Table(
    "production_files",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("production_id", String(40), ForeignKey("productions.id"), nullable=False),
    Column("document_id", String(40), ForeignKey("documents.id")),
    Column("original_name", Text, nullable=False),
    # linked | duplicate (content already in another production of this collection) | rejected (never a
    # document); link_state: queued -> processing -> settled (shown by the index). See catalog/links.py.
    Column("link", String(20), nullable=False),
    Column("link_state", String(20), nullable=False, server_default="settled"),
    Column("error", Text),
    Column("added_at", String(40), nullable=False),
    Index("ix_production_files_production", "production_id"),
    Index("ix_production_files_document", "document_id"),
)

pages = Table(
    "pages",
    metadata,
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("source", String(20), nullable=False),
    Column("ocr_confidence", Float),
    Column("bates", String(120)),
    Column("exemptions", Text, nullable=False, default="[]"),
    Column("facts", Text, nullable=False, default="{}"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(300), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("aliases", Text, nullable=False, default="[]"),
    Column("vendor_id", String(300)),
    Column("source", String(20), nullable=False),
    Index("ix_entities_type", "type"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("page_number", Integer, nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_mentions_entity", "entity_id"),
    Index("ix_mentions_document", "document_id", "page_number"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False, unique=True),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_owner", String(120)),
    Column("lease_expires", Float),
    Column("error", Text),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_jobs_status", "status"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("target", Text),
    Column("detail", Text),
)

# API tokens: only the sha256 of each token is kept; the token itself is shown once, at creation.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    # JSON list of collection ids, or null for every collection (an admin created with --collection '*').
    Column("collection_ids", Text),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)

# Sign-in, once on, stays on: the first token writes the row `sign_in`, and the server never runs open
# again, even after every token is revoked (the database refuses to remove or change the row).
access_state = Table(
    "access_state",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("since", String(40), nullable=False),
)

# Browser sessions, kept on the server so that signing out ends them (a copied cookie stops working).
# Only the sha256 of a session's id is kept, as for tokens.
api_sessions = Table(
    "api_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),
    Column("token_id", String(40), ForeignKey("api_tokens.id"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires", Float, nullable=False),  # seconds since the epoch
    Index("ix_api_sessions_token", "token_id"),
)

# An admin's correction of a detected entity, per collection (a matter's decision never changes what
# another matter sees). Mentions keep their raw detection; the correction is applied where mentions are
# read (catalog/entity_reads.py) and projected into the index (ingest/indexing.py).
entity_corrections = Table(
    "entity_corrections",
    metadata,
    Column("collection_id", String(40), ForeignKey("collections.id"), primary_key=True),
    Column("entity_id", String(300), primary_key=True),
    Column("name", Text),
    Column("type", String(20)),
    Column("merged_into", String(300)),
    Column("hidden", Integer, nullable=False, default=0),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
    Index("ix_entity_corrections_entity", "entity_id"),
)

# A reviewer's note on a page, or on a region of it (a box in PDF points from the page's top-left, the
# units the viewer draws in). It belongs to one collection: readers of another matter never see it, even
# on a shared document. `shared` 0: only its author (the principal's name) sees it.
notes = Table(
    "notes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("collection_id", String(40), ForeignKey("collections.id"), nullable=False),
    Column("document_id", String(40), ForeignKey("documents.id"), nullable=False),
    Column("page_number", Integer, nullable=False),
    Column("author", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("shared", Integer, nullable=False, default=0),
    Column("x0", Float),
    Column("y0", Float),
    Column("x1", Float),
    Column("y1", Float),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Index("ix_notes_document_page", "document_id", "page_number"),
    Index("ix_notes_collection", "collection_id"),
)

# Review tags (catalog/tags.py): a matter's own tag names (the built-in ones exist in every collection
# without a row), and the tags applied to documents and to pages. Every row belongs to one collection: a
# tag set in one matter is invisible in another, even on a shared document.
tags = Table(
    "tags",
    metadata,
    Column("collection_id", String(40), ForeignKey("collections.id"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("label", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
)

document_tags = Table(
    "document_tags",
    metadata,
    Column("collection_id", String(40), ForeignKey("collections.id"), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("tag", String(40), primary_key=True),
    Column("tagged_at", String(40), nullable=False),
    Column("tagged_by", String(200), nullable=False),
    Index("ix_document_tags_document", "document_id"),
)

page_tags = Table(
    "page_tags",
    metadata,
    Column("collection_id", String(40), ForeignKey("collections.id"), primary_key=True),
    Column("document_id", String(40), ForeignKey("documents.id"), primary_key=True),
    Column("page_number", Integer, primary_key=True),
    Column("tag", String(40), primary_key=True),
    Column("tagged_at", String(40), nullable=False),
    Column("tagged_by", String(200), nullable=False),
    Index("ix_page_tags_document", "document_id", "page_number"),
)

# Watchlists (screening): a named list of terms, each a query of the query language, per collection.
# `terms` is a JSON list kept in the order the reviewer wrote it (a report lists terms in that order).
watchlists = Table(
    "watchlists",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("collection_id", String(40), ForeignKey("collections.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("terms", Text, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("collection_id", "name", name="uq_watchlists_collection_name"),
)

# One screening of a watchlist: of one production (production_id) or of the whole collection (null).
# status: queued -> running -> done | failed; pages_screened / pages_total is the progress while it runs.
screening_runs = Table(
    "screening_runs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("watchlist_id", String(40), ForeignKey("watchlists.id"), nullable=False),
    Column("production_id", String(40), ForeignKey("productions.id")),
    Column("trigger", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("terms_total", Integer, nullable=False),
    Column("pages_total", Integer, nullable=False, default=0),
    Column("pages_screened", Integer, nullable=False, default=0),
    Column("hit_documents", Integer, nullable=False, default=0),
    Column("hit_pages", Integer, nullable=False, default=0),
    Column("error", Text),
    Column("requested_by", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Index("ix_screening_runs_watchlist", "watchlist_id", "created_at"),
)

# A run's figures per term (position: the term's index in the run's list, from 0).
screening_results = Table(
    "screening_results",
    metadata,
    Column("run_id", String(40), ForeignKey("screening_runs.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("term", Text, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("pages", Integer, nullable=False),
    Column("unique_pages", Integer, nullable=False),
)
