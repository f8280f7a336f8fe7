"""Conformance of the reviewers' marks (review tags) on every engine: the tag facet, filter and `tag:`
query within the reader's scope only (a shared document tagged differently by two matters), document tags
on every page and page tags on their page, and `update_marks` changing the marks alone, at once after
commit, without touching what else the page matches.

Opted in like search_conformance (`from tests.search.tag_conformance import *` beside a `backend_factory`).
Expected values come from the records this module builds, never from an engine.
"""

from __future__ import annotations

import dataclasses

import pytest

from search.backend import SearchBackend, SearchRequest
from search.records import Mark, PageRecord
from tests.search.search_conformance import BackendFactory, load, make_page

__all__ = [
    "tag_corpus",
    "tagged",
    "test_a_document_tag_is_on_every_page_and_a_page_tag_on_its_page",
    "test_tag_facet_filter_and_query_stay_in_the_readers_scope",
    "test_update_marks_changes_only_the_marks_and_shows_at_once",
]


def _tag(collection: str, value: str) -> Mark:
    return Mark(collection, "tag", value)


@pytest.fixture(scope="module")
def tag_corpus() -> list[PageRecord]:
    """`shared` is held by c1 and c2: c1 calls it hot, c2 privileged. `own1` (c1) is hot on page 2 only;
    `own2` (c2) is hot as a document; `plain` has no tag."""
    both = ("c1", "c2")
    return [
        make_page(
            "shared",
            1,
            "zebra memo",
            collections=both,
            page_count=2,
            marks=(_tag("c1", "hot"), _tag("c2", "privileged")),
        ),
        make_page(
            "shared",
            2,
            "quokka memo",
            collections=both,
            page_count=2,
            marks=(_tag("c1", "hot"), _tag("c2", "privileged")),
        ),
        make_page("own1", 1, "zebra letter", collections=("c1",), page_count=2),
        make_page("own1", 2, "quokka letter", collections=("c1",), page_count=2, marks=(_tag("c1", "hot"),)),
        make_page("own2", 1, "zebra report", collections=("c2",), marks=(_tag("c2", "hot"),)),
        make_page("plain", 1, "zebra", collections=("c1",)),
    ]


@pytest.fixture(scope="module")
def tagged(backend_factory: BackendFactory, tag_corpus: list[PageRecord]) -> SearchBackend:
    return load(backend_factory(), tag_corpus)


def _docs(backend: SearchBackend, query: str = "", **kw: object) -> set[str]:
    resp = backend.search(SearchRequest(query=query, page_size=50, facets=(), **kw))  # type: ignore[arg-type]
    return {d.document_id for d in resp.documents}


def _facet(backend: SearchBackend, collections: tuple[str, ...] | None, query: str = "") -> dict[str, int]:
    resp = backend.search(SearchRequest(query=query, collection_ids=collections, facets=("tag",)))
    return {v.value: v.count for v in resp.facets["tag"]}


def test_tag_facet_filter_and_query_stay_in_the_readers_scope(tagged: SearchBackend) -> None:
    c1, c2 = ("c1",), ("c2",)
    assert _facet(tagged, c1) == {"hot": 2}
    assert _facet(tagged, c2) == {"hot": 1, "privileged": 1}
    assert _facet(tagged, None) == {"hot": 3, "privileged": 1}
    assert _facet(tagged, ("c1", "c2")) == {"hot": 3, "privileged": 1}
    assert _facet(tagged, ()) == {}
    # c1's `hot` on the shared document is not c2's: c2 finds only its own hot document.
    assert _docs(tagged, "tag:hot", collection_ids=c1) == {"shared", "own1"}
    assert _docs(tagged, "tag:hot", collection_ids=c2) == {"own2"}
    assert _docs(tagged, filters={"tag": ["hot"]}, collection_ids=c2) == {"own2"}
    assert _docs(tagged, filters={"tag": ["privileged"]}, collection_ids=c1) == set()
    assert _docs(tagged, "tag:privileged", collection_ids=c1) == set()
    assert _docs(tagged, "tag:privileged", collection_ids=c2) == {"shared"}
    assert _docs(tagged, "tag:hot", collection_ids=None) == {"shared", "own1", "own2"}
    assert _docs(tagged, "tag:HOT OR tag:privileged", collection_ids=c2) == {"own2", "shared"}
    assert _docs(tagged, "zebra -tag:hot", collection_ids=c1) == {"plain", "own1"}
    assert _docs(tagged, "tag:hot*", collection_ids=c1) == {"shared", "own1"}
    # The filter is OR within itself, AND with the rest, and its own facet stays multi-select.
    resp = tagged.search(SearchRequest(filters={"tag": ["hot"]}, collection_ids=c2, facets=("tag",)))
    assert {v.value: v.count for v in resp.facets["tag"]} == {"hot": 1, "privileged": 1}
    assert _docs(tagged, "zebra", filters={"tag": ["hot", "privileged"]}, collection_ids=c2) == {"own2", "shared"}


def test_a_document_tag_is_on_every_page_and_a_page_tag_on_its_page(tagged: SearchBackend) -> None:
    resp = tagged.search(SearchRequest(query="tag:hot", collection_ids=("c1",), facets=()))
    pages = {d.document_id: d.hit_pages for d in resp.documents}
    assert pages == {"shared": 2, "own1": 1}
    assert resp.total_pages == 3
    assert _docs(tagged, "zebra AND tag:hot", collection_ids=("c1",)) == {"shared"}  # own1's page 1 is untagged
    assert _docs(tagged, "quokka AND tag:hot", collection_ids=("c1",)) == {"shared", "own1"}
    exported = {
        (h.document_id, h.page_number) for h in tagged.iter_hits(SearchRequest(query="tag:hot", collection_ids=("c1",)))
    }
    assert exported == {("shared", 1), ("shared", 2), ("own1", 2)}


def test_update_marks_changes_only_the_marks_and_shows_at_once(
    backend_factory: BackendFactory, tag_corpus: list[PageRecord]
) -> None:
    backend = load(backend_factory(), tag_corpus)
    before_text = _docs(backend, "zebra OR quokka")
    before_count = backend.count()
    plain = next(r for r in tag_corpus if r.document_id == "plain")
    own1 = [r for r in tag_corpus if r.document_id == "own1"]
    changed = [
        dataclasses.replace(plain, marks=(_tag("c1", "relevant"),)),
        *(dataclasses.replace(r, marks=()) for r in own1),  # c1 removes own1's page tag
    ]
    assert backend.update_marks(changed) == 3
    backend.commit()
    assert _docs(backend, "tag:relevant", collection_ids=("c1",)) == {"plain"}
    assert _docs(backend, "tag:hot", collection_ids=("c1",)) == {"shared"}
    assert _facet(backend, ("c1",)) == {"hot": 1, "relevant": 1}
    # Text, scope and the page count are as they were: the marks alone changed.
    assert _docs(backend, "zebra OR quokka") == before_text
    assert backend.count() == before_count
    assert _docs(backend, "zebra", filters={"tag": ["relevant"]}, collection_ids=("c1",)) == {"plain"}
