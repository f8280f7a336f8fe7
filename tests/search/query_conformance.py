"""Conformance of the query language's fuzzy terms, Bates ranges and refused syntax, on every engine.

Opted into like search_conformance (`from tests.search.query_conformance import *` next to a module
fixture `backend_factory`). Expected answers come from a plain-Python Levenshtein distance and Bates
parse over the generated pages, never from an engine.
"""

from __future__ import annotations

import dataclasses
import random
import re
import string
from collections.abc import Callable

import pytest

from search.analysis import stems
from search.backend import SearchBackend, SearchRequest
from search.query import QuerySyntaxError
from search.records import LinkName, PageRecord
from tests.search.search_conformance import ids, load, make_page

__all__ = [
    "test_bates_ranges_compare_numbers_within_one_prefix",
    "test_file_names_match_their_words_within_the_readers_scope",
    "test_fuzzy_terms_match_words_within_the_edit_distance",
    "test_unsupported_syntax_is_refused_not_matched",
]

BackendFactory = Callable[[], SearchBackend]
BASE = "zorvak"  # its own stem, so edits of the word are edits of the index term


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _edited(rng: random.Random, word: str, edits: int) -> str:
    for _ in range(edits):
        i = rng.randrange(len(word) + 1)
        op = rng.choice("ids")
        c = rng.choice(string.ascii_lowercase)
        if op == "i":
            word = word[:i] + c + word[i:]
        elif op == "d" and i < len(word):
            word = word[:i] + word[i + 1 :]
        elif i < len(word):
            word = word[:i] + c + word[i + 1 :]
    return word


def test_fuzzy_terms_match_words_within_the_edit_distance(backend_factory: BackendFactory) -> None:
    rng = random.Random(11)
    # Far more distinct near words than a top-50 expansion keeps, a transposition (two edits under
    # Levenshtein) and words 3+ edits away.
    variants = [_edited(rng, BASE, rng.randint(0, 3)) for _ in range(160)] + ["zorvka", "zorak", "xzorvakqq"]
    pages = [make_page(f"fz-{n:03d}", 1, f"memo about {w} and budget") for n, w in enumerate(variants)]
    backend = load(backend_factory(), pages)
    target = stems(BASE)[0]
    for distance in (1, 2):
        expected = {p.document_id for p in pages if any(levenshtein(target, s) <= distance for s in stems(p.text))}
        assert len(expected) > 50 if distance == 2 else expected, distance
        assert ids(backend, f"{BASE}~{distance}") == expected, distance
        resp = backend.search(SearchRequest(query=f"{BASE}~{distance}", facets=()))
        assert resp.total_pages == len(expected)
    assert "fz-160" not in ids(backend, f"{BASE}~1")  # zorvka: a transposition is two edits
    assert "fz-160" in ids(backend, f"{BASE}~2")
    # A fuzzy word combines like any term.
    both = ids(backend, f"{BASE}~1 AND -budget")
    assert both == set()
    with pytest.raises(QuerySyntaxError):
        backend.search(SearchRequest(query=f"{BASE}~3"))


_STAMP = re.compile(r"(.*?)(\d+)$")


def _stamp_parts(stamp: str) -> tuple[str, int]:
    m = _STAMP.match(stamp)
    assert m is not None
    return m.group(1).strip(" -_").lower(), int(m.group(2))


def _stamped(doc: str, page: int, stamp: str) -> PageRecord:
    return dataclasses.replace(make_page(doc, page, "production page text", page_count=3), bates=stamp)


