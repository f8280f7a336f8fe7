"""Documents tied at one relevance score, put in document id order while reading few stored ids.

A query without much to tell pages apart (one rare word, a field and a term) can tie thousands of
documents at one score. Reading each one's stored id to sort them cost most of such a search; the
order key (search.tantivy_schema.doc_order, two fast fields) sorts them instead, and stored ids are
read only for the members whose key prefix cannot settle their place on the result page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import tantivy

from search import index_fields as F
from search.tantivy_schema import DOC_ORDER, doc_order


class Member(NamedTuple):
    """One document of a tie group: its best page's address and its document key."""

    address: tantivy.DocAddress
    key: int


def document_id_at(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> str:
    return str(searcher.doc(address).get_first(F.DOCUMENT_ID))


def first_by_id(
    searcher: tantivy.Searcher, members: Sequence[Member], need: int, after_id: str | None
) -> list[tuple[str, int]]:
    """Up to `need` members with ids above `after_id` (None: all), as (document id, key) in id order."""
    if need <= 0 or not members:
        return []
    orders = _order_keys(searcher, members)
    if orders is None:  # a segment written before the order key: read every id
        return _by_stored_id(searcher, members, need, after_id)
    ranked = sorted(range(len(members)), key=lambda i: orders[i])
    known: dict[int, str] = {}  # stored ids already read, by member position
    if after_id is not None:
        floor = doc_order(after_id)
        # A smaller key means a smaller id; an equal key needs the stored id to tell.
        kept = []
        for i in ranked:
            if orders[i] < floor:
                continue
            if orders[i] == floor:
                known[i] = document_id_at(searcher, members[i].address)
                if known[i] <= after_id:
                    continue
            kept.append(i)
        ranked = kept
    # The first `need` by key can reach the page, with every member sharing the last one's key.
    cut = min(need, len(ranked))
    if cut == 0:
        return []
    boundary = orders[ranked[cut - 1]]
    while cut < len(ranked) and orders[ranked[cut]] == boundary:
        cut += 1
    named = [(known.get(i) or document_id_at(searcher, members[i].address), members[i].key) for i in ranked[:cut]]
    return sorted(named)[:need]


def _by_stored_id(
    searcher: tantivy.Searcher, members: Sequence[Member], need: int, after_id: str | None
) -> list[tuple[str, int]]:
    named = [(document_id_at(searcher, m.address), m.key) for m in members]
    if after_id is not None:
        named = [pair for pair in named if pair[0] > after_id]
    return sorted(named)[:need]


def _order_keys(searcher: tantivy.Searcher, members: Sequence[Member]) -> list[tuple[int, ...]] | None:
    addresses = [m.address for m in members]
    columns = [searcher.fast_field_values(name, addresses) for name in DOC_ORDER]
    keys: list[tuple[int, ...]] = []
    for parts in zip(*columns, strict=True):
        if any(part is None for part in parts):
            return None
        keys.append(tuple(int(part) for part in parts))
    return keys
