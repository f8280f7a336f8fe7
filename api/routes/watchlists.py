"""Watchlists: named lists of terms per collection, screened against productions (search term reports).

Any role that can read a collection keeps watchlists in it (audited). A watchlist of a collection the
principal cannot read answers 404, as one that never existed; so does a production outside the
watchlist's collection. Screening runs in the background (one at a time per API process) and writes its
progress; every production indexed later is screened by the worker (ingest/screening.py).
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from api.audit import auditor_of
from api.csv_cells import csv_lines
from api.cursors import CursorParam, CursorsDep
from api.deps import Principal, PrincipalDep, ServicesDep
from api.problem_types import COLLECTION_REQUIRED, CONFLICT, INVALID_TERMS, NOT_FOUND, SCREENING_UNAVAILABLE
from api.problems import Problem
from api.schemas import CollectionOut
from api.schemas_watchlists import (
    ProgressOut,
    ReportOut,
    RunOut,
    ScreenIn,
    TermReportOut,
    WatchlistIn,
    WatchlistList,
    WatchlistOut,
    WatchlistSummaryOut,
    WatchlistUpdate,
)
from catalog.errors import NotFound
from catalog.models import Collection
from catalog.screening_runs import DONE, ScreeningRun, TermResult
from catalog.sql import SqlCatalog
from catalog.watchlists import Watchlist
from search.watch_terms import term_errors

router = APIRouter(prefix="/watchlists", tags=["watchlists"])

REPORT_COLUMNS = ("position", "term", "documents", "pages", "unique_pages", "link")


class ScreeningService(Protocol):
    """What the routes start screenings with (ingest.screening.Screener, installed by foia.asgi)."""

    def queue(self, watchlist: Watchlist, production_id: str | None, trigger: str = ..., actor: str = ...) -> str: ...
    def run(self, run_id: str) -> None: ...


def _screener(request: Request) -> ScreeningService:
    screener: ScreeningService | None = getattr(request.app.state, "screener", None)
    if screener is None:
        raise Problem(SCREENING_UNAVAILABLE, "this server was built without screening (foia.asgi installs it)")
    return screener


def _checked_terms(terms: list[str]) -> list[str]:
    """The terms as kept (surrounding blanks dropped), or a 422 naming every term that cannot be kept."""
    kept = [term.strip() for term in terms]
    errors = term_errors(kept)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise Problem(
            INVALID_TERMS,
            f"term {first.number} ({first.term!r}): {first.detail} at character {first.position}{more}",
            term_number=first.number,
            term=first.term,
            position=first.position,
            hint=first.hint,
            errors=[
                {"term_number": e.number, "term": e.term, "position": e.position, "detail": e.detail, "hint": e.hint}
                for e in errors
            ],
        )
    return kept


def _collections(catalog: SqlCatalog, principal: Principal) -> list[Collection]:
    return [c for c in catalog.productions.list_collections() if principal.can_see(c.id)]


def _collection_for(catalog: SqlCatalog, principal: Principal, given: str | None) -> Collection:
    visible = _collections(catalog, principal)
    if given is not None:
        chosen = [c for c in visible if c.id == given]
        if not chosen:
            raise Problem(NOT_FOUND, f"no collection {given}")
        return chosen[0]
    if len(visible) == 1:
        return visible[0]
    choices = ", ".join(f"{c.id} ({c.name})" for c in visible) or "none"
    raise Problem(
        COLLECTION_REQUIRED,
        f"this token reads several collections: give `collection`, one of {choices}",
        choices=[{"id": c.id, "name": c.name} for c in visible],
    )


def visible_watchlist(catalog: SqlCatalog, principal: Principal, watchlist_id: str) -> Watchlist:
    try:
        watchlist: Watchlist | None = catalog.watchlists.get(watchlist_id)
    except NotFound:
        watchlist = None
    if watchlist is None or not principal.can_see(watchlist.collection_id):
        raise Problem(NOT_FOUND, f"no watchlist {watchlist_id}")
    return watchlist


def _production_of(catalog: SqlCatalog, watchlist: Watchlist, production_id: str | None) -> str | None:
    """The production, when it is one of the watchlist's collection; else the 404 of no production."""
    if production_id is None:
        return None
    production = next(
        (p for p in catalog.productions.list_productions([watchlist.collection_id]) if p.id == production_id), None
    )
    if production is None:
        raise Problem(NOT_FOUND, f"no production {production_id} in this watchlist's collection")
    return production.id


def _names(catalog: SqlCatalog) -> dict[str, str]:
    return {c.id: c.name for c in catalog.productions.list_collections()}


def summary_out(w: Watchlist, names: dict[str, str]) -> WatchlistSummaryOut:
    return WatchlistSummaryOut(
        id=w.id,
        name=w.name,
        collection=CollectionOut(id=w.collection_id, name=names.get(w.collection_id, "")),
        term_count=len(w.terms),
        created_by=w.created_by,
        created_at=w.created_at,
        updated_at=w.updated_at,
    )


def run_out(run: ScreeningRun) -> RunOut:
    return RunOut(
        id=run.id,
        status=run.status,
        trigger=run.trigger,
        production_id=run.production_id,
        progress=ProgressOut(
            pages_total=run.pages_total, pages_screened=run.pages_screened, terms_total=run.terms_total
        ),
        hit_documents=run.hit_documents,
        hit_pages=run.hit_pages,
        error=run.error,
        requested_by=run.requested_by,
        created_at=run.created_at,
        finished_at=run.finished_at,
    )


def watchlist_out(catalog: SqlCatalog, w: Watchlist) -> WatchlistOut:
    latest = catalog.screening_runs.latest(w.id)
    return WatchlistOut(
        **summary_out(w, _names(catalog)).model_dump(),
        terms=list(w.terms),
        latest_run=run_out(latest) if latest is not None else None,
    )


