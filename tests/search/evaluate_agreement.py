"""Search and the query evaluator agree on every engine (imported by each backend's test module, which
supplies `backend_factory`): on a generated corpus with phrases, proximity pairs at known distances and
negated words planted on chosen pages, the pages search finds for a query are the pages the evaluator
matches, which for the planted queries are the pages they were planted on; and NOT's counts add up."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from search.backend import SearchBackend, SearchRequest
from search.query import parse_query
from search.query.evaluate import evaluate_record
from search.records import PageRecord
from tests.search.planted import Planted
from tests.search.search_conformance import make_page

BackendFactory = Callable[[], SearchBackend]
DISTANCES = (0, 2, 4, 7, 12, 40)  # words between "clearview" and "trial" on a page
Truth = dict[str, set[tuple[str, int]]]


def planted_corpus(seed: int = 11) -> tuple[list[PageRecord], Truth]:
    rng = random.Random(seed)
    pages: list[PageRecord] = []
    truth: Truth = {"phrase": set(), "amazon": set(), "rekognition": set(), "pair": set()}
    gaps: dict[tuple[str, int], tuple[int, bool]] = {}
    for n in range(24):
        doc = f"doc-{n:02d}"
        count = rng.randint(1, 3)
        for number in range(1, count + 1):
            page = Planted()
            page.fill(rng.randint(2, 6), seed=n + number)
            key = (doc, number)
            if rng.random() < 0.4:
                page.add("phrase", "face", "recognition")
                truth["phrase"].add(key)
            else:
                page.add("decoy", "iris", "recognition")
                page.fill(2)
                page.add("decoy", "Face")
            page.fill(3, seed=n)
            for word in ("rekognition", "amazon"):
                if rng.random() < 0.5:
                    page.add(word, word.capitalize())
                    page.fill(2, seed=number)
                    truth[word].add(key)
            if rng.random() < 0.6:
                gap, in_order = rng.choice(DISTANCES), rng.random() < 0.5
                page.add("pair", "Clearview" if in_order else "trial")
                page.fill(gap, seed=n)
                page.add("pair", "trial" if in_order else "clearview")
                gaps[key] = (gap, in_order)
            page.fill(3, seed=number)
            vendors = ("vendor:amazon",) if key in truth["amazon"] else ()
            pages.append(make_page(doc, number, page.text, vendors=vendors, page_count=count))
    for key, (gap, in_order) in gaps.items():
        truth[f"w{gap}"] = truth.get(f"w{gap}", set()) | {key}
        if in_order:
            truth[f"pre{gap}"] = truth.get(f"pre{gap}", set()) | {key}
    truth["gaps"] = set(gaps)
    return pages, truth


@pytest.fixture(scope="module")
def planted(backend_factory: BackendFactory) -> tuple[SearchBackend, list[PageRecord], Truth]:
    pages, truth = planted_corpus()
    backend = backend_factory()
    backend.index_pages(pages)
    backend.commit()
    return backend, pages, truth


def _found(backend: SearchBackend, q: str) -> set[tuple[str, int]]:
    return {(h.document_id, h.page_number) for h in backend.iter_hits(SearchRequest(query=q))}


def _evaluated(pages: list[PageRecord], q: str) -> set[tuple[str, int]]:
    node = parse_query(q)
    return {(p.document_id, p.page_number) for p in pages if evaluate_record(node, p, None).matched}


def _within(truth: Truth, distance: int, ordered: bool) -> set[tuple[str, int]]:
    prefix = "pre" if ordered else "w"
    return {k for gap in DISTANCES if gap + 1 <= distance for k in truth.get(f"{prefix}{gap}", set())}


AGREEMENT_QUERIES = (
    '"face recognition"',
    "face recognition",
    "rekognition -amazon",
    "rekognition NOT vendor:amazon",
    "NOT amazon",
    '(rekognition OR amazon) -"face recognition"',
    "clearview w/5 trial",
    "clearview pre/5 trial",
    "trial pre/13 clearview",
    "rekogn* w/10 clearview",
    '"clearview trial"~3',
    '"face recognition" w/20 (amazon OR rekognition)',
    "vendor:amazon -rekognition",
    "amazn~1",
    "rekogniton~2 -amazon",
    "bates:[FBI-000000 TO FBI-500999] amazon",
    "file:doc-03 OR (title:record rekognition)",
    "production:prod-1 -amazon",
)


@pytest.mark.parametrize("q", AGREEMENT_QUERIES)
def test_search_hit_pages_are_the_evaluators(planted: tuple[SearchBackend, list[PageRecord], Truth], q: str) -> None:
    backend, pages, _ = planted
    assert _found(backend, q) == _evaluated(pages, q)


def test_planted_queries_find_the_pages_they_were_planted_on(
    planted: tuple[SearchBackend, list[PageRecord], Truth],
) -> None:
    backend, pages, truth = planted
    every = {(p.document_id, p.page_number) for p in pages}
    expected = {
        '"face recognition"': truth["phrase"],
        "rekognition -amazon": truth["rekognition"] - truth["amazon"],
        "NOT amazon": every - truth["amazon"],
        "clearview w/5 trial": _within(truth, 5, False),
        "clearview pre/5 trial": _within(truth, 5, True),
        "clearview w/13 trial": _within(truth, 13, False),
    }
    for q, pages_expected in expected.items():
        assert pages_expected, q  # the generator must have planted something to find
        assert _found(backend, q) == pages_expected, q
        assert _evaluated(pages, q) == pages_expected, q


def test_not_counts_add_up_per_page(planted: tuple[SearchBackend, list[PageRecord], Truth]) -> None:
    backend, pages, truth = planted
    for word in ("amazon", "rekognition", '"face recognition"'):
        with_word = backend.search(SearchRequest(query=word, facets=()))
        without = backend.search(SearchRequest(query=f"NOT {word}", facets=()))
        assert with_word.total_pages + without.total_pages == len(pages), word
        planted_on = truth["phrase"] if word.startswith('"') else truth[word]
        docs_with = {d for d, _ in planted_on}
        docs_without = {p.document_id for p in pages if (p.document_id, p.page_number) not in planted_on}
        assert with_word.total_documents == len(docs_with), word
        assert without.total_documents == len(docs_without), word
        # Documents with pages on both sides are counted by both: the sum is the documents plus those.
        all_docs = {p.document_id for p in pages}
        assert with_word.total_documents + without.total_documents == len(all_docs) + len(docs_with & docs_without)
