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


def document_id_at(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> str:
    return str(searcher.doc(address).get_first(F.DOCUMENT_ID))


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
    after_id = "" if after is None else str(after[1])
    window = max(RELEVANCE_WINDOW_START, size * 8)
    while True:
        hits = searcher.search(query, window, count=False).hits
        exhausted = len(hits) < window
        # At the window cap, documents tied at the floor are taken as they come (best effort:
        # a tied page beyond the cap could reorder them) rather than never returned.
        last_try = window >= MAX_RELEVANCE_WINDOW
        keys = searcher.fast_field_values(DOC_KEY, [a for _, a in hits]) if hits else []
        floor = float(hits[-1][0]) if hits else 0.0
        best: dict[int, tuple[float, tantivy.DocAddress]] = {}
        # Pages above the floor are all in the window, so a document's first three there are
        # its best three; pages at the floor may have tied twins outside it.
        window_pages: dict[int, list[tuple[float, tantivy.DocAddress]]] = {}
        for (score, addr), key in zip(hits, keys, strict=True):
            k = int(key or 0)
            if k not in best:
                best[k] = (float(score), addr)
            if exhausted or last_try or score > floor:
                pages = window_pages.setdefault(k, [])
                if len(pages) < BEST_PAGES:
                    pages.append((float(score), addr))
        candidates = sorted(
            (
                (score, addr, k)
                for k, (score, addr) in best.items()
                if (exhausted or last_try or score > floor) and (after_score is None or score <= after_score)
            ),
            key=lambda t: -t[0],
        )
        # Document ids are read only for the tie groups that reach the page.
        ranked: list[tuple[float, str, int]] = []
        i = 0
        while i < len(candidates) and len(ranked) <= size:
            j = i
            while j < len(candidates) and candidates[j][0] == candidates[i][0]:
                j += 1
            group = [(score, document_id_at(searcher, addr), k) for score, addr, k in candidates[i:j]]
            if after_score is not None and candidates[i][0] == after_score:
                group = [g for g in group if g[1] > after_id]
            ranked += sorted(group, key=lambda g: g[1])
            i = j
        if len(ranked) > size or exhausted or last_try:
            has_more = len(ranked) > size or i < len(candidates) or not exhausted
            picked = [Picked(doc_id, score, window_pages.get(k, [])) for score, doc_id, k in ranked[:size]]
            return picked, has_more
        window *= 4


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
