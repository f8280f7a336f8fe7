"""Documents: metadata, pages with highlights, page images and the original PDF."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, Response

from api.access import visible_document
from api.deps import Principal, PrincipalDep, ServicesDep
from api.entity_names import names_for_queries
from api.filters import MAX_QUERY_CHARS, scope_of
from api.highlight import highlight, page_matches
from api.problem_types import NOT_FOUND
from api.problems import Problem
from api.render import PageRenderer
from api.schemas import PageWarningOut
from api.schemas_documents import (
    DocumentEntity,
    DocumentHitsOut,
    DocumentOut,
    EntitySpan,
    ExemptionCount,
    ExemptionSpan,
    HitPage,
    PageOut,
    PageSummary,
)
from api.schemas_notes import NoteOut
from api.schemas_search import ProductionRef
from api.scoping import production_scope, visible_file_names
from catalog.entity_reads import corrected_mentions
from catalog.models import DocumentStatus
from catalog.retries import warning_of
from catalog.sql import SqlCatalog
from catalog.titles import reader_title
from nlp.bates_gaps import bates_in_page_order, infer_page_bates
from nlp.exemptions import ordered_codes
from search.note_marks import scope_notes
from search.query.ast import Node
from search.query.entity_names import resolve_entity_values
from search.query.parser import parse_query

router = APIRouter(prefix="/documents", tags=["documents"])

PageNumber = Annotated[int, Path(ge=1, le=1_000_000)]
QueryText = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Highlight this query's hits.")]


def page_warning_out(number: int, facts: dict[str, Any]) -> PageWarningOut | None:
    found = warning_of(number, facts)
    return None if found is None else PageWarningOut.of(found)


def _parsed(q: str, catalog: SqlCatalog, principal: Principal) -> Node:
    """The query as search compiles it for this reader: entity field values resolved through their names,
    `note:` looked up among the notes the reader may find (a syntax error is the 400 api.problems answers)."""
    tree = resolve_entity_values(parse_query(q), names_for_queries(catalog, scope_of(principal), [q]))
    return scope_notes(tree, scope_of(principal), principal.name)


@router.get("/{document_id}", summary="A document: metadata, pages with Bates and sources, entities, exemptions")
def get_document(document_id: str, services: ServicesDep, principal: PrincipalDep) -> DocumentOut:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    pages = catalog.documents.pages(document.id)
    # The pages are loaded already: their stamps need no second query (page_bates is for one page's view).
    stamps = infer_page_bates(bates_in_page_order((p.number, p.bates) for p in pages))
    corrections = catalog.corrections.of_collections(scope_of(principal))
    mentions, entities = corrected_mentions(catalog.entities, catalog.documents.mentions(document.id), corrections)
    counts: Counter[str] = Counter(m.entity_id for m in mentions)
    on_pages: dict[str, set[int]] = defaultdict(set)
    for m in mentions:
        on_pages[m.entity_id].add(m.page_number)
    exemption_pages: Counter[str] = Counter(code for p in pages for code in p.exemptions)
    # Only the names given in productions this principal sees: another matter's file names are its own.
    file_names = visible_file_names(catalog.productions, document.id, production_scope(catalog.productions, principal))
    return DocumentOut(
        id=document.id,
        title=reader_title(document.title, file_names),
        file_names=file_names,
        productions=[ProductionRef(id=p.id, name=p.name) for p in productions],
        sha256=document.sha256,
        size=document.size,
        status=document.status.value,
        error=document.error,
        page_count=document.page_count,
        document_date=document.document_date,
        date_source=document.date_source,
        bates_begin=document.bates_begin,
        bates_end=document.bates_end,
        pdf_metadata=document.pdf_metadata,
        pages=[
            PageSummary(
                number=p.number,
                bates=stamps[p.number - 1].value,
                bates_inferred=stamps[p.number - 1].inferred,
                source=p.source.value,
                ocr_confidence=p.ocr_confidence,
                exemptions=list(ordered_codes(p.exemptions)),
                warning=page_warning_out(p.number, p.facts),
            )
            for p in pages
        ],
        entities=[
            DocumentEntity(
                id=entity_id,
                type=entities[entity_id].type if entity_id in entities else "organization",
                name=entities[entity_id].name if entity_id in entities else entity_id,
                mentions=n,
                pages=sorted(on_pages[entity_id]),
            )
            for entity_id, n in counts.most_common()
        ],
        exemptions=[ExemptionCount(code=c, pages=exemption_pages[c]) for c in ordered_codes(exemption_pages)],
    )


@router.get("/{document_id}/pages/{number}", summary="One page: text with the query's hits, entities, exemptions")
def get_page(
    document_id: str, number: PageNumber, services: ServicesDep, principal: PrincipalDep, q: QueryText = ""
) -> PageOut:
    catalog = services.catalog
    document, _ = visible_document(catalog, principal, document_id)
    page = catalog.documents.page(document.id, number)
    stamp = infer_page_bates(catalog.documents.page_bates(document.id))[number - 1]
    node = _parsed(q, catalog, principal)
    found = page_matches(catalog, document, node, scope_of(principal)).get(number) if q.strip() else None
    spans = found.spans if found is not None else ()
    on_page = [m for m in catalog.documents.mentions(document.id) if m.page_number == number]
    mentions, entities = corrected_mentions(
        catalog.entities, on_page, catalog.corrections.of_collections(scope_of(principal))
    )
    return PageOut(
        document_id=document.id,
        number=page.number,
        bates=stamp.value,
        bates_inferred=stamp.inferred,
        source=page.source.value,
        ocr_confidence=page.ocr_confidence,
        text=page.text,
        highlighted_text=highlight(page.text, spans),
        hits=len(spans),
        exemption_codes=list(ordered_codes(page.exemptions)),
        exemptions=[
            ExemptionSpan(code=e["code"], start=e["start"], end=e["end"], text=e["text"])
            for e in page.facts.get("exemptions", [])
        ],
        entities=[
            EntitySpan(
                id=m.entity_id,
                type=entities[m.entity_id].type if m.entity_id in entities else "organization",
                name=entities[m.entity_id].name if m.entity_id in entities else m.entity_id,
                start=m.start,
                end=m.end,
                text=m.text,
            )
            for m in mentions
        ],
        image_url=f"/api/v1/documents/{document.id}/pages/{page.number}/image",
        warning=page_warning_out(page.number, page.facts),
    )


@router.get(
    "/{document_id}/pages/{number}/image",
    summary="The page rendered from the original, as PNG",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def page_image(
    document_id: str,
    number: PageNumber,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    dpi: Annotated[int, Query(ge=30, le=200)] = 100,
) -> Response:
    document, _ = visible_document(services.catalog, principal, document_id)
    if document.status is not DocumentStatus.DONE or number > (document.page_count or 0):
        raise Problem(NOT_FOUND, f"no page {number} in document {document_id}")
    renderer: PageRenderer = request.app.state.renderer
    png = renderer.render(services.blobs.path(document.sha256), number - 1, dpi)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get(
    "/{document_id}/file",
    summary="The original PDF",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}}},
)
def original_file(document_id: str, services: ServicesDep, principal: PrincipalDep) -> FileResponse:
    catalog = services.catalog
    document, _ = visible_document(catalog, principal, document_id)
    names = visible_file_names(catalog.productions, document.id, production_scope(catalog.productions, principal))
    name = names[0] if names else f"{document.id}.pdf"
    return FileResponse(services.blobs.path(document.sha256), media_type="application/pdf", filename=name)


@router.get("/{document_id}/hits", summary="Every page of the document matching a query, to step through hits")
def document_hits(
    document_id: str, services: ServicesDep, principal: PrincipalDep, q: QueryText = ""
) -> DocumentHitsOut:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    node = _parsed(q, catalog, principal)
    if not q.strip():
        return DocumentHitsOut(pages=[])
    # The pages search counts as hit pages, each with its number of marked matches and the notes on it the
    # reader sees (in the collections of theirs that hold the document).
    matches = page_matches(catalog, document, node, scope_of(principal))
    collections = sorted({p.collection_id for p in productions})
    notes = catalog.notes.on_pages(((document.id, n) for n in matches), principal.name, collections)
    return DocumentHitsOut(
        pages=[
            HitPage(
                page_number=n,
                hits=m.hits,
                notes=[NoteOut.of(note, principal.name) for note in notes.get((document.id, n), [])],
            )
            for n, m in sorted(matches.items())
            if m.matched
        ]
    )
