"""FOIA analytics: exemption claims, withheld pages, redaction density, failed redactions, re-releases
and a Vaughn index draft. Every answer covers only the collections the caller may see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.access import visible_document
from api.analytics_queries import (
    VAUGHN_COLUMNS,
    author_recipient,
    densities,
    documents_claiming,
    exemption_stats,
    page_diff,
    shown_label,
    vaughn_rows,
)
from api.csv_cells import csv_lines
from api.deps import Principal, PrincipalDep, ServicesDep
from api.filters import scope_of
from api.list_cursors import offset_from_cursor
from api.problems import Problem
from api.schemas_analytics import (
    BoxOut,
    CodeDocument,
    CodeDocumentList,
    DensityList,
    DensityOut,
    DocumentRedactionsOut,
    ExemptionStatList,
    ExemptionStatOut,
    FailedRedaction,
    FailedRedactionList,
    PageRedactionsOut,
    ReleaseList,
    ReleasePair,
    ReleaseRef,
    VaughnOut,
    VaughnRowOut,
    WithheldPage,
    WithheldPageList,
)
from catalog.analytics import DocumentRow, StoredBox
from catalog.errors import NotFound
from catalog.protocols import ProductionReader

router = APIRouter(tags=["analytics"])

T = TypeVar("T")

# The near-duplicate threshold of ingest/neardup.py, measured in bench/eval_redactions.py. Repeated here
# because the API does not import the ingest package.
NEAR_DUPLICATE_THRESHOLD = 0.5

GroupBy = Literal["production", "agency", "month", "none"]
ProductionFilter = Annotated[str | None, Query(max_length=60, description="Only this production.")]
Limit = Annotated[int, Query(ge=1, le=1000)]
Cursor = Annotated[str | None, Query(max_length=20, description="next_cursor of a previous page.")]


def _check_production(productions: ProductionReader, principal: Principal, production_id: str | None) -> None:
    if production_id is None:
        return
    try:
        production = productions.get_production(production_id)
    except NotFound:
        production = None
    if production is None or not principal.can_see(production.collection_id):
        # The same answer for missing and not yours: never confirm what one may not see.
        raise Problem(404, "Not found", f"no production {production_id}", "/problems/not-found")


def _visible(services: ServicesDep, principal: Principal, production_id: str | None) -> dict[str, DocumentRow]:
    _check_production(services.catalog.productions, principal, production_id)
    return services.catalog.analytics.documents(scope_of(principal), production_id)


def _page(items: Sequence[T], cursor: str | None, limit: int) -> tuple[list[T], str | None]:
    start = offset_from_cursor(cursor)
    chunk = list(items[start : start + limit])
    return chunk, (str(start + limit) if start + limit < len(items) else None)


@router.get("/analytics/exemptions", summary="Pages and boxes per exemption code, by production, agency or month")
def exemption_claims(
    services: ServicesDep,
    principal: PrincipalDep,
    group_by: GroupBy = "production",
    production: ProductionFilter = None,
) -> ExemptionStatList:
    documents = _visible(services, principal, production)
    store = services.catalog.analytics
    ids = list(documents)
    boxes = store.boxes(ids)
    codes = {k: v[0] for k, v in store.page_facts(ids).items()}
    labels: dict[str, str] = {}
    if group_by == "production":
        names = {p.id: p.name for p in services.catalog.productions.list_productions(scope_of(principal))}
        labels.update(names)

        def groups(d: DocumentRow) -> Sequence[str]:
            return [p for p in d.production_ids if p in names and (production is None or p == production)]

    elif group_by == "agency":
        agencies = store.first_agencies(ids)
        entities = services.catalog.entities.entities_by_ids(sorted(set(agencies.values())))
        labels.update({k: e.name for k, e in entities.items()})
        labels["unknown"] = "Agency not named"

        def groups(d: DocumentRow) -> Sequence[str]:
            return [agencies.get(d.id, "unknown")]

    elif group_by == "month":
        labels["undated"] = "Undated"

        def groups(d: DocumentRow) -> Sequence[str]:
            return [d.document_date[:7] if d.document_date else "undated"]

    else:
        labels["all"] = "All"

        def groups(d: DocumentRow) -> Sequence[str]:
            return ["all"]

    stats = exemption_stats(documents, boxes, codes, groups)
    return ExemptionStatList(
        group_by=group_by,
        items=[
            ExemptionStatOut(
                code=s.code, group=s.group, group_label=labels.get(s.group, s.group), pages=s.pages, boxes=s.boxes
            )
            for s in stats
        ],
    )


@router.get("/analytics/exemptions/{code}/documents", summary="The documents where an exemption code is claimed most")
def documents_for_code(
    services: ServicesDep,
    principal: PrincipalDep,
    code: Annotated[str, Path(max_length=40)],
    production: ProductionFilter = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CodeDocumentList:
    documents = _visible(services, principal, production)
    store = services.catalog.analytics
    ids = list(documents)
    rows = documents_claiming(code, documents, store.boxes(ids), {k: v[0] for k, v in store.page_facts(ids).items()})
    chunk, next_cursor = _page(rows, cursor, limit)
    return CodeDocumentList(
        code=code,
        items=[CodeDocument(document_id=r.document_id, title=r.title, pages=r.pages, boxes=r.boxes) for r in chunk],
        next_cursor=next_cursor,
    )


@router.get("/analytics/withheld", summary="Pages withheld in full, duplicates and referrals (slip sheets)")
def withheld_pages(
    services: ServicesDep,
    principal: PrincipalDep,
    production: ProductionFilter = None,
    kind: Literal["withheld_in_full", "duplicate", "referred"] | None = None,
    limit: Limit = 200,
    cursor: Cursor = None,
) -> WithheldPageList:
    documents = _visible(services, principal, production)
    store = services.catalog.analytics
    ids = list(documents)
    facts = store.page_facts(ids)
    marks = [m for m in store.marks(ids) if m.kind != "content" and (kind is None or m.kind == kind)]
    chunk, next_cursor = _page(marks, cursor, limit)
    return WithheldPageList(
        items=[
            WithheldPage(
                document_id=m.document_id,
                title=documents[m.document_id].title,
                page_number=m.page_number,
                bates=facts.get((m.document_id, m.page_number), ((), None))[1],
                kind=m.kind,
                codes=list(facts.get((m.document_id, m.page_number), ((), None))[0]),
            )
            for m in chunk
        ],
        next_cursor=next_cursor,
    )


@router.get("/analytics/density", summary="Redaction density per document, densest first")
def redaction_density(
    services: ServicesDep,
    principal: PrincipalDep,
    production: ProductionFilter = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> DensityList:
    documents = _visible(services, principal, production)
    store = services.catalog.analytics
    ids = list(documents)
    rows = densities(documents, store.boxes(ids), store.marks(ids))
    chunk, next_cursor = _page(rows, cursor, limit)
    return DensityList(items=[DensityOut(**vars(r)) for r in chunk], next_cursor=next_cursor)


@router.get(
    "/analytics/failed-redactions",
    summary="Pages where text is still under a redaction box (the text itself is never returned)",
)
def failed_redactions(
    services: ServicesDep,
    principal: PrincipalDep,
    production: ProductionFilter = None,
    limit: Limit = 200,
    cursor: Cursor = None,
) -> FailedRedactionList:
    documents = _visible(services, principal, production)
    store = services.catalog.analytics
    ids = list(documents)
    failed = [m for m in store.marks(ids) if m.failed_redaction]
    failed_ids = sorted({m.document_id for m in failed})
    leaked_on_page: dict[tuple[str, int], list[StoredBox]] = {}
    for b in store.boxes(failed_ids):
        if b.leaked:
            leaked_on_page.setdefault((b.document_id, b.page_number), []).append(b)
    facts = store.page_facts(failed_ids)
    chunk, next_cursor = _page(failed, cursor, limit)
    items = []
    for m in chunk:
        mine = leaked_on_page.get((m.document_id, m.page_number), [])
        items.append(
            FailedRedaction(
                document_id=m.document_id,
                title=documents[m.document_id].title,
                page_number=m.page_number,
                bates=facts.get((m.document_id, m.page_number), ((), None))[1],
                boxes=len(mine),
                codes=sorted({c for b in mine for c in b.codes}),
            )
        )
    return FailedRedactionList(items=items, next_cursor=next_cursor)


@router.get("/documents/{document_id}/redactions", summary="A document's redaction boxes and page kinds")
def document_redactions(document_id: str, services: ServicesDep, principal: PrincipalDep) -> DocumentRedactionsOut:
    document, _ = visible_document(services.catalog, principal, document_id)
    store = services.catalog.analytics
    boxes = store.boxes([document.id])
    marks = store.marks([document.id])
    pages = [
        PageRedactionsOut(
            number=m.page_number,
            kind=m.kind,
            redacted_share=m.redacted_share,
            failed_redaction=m.failed_redaction,
            boxes=[
                BoxOut(
                    x0=b.x0,
                    y0=b.y0,
                    x1=b.x1,
                    y1=b.y1,
                    source=b.source,
                    codes=list(b.codes),
                    label=shown_label(b),
                    failed=b.leaked,
                )
                for b in boxes
                if b.page_number == m.page_number
            ],
        )
        for m in marks
    ]
    return DocumentRedactionsOut(
        document_id=document.id,
        failed_redaction_pages=[m.page_number for m in marks if m.failed_redaction],
        pages=pages,
    )


@router.get(
    "/documents/{document_id}/rereleases",
    summary="Pages of this document released again elsewhere: what one release shows and the other redacts",
)
def rereleases(
    document_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    limit: Limit = 200,
    cursor: Cursor = None,
) -> ReleaseList:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    store = catalog.analytics
    visible = store.documents(scope_of(principal))
    pairs = store.near_duplicates(document.id, list(visible), NEAR_DUPLICATE_THRESHOLD)
    chunk, next_cursor = _page(pairs, cursor, limit)
    ids = sorted({document.id} | {p.other_document_id for p in chunk})
    facts = store.page_facts(ids)
    boxes = Counter((b.document_id, b.page_number) for b in store.boxes(ids))
    box_codes: dict[tuple[str, int], set[str]] = {}
    for b in store.boxes(ids):
        box_codes.setdefault((b.document_id, b.page_number), set()).update(b.codes)
    texts: dict[tuple[str, int], str] = {}

    def text(doc: str, page: int) -> str:
        if (doc, page) not in texts:
            texts[(doc, page)] = catalog.documents.page(doc, page).text
        return texts[(doc, page)]

    def codes(doc: str, page: int) -> set[str]:
        return set(facts.get((doc, page), ((), None))[0]) | box_codes.get((doc, page), set())

    items = []
    for pair in chunk:
        here = (document.id, pair.page_number)
        there = (pair.other_document_id, pair.other_page_number)
        bates = (facts.get(here, ((), None))[1], facts.get(there, ((), None))[1])
        diff = page_diff(text(*here), text(*there), codes(*here), codes(*there), ignore=bates)
        other = visible[pair.other_document_id]
        items.append(
            ReleasePair(
                page_number=pair.page_number,
                other=ReleaseRef(
                    document_id=other.id,
                    title=other.title,
                    page_number=pair.other_page_number,
                    document_date=other.document_date,
                    productions=list(other.production_ids),
                ),
                similarity=pair.similarity,
                only_here=diff.only_here,
                only_there=diff.only_there,
                codes_only_here=diff.codes_only_here,
                codes_only_there=diff.codes_only_there,
                boxes_here=boxes[here],
                boxes_there=boxes[there],
            )
        )
    return ReleaseList(
        document_id=document.id, productions=[p.id for p in productions], items=items, next_cursor=next_cursor
    )


@router.get(
    "/productions/{production_id}/vaughn",
    summary="A Vaughn index draft: one row per withholding (box or withheld page)",
    responses={200: {"content": {"text/csv": {}}}},
    response_model=VaughnOut,
)
def vaughn_index(
    production_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    format: Literal["json", "csv"] = "json",
) -> Response | VaughnOut:
    catalog = services.catalog
    documents = _visible(services, principal, production_id)
    store = catalog.analytics
    ids = sorted(documents)
    facts = store.page_facts(ids)
    people = {}
    for doc_id in ids:
        try:
            people[doc_id] = author_recipient(catalog.documents.page(doc_id, 1).text)
        except NotFound:
            people[doc_id] = (None, None)
    rows = vaughn_rows(
        list(documents.values()),
        store.boxes(ids),
        store.marks(ids),
        {k: v[1] for k, v in facts.items()},
        {k: v[0] for k, v in facts.items()},
        people,
    )
    if format == "csv":
        lines = csv_lines(VAUGHN_COLUMNS, ([vars(row)[c] for c in VAUGHN_COLUMNS] for row in rows))
        return Response(
            "".join(lines),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="vaughn-{production_id}.csv"'},
        )
    return VaughnOut(
        production_id=production_id,
        items=[VaughnRowOut(**{**vars(r), "codes": list(r.codes)}) for r in rows],
    )
