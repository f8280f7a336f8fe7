"""Alerts: the in-app list of what newly indexed productions brought my saved searches, with the unread
count, and marking them read. Only the caller's own alerts, of collections the caller can read now (a
token that lost a collection no longer sees its alerts), whoever else holds the same documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.audit import auditor_of
from api.deps import PrincipalDep, ServicesDep
from api.routes.saved_searches import collection_names, scope
from api.schemas import CollectionOut
from api.schemas_alerts import AlertList, AlertOut, AlertsReadIn, AlertsReadOut, Ref
from ingest.alerts import search_path

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", summary="My alerts, newest first, with the unread count")
def list_alerts(
    services: ServicesDep,
    principal: PrincipalDep,
    unread: Annotated[bool, Query(description="Only unread alerts.")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[str | None, Query(max_length=60, description="next_before of the previous page.")] = None,
) -> AlertList:
    store = services.catalog.saved_searches
    mine = scope(principal)
    found = store.alerts_of(principal.name, mine, unread_only=unread, limit=limit + 1, before=before)
    page, more = found[:limit], len(found) > limit
    names = collection_names(services)
    productions = {p.id: p.name for p in services.catalog.productions.list_productions(mine)}
    saved = {s.id: s for s, _ in store.list_of(principal.name, mine)}
    items = []
    for alert in page:
        one = saved.get(alert.saved_search_id)
        items.append(
            AlertOut(
                id=alert.id,
                saved_search=Ref(id=alert.saved_search_id, name=alert.saved_search_name),
                collection=CollectionOut(id=alert.collection_id, name=names.get(alert.collection_id, "")),
                production=Ref(id=alert.production_id, name=productions.get(alert.production_id, "")),
                new_documents=alert.documents,
                document_ids=list(alert.document_ids),
                created_at=alert.created_at,
                read_at=alert.read_at,
                search_url=search_path(one, alert.production_id) if one else "/search",
            )
        )
    return AlertList(
        unread=store.unread_count(principal.name, mine),
        items=items,
        next_before=page[-1].id if more and page else None,
    )


@router.post("/read", summary="Mark my alerts read (those given, or all)")
def mark_alerts_read(
    body: AlertsReadIn, request: Request, services: ServicesDep, principal: PrincipalDep
) -> AlertsReadOut:
    store = services.catalog.saved_searches
    mine = scope(principal)
    marked = store.mark_read(principal.name, mine, body.ids)
    auditor = auditor_of(request.app.state)
    if auditor is not None and marked:
        auditor.record(principal, "alerts.read", None, count=marked, all=body.ids is None)
    return AlertsReadOut(marked=marked, unread=store.unread_count(principal.name, mine))