def _audit(request: Request, principal: Principal, action: str, w: Watchlist, **detail: object) -> None:
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, action, w.id, collection=w.collection_id, name=w.name, **detail)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a watchlist (name and terms; audited)")
def create_watchlist(
    body: WatchlistIn, request: Request, services: ServicesDep, principal: PrincipalDep
) -> WatchlistOut:
    catalog = services.catalog
    collection = _collection_for(catalog, principal, body.collection)
    terms = _checked_terms(body.terms)
    watchlist = catalog.watchlists.create(collection.id, body.name.strip(), terms, principal.name)
    _audit(request, principal, "watchlist.create", watchlist, terms=len(terms))
    return watchlist_out(catalog, watchlist)


@router.get("", summary="The watchlists of the collections this token reads")
def list_watchlists(
    services: ServicesDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    collection: Annotated[str | None, Query(max_length=40, description="Only this collection's (id).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorParam = None,
) -> WatchlistList:
    catalog = services.catalog
    scope = [c.id for c in _collections(catalog, principal)]
    if collection is not None:
        scope = [c for c in scope if c == collection]
    listed = cursors.of("watchlists", collection)
    after = listed.open(cursor, (str, str))
    rows = catalog.watchlists.visible(scope, after=(after[0], after[1]) if after else None, limit=limit + 1)
    page = rows[:limit]
    names = _names(catalog)
    return WatchlistList(
        items=[summary_out(w, names) for w in page],
        next_cursor=listed.issue((page[-1].name, page[-1].id) if len(rows) > limit else None),
    )


@router.get("/{watchlist_id}", summary="A watchlist with its terms and its latest screening")
def get_watchlist(watchlist_id: str, services: ServicesDep, principal: PrincipalDep) -> WatchlistOut:
    return watchlist_out(services.catalog, visible_watchlist(services.catalog, principal, watchlist_id))


@router.put("/{watchlist_id}", summary="Rename a watchlist or replace its terms (audited)")
def update_watchlist(
    watchlist_id: str, body: WatchlistUpdate, request: Request, services: ServicesDep, principal: PrincipalDep
) -> WatchlistOut:
    catalog = services.catalog
    watchlist = visible_watchlist(catalog, principal, watchlist_id)
    terms = _checked_terms(body.terms)
    updated = catalog.watchlists.update(watchlist.id, body.name.strip(), terms)
    _audit(request, principal, "watchlist.update", updated, terms=len(terms))
    return watchlist_out(catalog, updated)


@router.delete("/{watchlist_id}", status_code=204, summary="Delete a watchlist and its reports (audited)")
def delete_watchlist(watchlist_id: str, request: Request, services: ServicesDep, principal: PrincipalDep) -> Response:
    watchlist = visible_watchlist(services.catalog, principal, watchlist_id)
    services.catalog.watchlists.delete(watchlist.id)
    _audit(request, principal, "watchlist.delete", watchlist)
    return Response(status_code=204)


@router.post(
    "/{watchlist_id}/screen",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Screen the watchlist now, against one production or the whole collection (rate limited)",
    description="Answers at once with the queued run; poll the report for its progress and figures.",
)
def screen_watchlist(
    watchlist_id: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    body: ScreenIn | None = None,
) -> RunOut:
    catalog = services.catalog
    watchlist = visible_watchlist(catalog, principal, watchlist_id)
    production_id = _production_of(catalog, watchlist, body.production if body else None)
    screener = _screener(request)
    run_id = screener.queue(watchlist, production_id, "manual", principal.name)
    _audit(request, principal, "watchlist.screen", watchlist, production=production_id, run=run_id)
    threading.Thread(target=screener.run, args=(run_id,), name=f"screen-{run_id}", daemon=True).start()
    return run_out(catalog.screening_runs.get(run_id))


def term_link(term: str, production_id: str | None) -> str:
    params = [("q", term)] + ([("production", production_id)] if production_id else [])
    return "/search?" + urlencode(params)


def _items(results: list[TermResult], production_id: str | None) -> list[TermReportOut]:
    return [
        TermReportOut(
            position=r.position + 1,
            term=r.term,
            documents=r.documents,
            pages=r.pages,
            unique_pages=r.unique_pages,
            link=term_link(r.term, production_id),
        )
        for r in results
    ]


@router.get(
    "/{watchlist_id}/report",
    summary="The search term report of the latest screening (of a production), as JSON or CSV",
    response_model=ReportOut,
    responses={200: {"content": {"text/csv": {}}}},
)
def report(
    watchlist_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    production: Annotated[str | None, Query(max_length=40, description="The latest screening of it.")] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> ReportOut | StreamingResponse:
    catalog = services.catalog
    watchlist = visible_watchlist(catalog, principal, watchlist_id)
    production_id = _production_of(catalog, watchlist, production)
    run = catalog.screening_runs.latest(watchlist.id, production_id)
    if run is None:
        raise Problem(NOT_FOUND, "no screening of this watchlist yet: POST .../screen")
    items = _items(catalog.screening_runs.results(run.id), run.production_id) if run.status == DONE else []
    if format == "json":
        return ReportOut(watchlist_id=watchlist.id, name=watchlist.name, run=run_out(run), items=items)
    if run.status != DONE:
        raise Problem(CONFLICT, f"the screening is {run.status}: the CSV is written once it is done")
    rows = ([getattr(i, c) for c in REPORT_COLUMNS] for i in items)
    return StreamingResponse(
        csv_lines(REPORT_COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="watchlist-report.csv"'},
    )
