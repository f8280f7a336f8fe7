"""Saved searches: save a search with a name, list them with what is new since each was last viewed,
open one (which marks it viewed), change its alert settings, delete it, read its delivery log.

A saved search is its owner's (the principal's name) in one collection: another owner's, or one of a
collection the caller cannot read, answers 404 like one that never existed. Any role that can read the
collection may save searches in it (role_allows, api/auth.py). Changes are audited.
"""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Request, Response, status

from api.audit import auditor_of
from api.deps import GuardedServices, Principal, PrincipalDep, ServicesDep
from api.problem_types import COLLECTION_REQUIRED, NOT_FOUND
from api.problems import Problem
from api.schemas import CollectionOut
from api.schemas_alerts import (
    DeliveryList,
    DeliveryOut,
    SavedSearchCreated,
    SavedSearchIn,
    SavedSearchList,
    SavedSearchOut,
    SavedSearchPatch,
    SavedSearchView,
)
from catalog.alert_deliveries import QUEUED
from catalog.saved_searches import SavedSearch
from ingest.alerts import search_path
from search.backend import SearchRequest

router = APIRouter(prefix="/saved-searches", tags=["saved searches"])


def collection_names(services: GuardedServices) -> dict[str, str]:
    return {c.id: c.name for c in services.catalog.productions.list_collections()}


def scope(principal: Principal) -> list[str] | None:
    return None if principal.collection_ids is None else sorted(principal.collection_ids)


def saved_out(saved: SavedSearch, names: dict[str, str], new_documents: int) -> SavedSearchOut:
    return SavedSearchOut(
        id=saved.id,
        name=saved.name,
        q=saved.query,
        filters=saved.filters,
        date_from=dt.date.fromisoformat(saved.date_from) if saved.date_from else None,
        date_to=dt.date.fromisoformat(saved.date_to) if saved.date_to else None,
        sort=saved.sort,
        collection=CollectionOut(id=saved.collection_id, name=names.get(saved.collection_id, "")),
        alert=saved.alert,
        webhook_url=saved.webhook_url,
        email=saved.email,
        created_at=saved.created_at,
        viewed_at=saved.viewed_at,
        new_documents=new_documents,
        search_url=search_path(saved),
    )


def _collection(services: GuardedServices, principal: Principal, given: str | None) -> str:
    visible = [c for c in services.catalog.productions.list_collections() if principal.can_see(c.id)]
    if given is not None:
        chosen = [c.id for c in visible if given in (c.id, c.name)]
        if not chosen:
            raise Problem(NOT_FOUND, f"no collection {given!r}")
        return chosen[0]
    if len(visible) == 1:
        return visible[0].id
    choices = ", ".join(f"{c.name} ({c.id})" for c in visible) or "none"
    raise Problem(COLLECTION_REQUIRED, f"say which collection to save the search in: {choices}")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Save a search (query, filters, sort) with a name")
def create_saved_search(
    body: SavedSearchIn, request: Request, services: ServicesDep, principal: PrincipalDep
) -> SavedSearchCreated:
    collection_id = _collection(services, principal, body.collection)
    # It must run: the same checks (query syntax, known filters and values) as GET /search, one search.
    request.app.state.guard.charge(principal, "search", 1)
    services.search.search(
        SearchRequest(
            query=body.q,
            filters=body.filters,
            date_from=body.date_from,
            date_to=body.date_to,
            collection_ids=(collection_id,),
            page_size=1,
            facets=(),
        )
    )
    saved, secret = services.catalog.saved_searches.create(
        collection_id=collection_id,
        owner=principal.name,
        name=body.name,
        query=body.q,
        filters={k: v for k, v in body.filters.items() if v},
        date_from=body.date_from.isoformat() if body.date_from else None,
        date_to=body.date_to.isoformat() if body.date_to else None,
        sort=body.sort,
        alert=body.alert,
        webhook_url=body.webhook_url,
        email=body.email,
    )
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(
            principal,
            "saved_search.create",
            saved.id,
            collection=collection_id,
            alert=saved.alert,
            webhook=saved.webhook_url is not None,
            email=saved.email is not None,
        )
    out = saved_out(saved, collection_names(services), 0)
    return SavedSearchCreated(**out.model_dump(), webhook_secret=secret)


@router.get("", summary="My saved searches, each with how many documents are new since I last viewed it")
def list_saved_searches(services: ServicesDep, principal: PrincipalDep) -> SavedSearchList:
    names = collection_names(services)
    found = services.catalog.saved_searches.list_of(principal.name, scope(principal))
    return SavedSearchList(items=[saved_out(s, names, new) for s, new in found])


@router.get("/{saved_search_id}", summary="Open a saved search: what is new since the last view (marks it viewed)")
def open_saved_search(saved_search_id: str, services: ServicesDep, principal: PrincipalDep) -> SavedSearchView:
    store = services.catalog.saved_searches
    saved = store.get(saved_search_id, principal.name, scope(principal))
    count, new_ids = store.new_since(saved.id, saved.viewed_at)
    store.mark_viewed(saved.id)
    out = saved_out(saved, collection_names(services), count)
    params = parse_qsl(urlsplit(out.search_url).query, keep_blank_values=True)
    return SavedSearchView(**out.model_dump(), new_since=saved.viewed_at, new_document_ids=new_ids, params=params)


@router.patch("/{saved_search_id}", summary="Rename a saved search or change its alert, webhook and email")
def update_saved_search(
    saved_search_id: str, body: SavedSearchPatch, request: Request, services: ServicesDep, principal: PrincipalDep
) -> SavedSearchCreated:
    store = services.catalog.saved_searches
    saved = store.get(saved_search_id, principal.name, scope(principal))
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    if changes.get("name") is None:
        changes.pop("name", None)
    if changes.get("alert") is None:
        changes.pop("alert", None)
    secret = store.update(saved.id, changes)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "saved_search.update", saved.id, changed=sorted(changes))
    updated = store.get(saved.id, principal.name, scope(principal))
    count, _ = store.new_since(updated.id, updated.viewed_at)
    out = saved_out(updated, collection_names(services), count)
    return SavedSearchCreated(**out.model_dump(), webhook_secret=secret)


@router.delete(
    "/{saved_search_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a saved search, its alerts and delivery log",
)
def delete_saved_search(
    saved_search_id: str, request: Request, services: ServicesDep, principal: PrincipalDep
) -> Response:
    store = services.catalog.saved_searches
    saved = store.get(saved_search_id, principal.name, scope(principal))
    store.delete(saved.id)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "saved_search.delete", saved.id, collection=saved.collection_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{saved_search_id}/deliveries", summary="The delivery log of a saved search's webhook and email")
def list_deliveries(saved_search_id: str, services: ServicesDep, principal: PrincipalDep) -> DeliveryList:
    saved = services.catalog.saved_searches.get(saved_search_id, principal.name, scope(principal))
    now = time.time()
    items = [
        DeliveryOut(
            id=d.id,
            alert_id=d.alert_id,
            channel=d.channel,
            target=d.target,
            state=d.state,
            attempts=d.attempts,
            last_status=d.last_status,
            last_error=d.last_error,
            next_attempt_at=(
                dt.datetime.fromtimestamp(max(d.next_attempt_at, now), dt.UTC) if d.state == QUEUED else None
            ),
            created_at=d.created_at,
            finished_at=d.finished_at,
        )
        for d in services.catalog.alert_deliveries.of_saved_search(saved.id)
    ]
    return DeliveryList(items=items)