def test_bates_ranges_compare_numbers_within_one_prefix(backend_factory: BackendFactory) -> None:
    pages: list[PageRecord] = []
    number = 110
    for n in range(8):  # FBI-000110 .. FBI-000133, three pages a document
        for p in range(1, 4):
            pages.append(_stamped(f"fbi-{n}", p, f"FBI-{number:06d}"))
            number += 1
    # Another prefix with the same numbers, and numbers whose text order differs from numeric order.
    pages += [_stamped("epa-0", p, f"EPA-{117 + p:06d}") for p in range(1, 4)]
    pages += [_stamped("short-0", 1, "FBI-9"), _stamped("long-0", 1, "FBI-1000000")]
    pages += [dataclasses.replace(make_page("unstamped", 1, "no bates"), bates=None)]
    backend = load(backend_factory(), pages)

    def expected(prefix: str, lo: int | None, hi: int | None) -> tuple[set[str], int]:
        hit = []
        for p in pages:
            if p.bates is None:
                continue
            pre, num = _stamp_parts(p.bates)
            if pre == prefix and (lo is None or num >= lo) and (hi is None or num <= hi):
                hit.append(p)
        return {p.document_id for p in hit}, len(hit)

    cases = [
        ("bates:[FBI-000117 TO FBI-000120]", ("fbi", 117, 120)),
        ("bates:[FBI-117 TO FBI-120]", ("fbi", 117, 120)),
        ("bates:[fbi_000125 TO FBI 000200]", ("fbi", 125, 200)),
        ("bates:[FBI-000001 TO FBI-000010]", ("fbi", 1, 10)),
        ("bates:[FBI-000130 TO *]", ("fbi", 130, None)),
        ("bates:[* TO EPA-000119]", ("epa", None, 119)),
    ]
    for query, (prefix, lo, hi) in cases:
        docs, n_pages = expected(prefix, lo, hi)
        assert docs, query  # every case finds something to compare
        assert ids(backend, query) == docs, query
        assert backend.search(SearchRequest(query=query, facets=())).total_pages == n_pages, query
    assert ids(backend, "bates:[FBI-000117 TO FBI-000120] -bates:FBI-000119 -bates:FBI-000120") == {"fbi-2"}
    for bad in ("bates:[FBI-000117 TO EPA-000120]", "bates:[FBI-000120 TO FBI-000117]", "bates:[FBI TO FBI-2]"):
        with pytest.raises(QuerySyntaxError):
            backend.search(SearchRequest(query=bad))


def test_unsupported_syntax_is_refused_not_matched(backend_factory: BackendFactory) -> None:
    backend = load(backend_factory(), [make_page("p-1", 1, "policy memo"), make_page("p-2", 1, "budget")])
    for query, position in (("\\", 0), (":", 0), ("  :", 2), ("policy^2", 6), ("pol?cy", 3), ("vendor:[a TO b]", 7)):
        with pytest.raises(QuerySyntaxError) as info:
            backend.search(SearchRequest(query=query))
        assert info.value.position == position, query
        assert info.value.hint, query
    assert ids(backend, "policy~1") == {"p-1"}
    assert ids(backend, "") == {"p-1", "p-2"}


def test_file_names_match_their_words_within_the_readers_scope(backend_factory: BackendFactory) -> None:
    def named(doc: str, *links: tuple[str, str, str]) -> PageRecord:
        page = make_page(doc, 1, "release text")
        return dataclasses.replace(page, links=tuple(LinkName(c, "prod-1", "Release 1", f, t) for c, f, t in links))

    pages = [
        named("pilot", ("c1", "FBI_OTD_Rekognition_Pilot_EC_2018-03-14.pdf", "Pilot EC")),
        # Another matter calls its copy of a shared document by words the first never used.
        named("shared", ("c1", "memo-0001.pdf", "Memo"), ("c2", "Rekognition contract.pdf", "Contract")),
        named("other", ("c2", "budget_review.pdf", "Budget")),
    ]
    backend = load(backend_factory(), pages)
    c1, c2 = ("c1",), ("c2",)
    assert ids(backend, "file:rekognition", collection_ids=c1) == {"pilot"}
    assert ids(backend, "file:rekognition", collection_ids=c2) == {"shared"}
    assert ids(backend, "file:rekognition") == {"pilot", "shared"}
    assert ids(backend, 'file:"pilot rekognition"', collection_ids=c1) == {"pilot"}  # words in any order
    assert ids(backend, "file:contract", collection_ids=c1) == set()
    assert ids(backend, "file:FBI_OTD_Rekognition_Pilot_EC_2018-03-14.pdf", collection_ids=c1) == {"pilot"}
    assert ids(backend, "file:memo-0001.pdf", collection_ids=c2) == set()
    assert ids(backend, "file:budget", collection_ids=c1) == set()
    assert ids(backend, "file:pilots", collection_ids=c1) == {"pilot"}  # stemmed like the title
    assert ids(backend, "title:contract", collection_ids=c2) == {"shared"}
    assert ids(backend, "title:contract", collection_ids=c1) == set()
