"""FOIA analytics: exemption claims, withheld pages, redaction density, failed redactions, re-releases
and a Vaughn index draft. Every answer covers only the collections the caller may see (api/analytics_scope);
the computations are pure functions elsewhere (catalog/redaction_reports, nlp/release_diff,
nlp/correspondents), and every list pages with the API's one cursor (api/cursors)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.access import visible_document
from api.analytics_scope import ProductionScopeDep, ReaderScopeDep, ScopeDep, StoreDep
from api.csv_cells import csv_lines
from api.cursors import CursorParam, CursorsDep, page_after
from api.deps import PrincipalDep, ServicesDep
from api.filters import scope_of
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
from catalog.redaction_reports import VAUGHN_COLUMNS, densities, documents_claiming, exemption_stats, vaughn_rows
from nlp.correspondents import author_recipient
from nlp.exemptions import code_order, ordered_codes
from nlp.release_diff import page_diff
from nlp.stamps import stamp_label

router = APIRouter(tags=["analytics"])

# The near-duplicate threshold of ingest/neardup.py, measured in bench/eval_redactions.py. Repeated here
# because the API does not import the ingest package.
NEAR_DUPLICATE_THRESHOLD = 0.5

GroupBy = Literal["production", "agency", "month", "none"]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get("/analytics/exemptions", summary="Pages and boxes per exemption code, by production, agency or month")
def exemption_claims(
    services: ServicesDep, principal: PrincipalDep, scope: ScopeDep, group_by: GroupBy = "production"
) -> ExemptionStatList:
    documents, store, ids = scope.documents, scope.store, scope.ids
    labels: dict[str, str] = {}
    if group_by == "production":
        names = {p.id: p.name for p in services.catalog.productions.list_productions(scope_of(principal))}
        labels.update(names)

        def groups(d: DocumentRow) -> Sequence[str]:
            return [p for p in d.production_ids if p in names and scope.production_id in (None, p)]

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

    # Codes in the canonical order within each group, as on every other screen (nlp.exemptions.code_order).
    stats = sorted(
        exemption_stats(documents, store.boxes(ids), scope.page_codes(), groups),
        key=lambda s: (s.group, code_order(s.code)),
    )
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
    scope: ScopeDep,
    cursors: CursorsDep,
    code: Annotated[str, Path(max_length=40)],
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> CodeDocumentList:
    listed = cursors.of("analytics.code_documents", code, scope.production_id)
    after = listed.open(cursor, (int, int, str))
    rows = documents_claiming(code, scope.documents, scope.store.boxes(scope.ids), scope.page_codes())
    chunk, last = page_after(rows, lambda r: (-r.pages, -r.boxes, r.document_id), after, limit)
    return CodeDocumentList(
        code=code,
        items=[CodeDocument(document_id=r.document_id, title=r.title, pages=r.pages, boxes=r.boxes) for r in chunk],
        next_cursor=listed.issue(last),
    )


@router.get("/analytics/withheld", summary="Pages withheld in full, duplicates and referrals (slip sheets)")
def withheld_pages(
    scope: ScopeDep,
    cursors: CursorsDep,
    kind: Literal["withheld_in_full", "duplicate", "referred"] | None = None,
    limit: Limit = 200,
    cursor: CursorParam = None,
) -> WithheldPageList:
    listed = cursors.of("analytics.withheld", scope.production_id, kind)
    after = listed.open(cursor, (str, int))
    documents, store, ids = scope.documents, scope.store, scope.ids
    facts = store.page_facts(ids)
    marks = [m for m in store.marks(ids) if m.kind != "content" and (kind is None or m.kind == kind)]
    chunk, last = page_after(marks, lambda m: (m.document_id, m.page_number), after, limit)
    return WithheldPageList(
        items=[
            WithheldPage(
                document_id=m.document_id,
                title=documents[m.document_id].title,
                page_number=m.page_number,
                bates=facts.get((m.document_id, m.page_number), ((), None))[1],
                kind=m.kind,
                codes=list(ordered_codes(facts.get((m.document_id, m.page_number), ((), None))[0])),
            )
            for m in chunk
        ],
        next_cursor=listed.issue(last),
    )


@router.get("/analytics/density", summary="Redaction density per document, densest first")
def redaction_density(
    scope: ScopeDep, cursors: CursorsDep, limit: Limit = 100, cursor: CursorParam = None
) -> DensityList:
    listed = cursors.of("analytics.density", scope.production_id)
    after = listed.open(cursor, (float, int, str))
    rows = densities(scope.documents, scope.store.boxes(scope.ids), scope.store.marks(scope.ids))
    chunk, last = page_after(rows, lambda r: (-r.mean_redacted_share, -r.boxes, r.document_id), after, limit)
    return DensityList(items=[DensityOut(**vars(r)) for r in chunk], next_cursor=listed.issue(last))


@router.get(
    "/analytics/failed-redactions",
    summary="Pages where text is still under a redaction box (the text itself is never returned)",
)
def failed_redactions(
    scope: ScopeDep, cursors: CursorsDep, limit: Limit = 200, cursor: CursorParam = None
) -> FailedRedactionList:
    listed = cursors.of("analytics.failed_redactions", scope.production_id)
    after = listed.open(cursor, (str, int))
    documents, store = scope.documents, scope.store
    failed = [m for m in store.marks(scope.ids) if m.failed_redaction]
    failed_ids = sorted({m.document_id for m in failed})
    leaked_on_page: dict[tuple[str, int], list[StoredBox]] = {}
    for b in store.boxes(failed_ids):
        if b.leaked:
            leaked_on_page.setdefault((b.document_id, b.page_number), []).append(b)
    facts = store.page_facts(failed_ids)
    chunk, last = page_after(failed, lambda m: (m.document_id, m.page_number), after, limit)
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
                codes=list(ordered_codes(c for b in mine for c in b.codes)),
            )
        )
    return FailedRedactionList(items=items, next_cursor=listed.issue(last))


@router.get("/documents/{document_id}/redactions", summary="A document's redaction boxes and page kinds")
def document_redactions(
    document_id: str, services: ServicesDep, principal: PrincipalDep, store: StoreDep
) -> DocumentRedactionsOut:
    document, _ = visible_document(services.catalog, principal, document_id)
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
                    codes=list(ordered_codes(b.codes)),
                    # Only the stamp, whatever an older catalog stored with it (labels once held the
                    # words a failed redaction left under the box; `foia reanalyze` rewrites them).
                    label=stamp_label(b.label, tolerant=b.source == "image"),
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
    scope: ReaderScopeDep,
    cursors: CursorsDep,
    limit: Limit = 200,
    cursor: CursorParam = None,
) -> ReleaseList:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    listed = cursors.of("rereleases", document.id)
    after = listed.open(cursor, (int, float, str, int))
    store, visible = scope.store, scope.documents
    pairs = store.near_duplicates(document.id, scope.ids, NEAR_DUPLICATE_THRESHOLD)
    chunk, last = page_after(
        pairs, lambda p: (p.page_number, -p.similarity, p.other_document_id, p.other_page_number), after, limit
    )
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
        document_id=document.id, productions=[p.id for p in productions], items=items, next_cursor=listed.issue(last)
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
    scope: ProductionScopeDep,
    format: Literal["json", "csv"] = "json",
) -> Response | VaughnOut:
    catalog = services.catalog
    documents, store = scope.documents, scope.store
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
    rows = [replace(r, codes=ordered_codes(r.codes)) for r in rows]  # the canonical order of codes
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
