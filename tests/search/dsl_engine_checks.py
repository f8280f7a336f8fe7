"""Behaviour of the Elasticsearch/OpenSearch backend beyond the conformance suite (alias swaps, expired
points in time), run on both real nodes by test_search_opensearch.py and test_search_elasticsearch.py."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from search.backend import SearchBackend, SearchRequest
from search.dsl_backend import DslBackend
from tests.search.search_conformance import all_documents, load, make_page

__all__ = [
    "test_drop_and_rebuild_swap_the_alias_to_a_new_index",
    "test_pagination_survives_an_expired_point_in_time",
    "test_points_in_time_are_shared_and_bounded",
]


def test_drop_and_rebuild_swap_the_alias_to_a_new_index(backend_factory: Callable[[], SearchBackend]) -> None:
    backend = backend_factory()
    assert isinstance(backend, DslBackend)
    load(backend, [make_page("old", 1, "alpha"), make_page("old", 2, "beta")])
    (first,) = backend.client.alias_targets(backend.alias)
    with backend.rebuild():
        backend.index_pages([make_page("new", 1, "alpha")])
        backend.commit()
        # Searches still read the old index while the new one is built.
        assert backend.count() == 2
        assert backend.client.alias_targets(backend.alias) == [first]
    (second,) = backend.client.alias_targets(backend.alias)
    assert second != first
    assert backend.count() == 1
    assert all_documents(backend, SearchRequest(query="alpha")) == ["new"]
    backend.drop()
    (third,) = backend.client.alias_targets(backend.alias)
    assert third not in (first, second)
    assert backend.count() == 0


def test_pagination_survives_an_expired_point_in_time(backend_factory: Callable[[], SearchBackend]) -> None:
    backend = backend_factory()
    assert isinstance(backend, DslBackend)
    load(backend, [make_page(f"d{n}", 1, "alpha " * (n + 1)) for n in range(6)])
    expected = all_documents(backend, SearchRequest(query="alpha", page_size=6))
    first = backend.search(SearchRequest(query="alpha", page_size=3, facets=()))
    assert first.next_cursor is not None
    raw = first.next_cursor + "=" * (-len(first.next_cursor) % 4)
    pit = json.loads(base64.urlsafe_b64decode(raw))["s"]
    assert pit is not None
    backend.client.close_pit(pit)  # as if its keep-alive had run out
    load(backend, [make_page("aaa", 1, "alpha alpha alpha alpha alpha alpha alpha alpha")])
    second = backend.search(SearchRequest(query="alpha", page_size=3, facets=(), cursor=first.next_cursor))
    got = [d.document_id for d in first.documents + second.documents]
    assert got == expected
    assert second.next_cursor is None


def test_points_in_time_are_shared_and_bounded(backend_factory: Callable[[], SearchBackend]) -> None:
    backend = backend_factory()
    assert isinstance(backend, DslBackend)
    backend.pits.max_open = 3
    backend.pits.share_seconds = 120.0  # "within a second" on a loaded machine
    load(backend, [make_page(f"d{n}", 1, "alpha " * (n + 1)) for n in range(6)])
    expected = all_documents(backend, SearchRequest(query="alpha", page_size=6))
    # Searches close together share one point in time.
    firsts = [backend.search(SearchRequest(query="alpha", page_size=2, facets=())) for _ in range(5)]
    assert len(backend.pits) == 1
    # A commit makes the next search open a fresh one; never more than pits.max_open stay open.
    for n in range(5):
        load(backend, [make_page(f"extra-{n}", 1, "beta")])
        backend.search(SearchRequest(query="alpha", page_size=2, facets=()))
    assert len(backend.pits) == 3
    # The first cursors' point in time was closed: they still page through the same documents.
    cursor = firsts[0].next_cursor
    got = [d.document_id for d in firsts[0].documents]
    while cursor is not None:
        resp = backend.search(SearchRequest(query="alpha", page_size=2, facets=(), cursor=cursor))
        got += [d.document_id for d in resp.documents]
        cursor = resp.next_cursor
    assert got == expected
