"""Conformance of the reviewers' notes in the index on every engine: `note:` finds a shared note for every
reader of its collection and a private note for its author alone (the reader named by the request),
never another matter's notes on a shared document; words in any order, prefixes, with the rest of the
query language; and `update_marks` makes a note's change findable at once.

Opted in like search_conformance (`from tests.search.note_conformance import *` beside a `backend_factory`).
Expected values come from the records this module builds, never from an engine.
"""

from __future__ import annotations

import dataclasses

import pytest

from search.backend import SearchBackend, SearchRequest
from search.records import Mark, PageRecord
from tests.search.search_conformance import BackendFactory, load, make_page

__all__ = [
    "note_corpus",
    "noted",
    "test_a_changed_note_is_found_at_once_after_update_marks",
    "test_note_queries_find_shared_notes_in_the_matter_and_private_notes_for_their_author",
    "test_note_words_combine_with_the_query_language",
]

ALICE, CAROL, BOB = "token:tok_a:alice", "token:tok_c:carol", "token:tok_b:bob"


def _note(collection: str, text: str, author: str | None = None) -> Mark:
    return Mark(collection, "note", text, author)  # author None: shared in the collection


@pytest.fixture(scope="module")
def note_corpus() -> list[PageRecord]:
    """`shared` is held by c1 and c2: on its page 1 c1 shares "ask the vendor about pricing" and alice
    keeps "pilot approvals" private; c2 shares "escalate to counsel" on page 2. `own1` (c1): carol's
    private "pilot budget". `own2` (c2): bob's private "pilot contract". `plain` has no note."""
    both = ("c1", "c2")
    return [
        make_page(
            "shared",
            1,
            "zebra memo",
            collections=both,
            page_count=2,
            marks=(_note("c1", "Ask the vendor about pricing"), _note("c1", "Pilot approvals?", ALICE)),
        ),
        make_page(
            "shared", 2, "quokka memo", collections=both, page_count=2, marks=(_note("c2", "Escalate to counsel"),)
        ),
        make_page("own1", 1, "zebra letter", collections=("c1",), marks=(_note("c1", "pilot budget", CAROL),)),
        make_page("own2", 1, "zebra report", collections=("c2",), marks=(_note("c2", "pilot contract", BOB),)),
        make_page("plain", 1, "zebra pricing pilot", collections=("c1",)),
    ]


@pytest.fixture(scope="module")
def noted(backend_factory: BackendFactory, note_corpus: list[PageRecord]) -> SearchBackend:
    return load(backend_factory(), note_corpus)


Scope = tuple[str, ...] | None


def _pages(backend: SearchBackend, query: str, scope: Scope, viewer: str | None) -> set[tuple[str, int]]:
    request = SearchRequest(query=query, collection_ids=scope, viewer=viewer)
    return {(h.document_id, h.page_number) for h in backend.iter_hits(request)}


def _docs(backend: SearchBackend, query: str, scope: Scope, viewer: str | None) -> set[str]:
    resp = backend.search(SearchRequest(query=query, collection_ids=scope, viewer=viewer, page_size=50, facets=()))
    return {d.document_id for d in resp.documents}


def test_note_queries_find_shared_notes_in_the_matter_and_private_notes_for_their_author(noted: SearchBackend) -> None:
    c1, c2 = ("c1",), ("c2",)
    assert _pages(noted, "note:vendor", c1, CAROL) == {("shared", 1)}
    assert _pages(noted, "note:vendor", c2, BOB) == set()  # c1's shared note on the shared document
    assert _pages(noted, "note:counsel", c2, BOB) == {("shared", 2)}
    assert _pages(noted, "note:counsel", c1, ALICE) == set()
    # Private notes: their author only, in their collection.
    assert _pages(noted, "note:pilot", c1, ALICE) == {("shared", 1)}
    assert _pages(noted, "note:pilot", c1, CAROL) == {("own1", 1)}
    assert _pages(noted, "note:pilot", c2, BOB) == {("own2", 1)}
    assert _pages(noted, "note:pilot", c1, None) == set()  # no reader named: shared notes only
    assert _pages(noted, "note:pilot", c2, ALICE) == set()  # alice's note is in c1
    # A reader of every collection: every shared note, and their own private ones.
    assert _pages(noted, "note:vendor OR note:counsel", None, None) == {("shared", 1), ("shared", 2)}
    assert _pages(noted, "note:pilot", None, BOB) == {("own2", 1)}
    assert _pages(noted, "note:pilot", ("c1", "c2"), CAROL) == {("own1", 1)}
    # Words of the page text are not words of its notes, and the other way round.
    assert _pages(noted, "note:zebra", None, ALICE) == set()
    assert _pages(noted, "pricing", c1, ALICE) == {("plain", 1)}
    assert _pages(noted, "note:pricing", c1, ALICE) == {("shared", 1)}


def test_note_words_combine_with_the_query_language(noted: SearchBackend) -> None:
    c1 = ("c1",)
    assert _pages(noted, 'note:"pricing vendor"', c1, CAROL) == {("shared", 1)}  # words in any order
    assert _pages(noted, "note:PRICES", c1, CAROL) == {("shared", 1)}  # stems, any case
    assert _pages(noted, "note:vendor note:counsel", c1, CAROL) == set()
    assert _pages(noted, "note:pric*", c1, CAROL) == {("shared", 1)}
    assert _pages(noted, "note:pil*", c1, CAROL) == {("own1", 1)}
    assert _pages(noted, "zebra AND note:pilot", c1, ALICE) == {("shared", 1)}
    assert _pages(noted, "zebra -note:pilot", c1, CAROL) == {("shared", 1), ("plain", 1)}
    assert _docs(noted, "note:pilot OR note:vendor", c1, CAROL) == {"own1", "shared"}


def test_a_changed_note_is_found_at_once_after_update_marks(
    backend_factory: BackendFactory, note_corpus: list[PageRecord]
) -> None:
    backend = load(backend_factory(), note_corpus)
    plain = next(r for r in note_corpus if r.document_id == "plain")
    own1 = next(r for r in note_corpus if r.document_id == "own1")
    changed = [
        dataclasses.replace(plain, marks=(_note("c1", "Redaction looks wrong"),)),
        dataclasses.replace(own1, marks=(_note("c1", "pilot budget", None),)),  # carol shares hers
    ]
    assert backend.update_marks(changed) == 2
    backend.commit()
    assert _pages(backend, "note:redaction", ("c1",), CAROL) == {("plain", 1)}
    assert _pages(backend, "note:pilot", ("c1",), ALICE) == {("shared", 1), ("own1", 1)}
    assert _pages(backend, "note:pilot", ("c2",), BOB) == {("own2", 1)}
    assert _pages(backend, "zebra pricing pilot", ("c1",), None) == {("plain", 1)}  # the text is untouched
