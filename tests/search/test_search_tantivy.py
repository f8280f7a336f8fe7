"""The conformance suite on the embedded tantivy backend, plus tantivy-only behaviour."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backend import SearchBackend, SearchRequest
from search.query import QuerySyntaxError
from search.tantivy_backend import TantivyBackend
from search.tantivy_schema import IndexSchemaMismatch
from tests.search.evaluate_agreement import *  # noqa: F403
from tests.search.note_conformance import *  # noqa: F403
from tests.search.query_conformance import *  # noqa: F403
from tests.search.search_conformance import *  # noqa: F403
from tests.search.search_conformance import load, make_page
from tests.search.tag_conformance import *  # noqa: F403


@pytest.fixture(scope="module")
def backend_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], SearchBackend]]:
    made: list[TantivyBackend] = []

    def make() -> SearchBackend:
        backend = TantivyBackend(tmp_path_factory.mktemp("tantivy"), heap_size=15_000_000)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.destroy()


def test_reopen_keeps_pages_and_sequence(tmp_path: Path) -> None:
    first = TantivyBackend(tmp_path / "idx", heap_size=15_000_000)
    load(first, [make_page("a", 1, "alpha"), make_page("b", 1, "alpha")])
    first.close()
    second = TantivyBackend(tmp_path / "idx", heap_size=15_000_000)
    assert second.count() == 2
    load(second, [make_page("c", 1, "alpha")])
    resp = second.search(SearchRequest(query="alpha", sort="date_asc"))
    assert [d.document_id for d in resp.documents] == ["a", "b", "c"]
    second.close()


def test_cursor_survives_an_expired_snapshot(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "idx", heap_size=15_000_000, snapshot_ttl=0.0)
    load(backend, [make_page(f"d{n}", 1, "alpha") for n in range(6)])
    first = backend.search(SearchRequest(query="", sort="date_desc", page_size=3))
    load(backend, [make_page("aaa", 1, "alpha")])
    assert first.next_cursor is not None
    second = backend.search(SearchRequest(query="", sort="date_desc", page_size=3, cursor=first.next_cursor))
    got = [d.document_id for d in first.documents + second.documents]
    assert got == [f"d{n}" for n in range(6)]
    backend.close()


def test_an_index_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    TantivyBackend(tmp_path / "idx", heap_size=15_000_000).close()
    (tmp_path / "idx" / "foia_schema_version").write_text("0\n")
    with pytest.raises(IndexSchemaMismatch, match="reindex"):
        TantivyBackend(tmp_path / "idx", heap_size=15_000_000)


def test_relevance_paging_ends_when_ties_exceed_the_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.tantivy_paging as paging

    monkeypatch.setattr(paging, "RELEVANCE_WINDOW_START", 4)
    monkeypatch.setattr(paging, "MAX_RELEVANCE_WINDOW", 16)
    backend = TantivyBackend(tmp_path / "idx", heap_size=15_000_000)
    # 30 one-page documents with identical text: every page ties.
    load(backend, [make_page(f"d{n:02d}", 1, "same words here") for n in range(30)])
    for query in ("same", "", "file:d* OR vendor:nobody"):
        seen: list[str] = []
        cursor = None
        for _ in range(40):
            resp = backend.search(SearchRequest(query=query, page_size=3, cursor=cursor, facets=()))
            seen += [d.document_id for d in resp.documents]
            cursor = resp.next_cursor
            if cursor is None:
                break
        assert cursor is None, query
        assert len(seen) == len(set(seen)), query
        if query == "same":
            # Text ties beyond the window cap are best effort: no repeats, paging ends.
            continue
        # Queries without words rank everything alike: plain document id order, complete.
        assert seen == [f"d{n:02d}" for n in range(30)], query
    backend.close()


def test_total_documents_is_exact_where_the_estimate_drifts(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "idx", heap_size=50_000_000)
    pages = [make_page(f"d{n:05d}", p, "alpha beta" if n % 2 else "alpha") for n in range(2000) for p in (1, 2)]
    load(backend, pages)
    assert backend.search(SearchRequest(query="alpha", facets=())).total_documents == 2000
    assert backend.search(SearchRequest(query="beta", facets=())).total_documents == 1000
    backend.close()


_SOUP = [
    "alpha",
    "beta",
    "FBI-000123",
    "AND",
    "OR",
    "NOT",
    "(",
    ")",
    '"alpha beta"',
    '"alpha beta gamma"~7',
    "w/3",
    "pre/2",
    "w/100",
    "-",
    "-alpha",
    "al*",
    "alpha!",
    "vendor:amazon",
    'vendor:"Clearview AI"',
    "bates:FBI*",
    "file:a*",
    "exemption:(b)(6)",
    "title:record",
    "title:rec*",
    "date:2019",
    "date:[2018 TO *]",
    "x" * 50,
    "é",
    '(alpha OR beta* OR "a b")',
]


@pytest.fixture(scope="module")
def fuzz_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TantivyBackend]:
    backend = TantivyBackend(tmp_path_factory.mktemp("fuzz"), heap_size=15_000_000)
    load(
        backend,
        [make_page(f"d{n}", 1, "alpha beta gamma FBI-000123 record", vendors=("vendor:amazon",)) for n in range(5)],
    )
    yield backend
    backend.destroy()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_SOUP), max_size=12), st.sampled_from(["relevance", "date_asc"]))
def test_any_query_either_runs_or_is_a_syntax_error(fuzz_backend: TantivyBackend, tokens: list[str], sort: str) -> None:
    try:
        resp = fuzz_backend.search(SearchRequest(query=" ".join(tokens), sort=sort, page_size=2, histogram="year"))  # type: ignore[arg-type]
    except QuerySyntaxError:
        return
    assert resp.total_documents <= 5
    if resp.next_cursor:
        fuzz_backend.search(SearchRequest(query=" ".join(tokens), sort=sort, page_size=2, cursor=resp.next_cursor))  # type: ignore[arg-type]


def test_export_batches_resume_after_the_last_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.tantivy_hits as hits

    monkeypatch.setattr(hits, "EXPORT_BATCH", 3)
    backend = TantivyBackend(tmp_path / "idx", heap_size=15_000_000)
    load(backend, [make_page(f"d{n}", p, "alpha" if n % 3 else "beta") for n in range(10) for p in (1, 2)])
    got = [(h.document_id, h.page_number) for h in backend.iter_hits(SearchRequest(query="alpha"))]
    assert got == [(f"d{n}", p) for n in range(10) if n % 3 for p in (1, 2)]
    backend.close()


def test_scoped_facet_counts_read_the_term_dictionary_and_agree_with_the_regex(tmp_path: Path) -> None:
    """The production facet lists the reader's qualified terms from the term dictionary instead of
    an include regex; both must count the same values, and never another collection's."""
    from search.tantivy_requests import facet_agg, scoped_facet_terms

    backend = TantivyBackend(tmp_path / "idx", heap_size=15_000_000)
    pages = [
        make_page("shared", 1, "alpha", collections=("c1", "c2"), production="prod-a"),
        make_page("only1", 1, "alpha", collections=("c1",), production="prod-b"),
        make_page("only2", 1, "alpha", collections=("c2",), production="prod-c"),
    ]
    load(backend, pages)
    searcher = backend._index.searcher()
    for scope, wanted in ((["c1"], {"prod-a", "prod-b"}), (["c2"], {"prod-a", "prod-c"}), (["c3"], set())):
        request = SearchRequest(query="alpha", collection_ids=scope)
        terms = scoped_facet_terms(searcher, "production", scope)
        assert {t.split("/", 1)[1] for t in terms} == wanted
        assert all(t.startswith(scope[0] + "/") for t in terms)
        listed = searcher.aggregate(backend._index.parse_query("*"), {"f": facet_agg("production", request, terms)})
        regex = searcher.aggregate(backend._index.parse_query("*"), {"f": facet_agg("production", request)})
        assert listed == regex
        got = {v.value for v in backend.search(request).facets["production"]}
        assert got == wanted
    assert scoped_facet_terms(searcher, "vendor", ["c1"]) == []
    backend.close()
