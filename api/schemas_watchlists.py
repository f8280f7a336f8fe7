"""Request and response bodies of watchlists and their screening reports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import CollectionOut, Page
from search.watch_terms import MAX_TERMS

TERMS_DESCRIPTION = (
    f"Up to {MAX_TERMS:,} terms, each a query of the query language (a name, a phrase, `vendor:x`, "
    "`a w/5 b`...), each written once. A term that does not parse is a 422 naming it."
)


class WatchlistIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Surveillance vendors"])
    terms: list[str] = Field(
        max_length=MAX_TERMS, description=TERMS_DESCRIPTION, examples=[["Clearview AI", '"face recognition"']]
    )
    collection: str | None = Field(
        None,
        max_length=40,
        description="The collection (id) it belongs to; needed when the token can read several.",
    )


class WatchlistUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Surveillance vendors"])
    terms: list[str] = Field(max_length=MAX_TERMS, description=TERMS_DESCRIPTION)


class ProgressOut(BaseModel):
    pages_total: int = Field(description="Pages to screen (known once the run has started).")
    pages_screened: int
    terms_total: int


class RunOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    trigger: Literal["manual", "production"] = Field(
        description="manual: POST .../screen; production: a production of the collection was indexed."
    )
    production_id: str | None = Field(description="The production screened; null: the whole collection.")
    progress: ProgressOut
    hit_documents: int = Field(description="Documents any term hits (when done).")
    hit_pages: int = Field(description="Pages any term hits (when done).")
    error: str | None = None
    requested_by: str
    created_at: str
    finished_at: str | None = None


class WatchlistSummaryOut(BaseModel):
    id: str
    name: str
    collection: CollectionOut
    term_count: int
    created_by: str
    created_at: str
    updated_at: str


class WatchlistOut(WatchlistSummaryOut):
    terms: list[str]
    latest_run: RunOut | None = Field(description="The newest screening, of any production.")


class WatchlistList(Page):
    items: list[WatchlistSummaryOut]


class ScreenIn(BaseModel):
    production: str | None = Field(
        None, max_length=40, description="The production (id) to screen; omitted: every production of the collection."
    )


class TermReportOut(BaseModel):
    position: int = Field(description="The term's place in the list, from 1.")
    term: str
    documents: int
    pages: int
    unique_pages: int = Field(description="Pages this term hits and no other term of the list does.")
    link: str = Field(description="The term's results in the UI: a /search URL (with the production, if one).")


class ReportOut(BaseModel):
    watchlist_id: str
    name: str
    run: RunOut
    items: list[TermReportOut] = Field(description="One per term, in the list's order (empty until done).")
