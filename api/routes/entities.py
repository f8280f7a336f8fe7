"""Entities: lists with document counts, an entity's page, and its timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.cursors import CursorParam, CursorsDep
from api.deps import PrincipalDep, ServicesDep
from api.filters import FiltersDep, scope_of
from api.problem_types import INVALID_SEARCH
from api.problems import Problem
from api.routes.search import run_search
from api.schemas_documents import (
    CoMentioned,
    EntityList,
    EntityListItem,
    EntityOut,
    EntityRef,
    TimelineBucket,
    TimelineOut,
    TimelineTotals,
    TopDocument,
)
from api.scoping import reader_titles
from catalog.corrections import corrected, final_id, project
from catalog.entity_stats import merged_group
from catalog.errors import NotFound
from catalog.protocols import EntityStatistics
from search.backend import Interval
from search.index_fields import FACETS
from search.records import ENTITY_FIELDS

router = APIRouter(prefix="/entities", tags=["entities"])

# The registry's entity types (search.fields), checked like a Literal and listed as an enum in OpenAPI.
EntityTypeParam = Annotated[
    str | None,
    Query(
        alias="type",
        pattern=f"^({'|'.join(ENTITY_FIELDS)})$",
        json_schema_extra={"enum": list(ENTITY_FIELDS)},
        description="One entity type: " + ", ".join(ENTITY_FIELDS),
    ),
]


@router.get("", summary="Entities with the number of documents mentioning them")
def list_entities(
    services: ServicesDep,
    principal: PrincipalDep,
    filters: FiltersDep,
    cursors: CursorsDep,
    entity_type: EntityTypeParam = None,
    prefix: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: CursorParam = None,
) -> EntityList:
    catalog = services.catalog
    narrowed = bool(filters.q or filters.facets or filters.date_from or filters.date_to)
    if narrowed:
        if entity_type is not None and entity_type not in FACETS:
            raise Problem(
                INVALID_SEARCH, f"{entity_type} entities are not counted per search; list them without q and filters"
            )
        # Counts within a search come from the index's facet counts (the same numbers the search shows).
        types = (entity_type,) if entity_type else tuple(f for f in ENTITY_FIELDS if f in FACETS)
        response = run_search(services, filters, page_size=1, facets=types, facet_size=200)
        counted = [(t, v) for t in types for v in response.facets.get(t, ())]
        corrections = catalog.corrections.of_collections(filters.collection_ids)
        raw_ids = [v.value for _, v in counted]
        # Hidden and merged-away ids are left out; a renamed one is listed by its new name.
        names = {
            k: e
            for k, e in project(raw_ids, catalog.entities.entities_by_ids(raw_ids), corrections).items()
            if e is not None and e.id == k
        }
        items = [
            EntityListItem(id=v.value, type=t, name=names[v.value].name, documents=v.count)
            for t, v in counted
            if v.value in names and (not prefix or names[v.value].name.lower().startswith(prefix.lower()))
        ]
        items.sort(key=lambda i: (-i.documents, i.id))
        return EntityList(items=items[:limit], next_cursor=None)
    listed = cursors.of("entities", entity_type, prefix)
    key = listed.open(cursor, (int, str))
    after = None if key is None else (int(key[0]), str(key[1]))
    scope = scope_of(principal)
    stats: EntityStatistics = catalog.entity_stats
    rows = stats.entity_document_counts(
        catalog.corrections.of_collections(scope), entity_type, scope, prefix, limit + 1, after
    )
    page = rows[:limit]
    last = (page[-1][1], page[-1][0].id) if len(rows) > limit else None
    next_cursor = listed.issue(last)
    return EntityList(
        items=[EntityListItem(id=e.id, type=e.type, name=e.name, documents=n) for e, n in page],
        next_cursor=next_cursor,
    )


@router.get("/{entity_id}", summary="An entity: aliases, vendor and products, co-mentions, top documents")
def get_entity(entity_id: str, services: ServicesDep, principal: PrincipalDep) -> EntityOut:
    catalog = services.catalog
    scope = scope_of(principal)
    corrections = catalog.corrections.of_collections(scope)
    shown = corrected(catalog.entities.get_entity(final_id(entity_id, corrections)), corrections)
    if shown is None:
        raise NotFound(f"no entity {entity_id}")  # hidden by a correction of the reader's collections
    entity = shown
    group = merged_group(entity.id, corrections)
    documents, mentions = catalog.entity_stats.entity_totals(group, scope)
    if documents == 0 and entity.source != "gazetteer":
        raise NotFound(f"no entity {entity_id}")  # found only in documents this principal cannot see
    vendor = None
    if entity.vendor_id:
        try:
            v = catalog.entities.get_entity(entity.vendor_id)
            vendor = EntityRef(id=v.id, name=v.name)
        except NotFound:
            vendor = None
    co = catalog.entity_stats.co_mentioned(corrections, group, scope)
    top = catalog.entity_stats.top_documents(group, scope)
    titles = reader_titles(catalog.productions, {d.id: d.title for d, _ in top}, principal)
    return EntityOut(
        id=entity.id,
        type=entity.type,
        name=entity.name,
        aliases=list(entity.aliases),
        vendor=vendor,
        products=[EntityRef(id=p.id, name=p.name) for p in catalog.entities.vendor_products(entity.id)],
        documents=documents,
        mentions=mentions,
        co_mentioned=[CoMentioned(id=e.id, type=e.type, name=e.name, documents=n) for e, n in co],
        top_documents=[
            TopDocument(document_id=d.id, title=titles[d.id], document_date=d.document_date, mentions=n) for d, n in top
        ],
    )


@router.get("/{entity_id}/timeline", summary="Documents and mentions of an entity per date bucket")
def timeline(
    entity_id: str,
    services: ServicesDep,
    filters: FiltersDep,
    interval: Annotated[Interval, Query()] = "month",
) -> TimelineOut:
    corrections = services.catalog.corrections.of_collections(filters.collection_ids)
    entity = services.catalog.entities.get_entity(final_id(entity_id, corrections))
    group = merged_group(entity.id, corrections)
    if corrected(entity, corrections) is None:
        raise NotFound(f"no entity {entity_id}")
    if (
        entity.source != "gazetteer"
        and services.catalog.entity_stats.entity_totals(group, filters.collection_ids)[0] == 0
    ):
        raise NotFound(f"no entity {entity_id}")  # read only from documents this principal cannot see
    result = services.search.histogram(filters.histogram_request(interval, entity_id=entity.id))
    buckets = [TimelineBucket(start=b.start, documents=b.documents, mentions=b.mentions or 0) for b in result.buckets]
    return TimelineOut(
        entity_id=entity.id,
        interval=result.interval,
        buckets=buckets,
        undated={"documents": result.undated_documents},
        total=TimelineTotals(documents=sum(b.documents for b in buckets), mentions=sum(b.mentions for b in buckets)),
    )
