"""Redaction reports as pure functions over the rows catalog.analytics reads: exemption claims per
group, redaction density, the documents claiming a code most, and the rows of a Vaughn index draft.

Nothing here reads a database; the analytics routes load what the caller may see and hand it here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from catalog.analytics import DocumentRow, StoredBox, StoredMark

PageKey = tuple[str, int]


@dataclass(frozen=True)
class ExemptionStat:
    code: str
    group: str
    pages: int
    boxes: int


def page_claims(boxes: Iterable[StoredBox], page_codes: dict[PageKey, tuple[str, ...]]) -> dict[PageKey, set[str]]:
    """Codes claimed on each page: stamped or cited in its text, or tied to one of its boxes."""
    claims: dict[PageKey, set[str]] = defaultdict(set)
    for key, codes in page_codes.items():
        claims[key].update(codes)
    for b in boxes:
        claims[(b.document_id, b.page_number)].update(b.codes)
    return claims


def exemption_stats(
    documents: dict[str, DocumentRow],
    boxes: Sequence[StoredBox],
    page_codes: dict[PageKey, tuple[str, ...]],
    groups_of: Callable[[DocumentRow], Sequence[str]],
) -> list[ExemptionStat]:
    """Pages and boxes per (exemption code, group); a document may fall in several groups (productions)."""
    pages: dict[tuple[str, str], set[PageKey]] = defaultdict(set)
    box_counts: Counter[tuple[str, str]] = Counter()
    for key, codes in page_claims(boxes, page_codes).items():
        document = documents.get(key[0])
        if document is None:
            continue
        for group in groups_of(document):
            for code in codes:
                pages[(code, group)].add(key)
    for b in boxes:
        document = documents.get(b.document_id)
        if document is None:
            continue
        for group in groups_of(document):
            for code in b.codes or ("unknown",):
                box_counts[(code, group)] += 1
    keys = set(pages) | set(box_counts)
    stats = [
        ExemptionStat(code, group, len(pages.get((code, group), ())), box_counts[(code, group)]) for code, group in keys
    ]
    return sorted(stats, key=lambda s: (s.group, -s.pages, -s.boxes, s.code))


@dataclass(frozen=True)
class DocumentDensity:
    document_id: str
    title: str | None
    pages: int
    redacted_pages: int
    withheld_pages: int
    failed_redaction_pages: int
    boxes: int
    mean_redacted_share: float  # over the document's pages; a page withheld in full counts as 1.0


def densities(
    documents: dict[str, DocumentRow], boxes: Sequence[StoredBox], marks: Sequence[StoredMark]
) -> list[DocumentDensity]:
    """Redaction density per document, densest first."""
    by_doc_marks: dict[str, list[StoredMark]] = defaultdict(list)
    for m in marks:
        by_doc_marks[m.document_id].append(m)
    box_count = Counter(b.document_id for b in boxes)
    boxed_pages = {(b.document_id, b.page_number) for b in boxes}
    out = []
    for doc_id, document in documents.items():
        doc_marks = by_doc_marks.get(doc_id, [])
        page_total = document.page_count or len(doc_marks)
        shares = [1.0 if m.kind == "withheld_in_full" else m.redacted_share for m in doc_marks]
        out.append(
            DocumentDensity(
                document_id=doc_id,
                title=document.title,
                pages=page_total,
                redacted_pages=len({p for d, p in boxed_pages if d == doc_id}),
                withheld_pages=sum(1 for m in doc_marks if m.kind != "content"),
                failed_redaction_pages=sum(1 for m in doc_marks if m.failed_redaction),
                boxes=box_count[doc_id],
                mean_redacted_share=round(sum(shares) / page_total, 4) if page_total else 0.0,
            )
        )
    return sorted(out, key=lambda d: (-d.mean_redacted_share, -d.boxes, d.document_id))


@dataclass(frozen=True)
class CodeInDocument:
    document_id: str
    title: str | None
    pages: int
    boxes: int


def documents_claiming(
    code: str,
    documents: dict[str, DocumentRow],
    boxes: Sequence[StoredBox],
    page_codes: dict[PageKey, tuple[str, ...]],
) -> list[CodeInDocument]:
    """Documents where the code is claimed, most pages then most boxes first."""
    pages: Counter[str] = Counter()
    for (doc_id, _page), codes in page_claims(boxes, page_codes).items():
        if code in codes and doc_id in documents:
            pages[doc_id] += 1
    box_count = Counter(b.document_id for b in boxes if code in b.codes and b.document_id in documents)
    rows = [CodeInDocument(d, documents[d].title, pages[d], box_count[d]) for d in set(pages) | set(box_count)]
    return sorted(rows, key=lambda r: (-r.pages, -r.boxes, r.document_id))


# -- Vaughn index ---------------------------------------------------------------------------------------

VAUGHN_COLUMNS = (
    "document_id",
    "title",
    "bates",
    "page_number",
    "document_date",
    "author",
    "recipient",
    "withholding",
    "codes",
    "x0",
    "y0",
    "x1",
    "y1",
    "width_pt",
    "height_pt",
    "page_redacted_share",
    "context",
)


@dataclass(frozen=True)
class VaughnRow:
    document_id: str
    title: str | None
    bates: str | None
    page_number: int
    document_date: str | None
    author: str | None
    recipient: str | None
    withholding: str  # "redaction" | "withheld_in_full" | "duplicate" | "referred"
    codes: tuple[str, ...]
    x0: float | None
    y0: float | None
    x1: float | None
    y1: float | None
    width_pt: float | None
    height_pt: float | None
    page_redacted_share: float
    context: str


def vaughn_rows(
    documents: Sequence[DocumentRow],
    boxes: Sequence[StoredBox],
    marks: Sequence[StoredMark],
    page_bates: dict[PageKey, str | None],
    page_codes: dict[PageKey, tuple[str, ...]],
    people: dict[str, tuple[str | None, str | None]],
) -> list[VaughnRow]:
    """One row per withholding: each redaction box, and each page withheld in full (or sent elsewhere),
    in document order (Bates order when the documents carry Bates numbers)."""
    mark_of = {(m.document_id, m.page_number): m for m in marks}
    boxes_of: dict[str, list[StoredBox]] = defaultdict(list)
    for b in boxes:
        boxes_of[b.document_id].append(b)
    rows: list[VaughnRow] = []
    for document in sorted(documents, key=lambda d: (d.bates_begin or "~", d.document_date or "", d.id)):
        author, recipient = people.get(document.id, (None, None))
        withheld = sorted(
            (m for m in marks if m.document_id == document.id and m.kind != "content"), key=lambda m: m.page_number
        )
        entries: list[tuple[int, float, VaughnRow]] = []
        for m in withheld:
            key = (document.id, m.page_number)
            entries.append(
                (
                    m.page_number,
                    -1.0,
                    VaughnRow(
                        document.id,
                        document.title,
                        page_bates.get(key),
                        m.page_number,
                        document.document_date,
                        author,
                        recipient,
                        m.kind,
                        page_codes.get(key, ()),
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        1.0 if m.kind == "withheld_in_full" else m.redacted_share,
                        "",
                    ),
                )
            )
        for b in boxes_of.get(document.id, []):
            key = (document.id, b.page_number)
            mark = mark_of.get(key)
            entries.append(
                (
                    b.page_number,
                    b.y0 + b.x0 / 10_000,
                    VaughnRow(
                        document.id,
                        document.title,
                        page_bates.get(key),
                        b.page_number,
                        document.document_date,
                        author,
                        recipient,
                        "redaction",
                        b.codes,
                        b.x0,
                        b.y0,
                        b.x1,
                        b.y1,
                        round(b.x1 - b.x0, 2),
                        round(b.y1 - b.y0, 2),
                        mark.redacted_share if mark else 0.0,
                        b.context,
                    ),
                )
            )
        rows.extend(row for _, _, row in sorted(entries, key=lambda e: (e[0], e[1])))
    return rows
