"""Search: grouped hits with facets, the date histogram, streamed export and batch counts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from api.audit import auditor_of
from api.csv_cells import csv_lines
from api.cursors import CursorParam, CursorsDep
from api.deps import Principal, PrincipalDep, ServicesDep
from api.entity_names import names_for_queries
from api.filters import Filters, FiltersDep, Sort
from api.labels import facet_labels
from api.note_reads import page_notes
from api.problem_types import BATCH_TOO_LARGE, INVALID_SEARCH
from api.problems import Problem
from api.schemas_search import (
    BatchIn,
    BatchItem,
    BatchOut,
    DocumentHitOut,
    FacetBucket,
    FieldSuggestion,
    HistogramBucketOut,
    HistogramOut,
    PageHitOut,
    ProductionRef,
    QueryErrorOut,
    SearchOut,
    SuggestedEntity,
)
from nlp.exemptions import code_order
from search.backend import FacetValue, Interval, SearchResponse
from search.query.entity_names import unmatched_values
from search.query.errors import QuerySyntaxError
from search.query.parser import parse_query
from search.snippets import make_snippet, plain_snippet

router = APIRouter(tags=["search"])


def run_search(services: ServicesDep, filters: Filters, **kwargs: object) -> SearchResponse:
    return services.search.search(filters.search_request(**kwargs))


@router.get("/search", summary="Search pages, grouped by document, with facet counts")
def search(
    services: ServicesDep,
    filters: FiltersDep,
    cursors: CursorsDep,
    principal: PrincipalDep,
    sort: Sort = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: CursorParam = None,
) -> SearchOut:
    # The backend's own cursor holds index-wide numbers (scores, sequence, PIT id): it leaves inside the
    # API's sealed list cursor, scoped to this query, its filters and sort.
    listed = cursors.of("search", sorted(filters.as_params()), sort)
    after = listed.open(cursor, (str,))
    response = run_search(services, filters, sort=sort, page_size=limit, cursor=after[0] if after else None)
    labels = facet_labels(services.catalog, response, filters.collection_ids)
    shown = ((d.document_id, p.page_number) for d in response.documents for p in d.pages)
    notes = page_notes(services.catalog.notes, principal, filters.collection_ids, shown)
    tags = services.catalog.tags.document_tags_of([d.document_id for d in response.documents], filters.collection_ids)
    # Names, productions and production facets come from the index already scoped to the reader's
    # collections (search.link_names): a shared document shows only this matter's names.
    return SearchOut(
        total_documents=response.total_documents,
        total_pages=response.total_pages,
        items=[
            DocumentHitOut(
                document_id=d.document_id,
                title=d.title,
                file_name=d.file_name,
                productions=[
                    ProductionRef(id=i, name=n) for i, n in zip(d.production_ids, d.production_names, strict=True)
                ],
                document_date=d.document_date,
                bates_begin=d.bates_begin,
                bates_end=d.bates_end,
                page_count=d.page_count,
                hit_pages=d.hit_pages,
                # No score: BM25 over the whole index is a function of every collection's term counts.
                best_pages=[
                    PageHitOut(
                        page_number=p.page_number,
                        bates=p.bates,
                        snippet=p.snippet,
                        notes=notes.get((d.document_id, p.page_number), []),
                    )
                    for p in d.pages
                ],
                tags=sorted({tag for _, tag in tags.get(d.document_id, [])}),
            )
            for d in response.documents
        ],
        facets={
            facet: [
                FacetBucket(value=v.value, label=label, count=v.count)
                for v in values
                if (label := labels.get((facet, v.value), v.value)) is not None  # None: hidden by a correction
            ]
            for facet, values in _in_order(response.facets).items()
        },
        suggestions=_suggestions(filters),
        next_cursor=listed.issue(None if response.next_cursor is None else [response.next_cursor]),
    )


def _in_order(facets: dict[str, tuple[FacetValue, ...]]) -> dict[str, tuple[FacetValue, ...]]:
    """Exemption codes in the canonical order, as every screen lists them (b6 before b7C); other facets
    stay most documents first."""
    if "exemption" not in facets:
        return facets
    return {**facets, "exemption": tuple(sorted(facets["exemption"], key=lambda v: code_order(v.value)))}


def _suggestions(filters: Filters) -> list[FieldSuggestion]:
    """Entity field values that name nothing the reader can find, with the closest names (run after the
    search, so the query has already parsed)."""
    if filters.entity_names is None:
        return []
    return [
        FieldSuggestion(
            field=s.field, value=s.value, entities=[SuggestedEntity(id=e.id, name=e.name) for e in s.entities]
        )
        for s in unmatched_values(parse_query(filters.q), filters.entity_names)
    ]


@router.get("/search/histogram", summary="Documents per date bucket for a search (the brushable histogram)")
def histogram(
    services: ServicesDep,
    filters: FiltersDep,
    interval: Annotated[Interval, Query()] = "year",
) -> HistogramOut:
    result = services.search.histogram(filters.histogram_request(interval))
    return HistogramOut(
        interval=result.interval,
        buckets=[HistogramBucketOut(start=b.start, documents=b.documents, pages=b.pages) for b in result.buckets],
        undated_documents=result.undated_documents,
    )


EXPORT_COLUMNS = (
    "document_id",
    "title",
    "file_name",
    "page_number",
    "bates",
    "document_date",
    "productions",
    "snippet",
    "entities",
    "notes",
)


@router.get(
    "/search/export",
    summary="Every hit page of a search, streamed as CSV or NDJSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
)
def export(
    request: Request,
    services: ServicesDep,
    filters: FiltersDep,
    principal: PrincipalDep,
    format: Annotated[Literal["csv", "ndjson"], Query()] = "csv",
) -> StreamingResponse:
    node = parse_query(filters.q)
    # Validate the request before streaming starts, so errors are still a problem+json 400.
    run_search(services, filters, page_size=1, facets=())
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "search.export", None, params=filters.as_params(), format=format)
    csv = format == "csv"
    # A CSV cell is read as text, not HTML: its snippet has no marks and no escapes.
    snippet_of = partial(plain_snippet if csv else make_snippet, node=node)
    rows = _export_rows(services, filters, principal, snippet_of)
    if csv:
        body: Iterator[str] = csv_lines(EXPORT_COLUMNS, ([row[c] for c in EXPORT_COLUMNS] for row in rows))
        media = "text/csv; charset=utf-8"
    else:
        body = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        media = "application/x-ndjson"
    return StreamingResponse(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="foia-search.{format}"'}
    )


def _export_rows(
    services: ServicesDep, filters: Filters, principal: Principal, snippet_of: Callable[[str], str]
) -> Iterator[dict[str, Any]]:
    catalog = services.catalog
    cached_doc: str | None = None
    page_entities: dict[int, list[str]] = {}
    page_texts: dict[int, list[str]] = {}
    # Names and productions come from the index scoped to the reader's collections (search.link_names);
    # notes from the catalog, those the reader sees (catalog.notes.can_see).
    for hit in services.search.iter_hits(filters.search_request()):
        if hit.document_id != cached_doc:
            cached_doc, page_entities, page_texts = hit.document_id, {}, {}
            for m in catalog.documents.mentions(hit.document_id):
                page_entities.setdefault(m.page_number, [])
                if m.entity_id not in page_entities[m.page_number]:
                    page_entities[m.page_number].append(m.entity_id)
            for note in catalog.notes.visible([hit.document_id], principal.name, filters.collection_ids):
                page_texts.setdefault(note.page_number, []).append(note.text)
        text = catalog.documents.page(hit.document_id, hit.page_number).text
        yield {
            "document_id": hit.document_id,
            "title": hit.title,
            "file_name": hit.file_name,
            "page_number": hit.page_number,
            "bates": hit.bates,
            "document_date": hit.document_date.isoformat() if hit.document_date else None,
            "productions": list(hit.production_names),
            "snippet": snippet_of(text),
            "entities": page_entities.get(hit.page_number, []),
            "notes": page_texts.get(hit.page_number, []),
        }


def refuse_lone_surrogates(queries: list[str]) -> None:
    """JSON can carry half of a UTF-16 pair ("\\ud800"), which is not text: it can be neither searched, linked
    nor written back in the answer. Refused with its place, like a syntax error."""
    for number, query in enumerate(queries, start=1):
        for position, char in enumerate(query):
            if "\ud800" <= char <= "\udfff":
                raise Problem(
                    INVALID_SEARCH,
                    f"query {number} holds a lone surrogate (U+{ord(char):04X}) at position {position}: not text",
                    query_number=number,
                    position=position,
                )


@router.post("/search/batch", summary="Hit counts for many queries at once (a list of names or terms)")
def batch(
    request: Request, body: BatchIn, services: ServicesDep, filters: FiltersDep, principal: PrincipalDep
) -> BatchOut:
    refuse_lone_surrogates(body.queries)
    # Each query is a search: the batch costs one search unit per query, all spent before the first runs
    # (or none, with a 429), and one deadline covers the whole request.
    guard = request.app.state.guard
    capacity = guard.limiter.capacity("search")
    if capacity is not None and len(body.queries) > capacity:
        raise Problem(
            BATCH_TOO_LARGE,
            f"{len(body.queries)} queries are more than the {capacity:g} searches a token may send at once; "
            "split the batch",
        )
    guard.charge(principal, "search", len(body.queries))
    deadline = services.search.batch_deadline()
    filters = _with_body_filters(filters, body)
    entity_names = names_for_queries(services.catalog, filters.collection_ids, body.queries)
    items = []
    base = [p for p in filters.as_params() if p[0] != "q"]
    for query in body.queries:
        link = "/api/v1/search?" + urlencode([("q", query), *base])
        scoped = replace(filters, q=query, entity_names=entity_names)
        try:
            response = services.search.search(scoped.search_request(page_size=1, facets=()), deadline=deadline)
        except QuerySyntaxError as exc:
            error = QueryErrorOut(detail=exc.message, position=exc.position, hint=exc.hint)
            items.append(BatchItem(query=query, documents=0, pages=0, error=error, link=link))
            continue
        items.append(BatchItem(query=query, documents=response.total_documents, pages=response.total_pages, link=link))
    return BatchOut(items=items)


def _with_body_filters(filters: Filters, body: BatchIn) -> Filters:
    """The filters given as JSON fields join those of the query string; one filter given both ways is
    ambiguous, so it is refused rather than one silently winning."""
    from_body = body.facet_filters()
    both = sorted(set(from_body) & set(filters.facets))
    both += [d for d in ("date_from", "date_to") if getattr(body, d) is not None and getattr(filters, d) is not None]
    if both:
        raise Problem(
            INVALID_SEARCH,
            f"{', '.join(both)} given both as a query parameter and as a JSON field; give each filter once",
        )
    return replace(
        filters,
        facets={**filters.facets, **from_body},
        date_from=body.date_from or filters.date_from,
        date_to=body.date_to or filters.date_to,
    )
