"""Which documents make one result page in tantivy, resumed after a cursor's key.

Each order is one function over a pinned searcher and the full query: relevance (best page score,
ties by document id), document id (relevance without words to score) and date (undated last, ties by
document id). They return the documents picked and whether more follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tantivy

from search import index_fields as F
from search.backend import DocumentHit
from search.calendar import EPOCH
from search.cursor import CursorKeys, KeyPart
from search.tantivy_schema import DOC_KEY
from search.tantivy_ties import Member, first_by_id

_Occur = tantivy.Occur
BEST_PAGES = 3
RELEVANCE_WINDOW_START = 256
MAX_RELEVANCE_WINDOW = 200_000
# Relevance resumes after the last document's score and id; date orders after its day (null: undated) and id.
CURSOR_KEYS: CursorKeys = {
    "relevance": (KeyPart.SCORE, KeyPart.DOCUMENT_ID),
    "date_desc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
    "date_asc": (KeyPart.DAY, KeyPart.DOCUMENT_ID),
}


@dataclass(frozen=True)
class Picked:
    """A document chosen for the result page, with its best pages when already known."""

    document_id: str
    score: float | None  # the relevance sort key; None when sorting by date
    pages: list[tuple[float, tantivy.DocAddress]]  # best first; may be incomplete (then searched)


def after_key(sort: str, last: DocumentHit) -> list[Any]:
    """The cursor key that resumes after `last` (see CURSOR_KEYS)."""
    if sort == "relevance":
        return [last.score, last.document_id]
    day = None if last.document_date is None else (last.document_date - EPOCH).days
    return [day, last.document_id]


def relevance_page(
    searcher: tantivy.Searcher, query: tantivy.Query, after: list[Any] | None, size: int
) -> tuple[list[Picked], bool]:
    """Documents ordered by best page score desc, then document id asc, after the cursor.

    Pages come from tantivy by score; a document's first page seen carries its best score.
    Documents whose best score equals the lowest score fetched may still have a tied page
    beyond the window, so they only count once the window is exhausted or widened.
    """
    after_score = None if after is None else float(after[0])
    after_id = None if after is None else str(after[1])
    window = max(RELEVANCE_WINDOW_START, size * 8)
    total: int | None = None
    while True:
        found = searcher.search(query, window, count=total is None)
        if total is None:
            # SearchResult.count is missing from tantivy-py's type stub.
            total = int(getattr(found, "count", 0) or 0)
        hits = found.hits
        exhausted = len(hits) < window
        # At the window cap, documents tied at the floor are taken as they come (best effort:
        # a tied page beyond the cap could reorder them) rather than never returned.
        settled = exhausted or window >= MAX_RELEVANCE_WINDOW
        keys = [int(k or 0) for k in searcher.fast_field_values(DOC_KEY, [a for _, a in hits])] if hits else []
        floor = float(hits[-1][0]) if hits else 0.0
        # Each document's first page in the window carries its best score (reversed: first wins).
        best = dict(zip(reversed(keys), reversed(hits), strict=True))
        candidates = sorted(
            (
                (float(score), Member(addr, k))
                for k, (score, addr) in best.items()
                if (settled or score > floor) and (after_score is None or score <= after_score)
            ),
            key=lambda t: -t[0],
        )
        ranked, groups_left = _rank(searcher, candidates, size + 1, after_score, after_id)
        if len(ranked) > size or settled:
            has_more = len(ranked) > size or groups_left or not exhausted
            shown = ranked[:size]
            pages = best_pages(hits, keys, {k for _, _, k in shown}, include_floor=settled, floor=floor)
            return [Picked(doc_id, score, pages.get(k, [])) for score, doc_id, k in shown], has_more
        if hits and float(hits[0][0]) == floor and total > window:
            # The whole window is one tie: growing it step by step would rescan the tie each time.
            window = min(total, MAX_RELEVANCE_WINDOW)
        else:
            window *= 4


def _rank(
    searcher: tantivy.Searcher,
    candidates: list[tuple[float, Member]],
    need: int,
    after_score: float | None,
    after_id: str | None,
) -> tuple[list[tuple[float, str, int]], bool]:
    """The first `need` candidates by score desc, id asc (after the cursor), and whether score groups
    were left unread. Ids are read only for the tie groups that reach the page."""
    ranked: list[tuple[float, str, int]] = []
    i = 0
    while i < len(candidates) and len(ranked) < need:
        j = i
        while j < len(candidates) and candidates[j][0] == candidates[i][0]:
            j += 1
        score = candidates[i][0]
        members = [m for _, m in candidates[i:j]]
        group_after = after_id if after_score is not None and score == after_score else None
        ranked += [(score, doc_id, k) for doc_id, k in first_by_id(searcher, members, need - len(ranked), group_after)]
        i = j
    return ranked, i < len(candidates)


def best_pages(
    hits: list[tuple[float, tantivy.DocAddress]], keys: list[int], shown: set[int], *, include_floor: bool, floor: float
) -> dict[int, list[tuple[float, tantivy.DocAddress]]]:
    """The best pages in the window of the documents shown. Pages above the floor are all in the
    window, so a document's first three there are its best three; pages at the floor may have tied
    twins outside it (then the hit reader searches the document's pages itself)."""
    pages: dict[int, list[tuple[float, tantivy.DocAddress]]] = {}
    for (score, addr), k in zip(hits, keys, strict=True):
        if k in shown and (include_floor or score > floor):
            mine = pages.setdefault(k, [])
            if len(mine) < BEST_PAGES:
                mine.append((float(score), addr))
    return pages


def id_page(
    searcher: tantivy.Searcher, query: tantivy.Query, after: list[Any] | None, size: int
) -> tuple[list[Picked], bool]:
    comp: dict[str, Any] = {"size": size + 1, "sources": [{"i": {"terms": {"field": F.DOCUMENT_ID}}}]}
    if after is not None:
        comp["after"] = {"i": f"str:{after[1]}"}
    out = searcher.aggregate(query, {"c": {"composite": comp}})
    ids = [str(b["key"]["i"]) for b in out["c"]["buckets"]]
    return [Picked(doc_id, 0.0, []) for doc_id in ids[:size]], len(ids) > size


def date_page(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    after: list[Any] | None,
    size: int,
    sort: str,
) -> tuple[list[Picked], bool]:
    """Documents by date (undated last), ties by document id, via a composite aggregation
    over (day, document id) resumed after the cursor's key."""
    order = "asc" if sort == "date_asc" else "desc"
    results: list[tuple[str, int | None]] = []
    after_day = None if after is None else after[0]
    after_id = None if after is None else str(after[1])
    # Phase 1: dated documents (skipped when the cursor is already among undated ones).
    if after is None or after_day is not None:
        src = [{"d": {"terms": {"field": F.DAY, "order": order}}}, {"i": {"terms": {"field": F.DOCUMENT_ID}}}]
        comp: dict[str, Any] = {"size": size + 1, "sources": src}
        if after_day is not None:
            comp["after"] = {"d": f"i64:{int(after_day)}", "i": f"str:{after_id}"}
        dated = tantivy.Query.boolean_query([(_Occur.Must, query), (_Occur.Must, tantivy.Query.exists_query(F.DAY))])
        out = searcher.aggregate(dated, {"c": {"composite": comp}})
        results += [(b["key"]["i"], int(b["key"]["d"])) for b in out["c"]["buckets"]]
    if len(results) <= size:
        comp = {"size": size + 1 - len(results), "sources": [{"i": {"terms": {"field": F.DOCUMENT_ID}}}]}
        if after is not None and after_day is None:
            comp["after"] = {"i": f"str:{after_id}"}
        undated = tantivy.Query.boolean_query(
            [(_Occur.Must, query), (_Occur.MustNot, tantivy.Query.exists_query(F.DAY))]
        )
        out = searcher.aggregate(undated, {"c": {"composite": comp}})
        results += [(b["key"]["i"], None) for b in out["c"]["buckets"]]
    return [Picked(doc_id, None, []) for doc_id, _ in results[:size]], len(results) > size
