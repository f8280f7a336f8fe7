"""Screening many terms at once (search/screening.py) hits exactly the pages the engine finds for each term:
random pages and terms of every kind (words, phrases, prefixes, fuzzy, proximity, booleans, NOT, field
clauses, dates), compared with tantivy's own answer for each term, in chunks of several sizes; unique pages
counted from those page sets; progress reported after every chunk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from search.analysis import stems
from search.backend import SearchRequest
from search.query.parser import parse_query
from search.query.scoped import scope_fields
from search.records import LinkName, PageRecord
from search.screening import screen
from search.tantivy_backend import TantivyBackend

WORDS = [
    "surveillance", "police", "contract", "policies", "policy", "camera", "recognition", "face", "clearview",
    "palantir", "amazon", "rekognition", "pilot", "warrant", "federal", "county", "analyst", "analysis",
    "databases", "database", "officer", "officers", "memo", "letter", "drone", "budget",
]  # fmt: skip
COLLECTION, PRODUCTION = "col_screen", "prod_screen"


def _pages(n: int, seed: int) -> list[PageRecord]:
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        doc, number = f"doc_{i // 3:04d}", i % 3 + 1
        vendors = tuple(sorted(rng.sample(["vendor:amazon", "vendor:palantir", "vendor:axon"], rng.randint(0, 2))))
        long_word = "x" * 45 if rng.random() < 0.1 else ""  # dropped by the index, but it holds a position
        text = " ".join([*rng.choices(WORDS, k=rng.randint(5, 40)), long_word, *rng.choices(WORDS, k=5)])
        pages.append(
            PageRecord(
                document_id=doc,
                page_number=number,
                text=text,
                links=(LinkName(COLLECTION, PRODUCTION, "Release", f"{doc}.pdf", f"Record {doc}"),),
                document_date=dt.date(2015 + rng.randint(0, 6), 1 + rng.randint(0, 11), 1),
                bates=None,
                bates_begin=None,
                bates_end=None,
                page_count=3,
                exemptions=tuple(rng.sample(["b5", "b6", "b7C"], rng.randint(0, 1))),
                entities={"vendor": vendors},
                document_entities={"vendor": vendors},
            )
        )
    return pages


def _terms(seed: int) -> list[str]:
    rng = random.Random(seed)

    def w() -> str:
        return rng.choice(WORDS)

    def pair() -> tuple[str, str]:
        # Two words of different stems: `x w/2 x` is read differently by tantivy (one occurrence serves
        # both sides) and by the query evaluator (two occurrences), a difference this test is not about.
        a = w()
        b = w()
        while stems(b) == stems(a):
            b = w()
        return a, b

    kinds: list[Callable[[], str]] = [
        lambda: w(),
        lambda: f'"{w()} {w()}"',
        lambda: f'"{w()} {w()}"~2',
        lambda: f"{w()[:4]}*",
        lambda: f"{w()}~1",
        lambda: "{} w/3 {}".format(*pair()),
        lambda: "{} pre/2 {}".format(*pair()),
        lambda: f"{w()} OR {w()}",
        lambda: f"{w()} {w()}",
        lambda: f"{w()} -{w()}",
        lambda: f"-{w()}",
        lambda: f"{w()} vendor:palantir",
        lambda: "vendor:amazon OR exemption:b6",
        lambda: f"{w()} date:[2017-01-01 TO 2018-12-31]",
        lambda: "({} OR {}) AND NOT ({} w/2 {})".format(w(), w(), *pair()),
    ]
    return [kinds[i % len(kinds)]() for i in range(90)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> tuple[TantivyBackend, list[PageRecord]]:
    pages = _pages(240, seed=3)
    backend = TantivyBackend(Path(tmp_path_factory.mktemp("screening")) / "index")
    backend.index_pages(pages)
    backend.commit()
    return backend, pages


@pytest.mark.parametrize("chunk", [1, 17, 240])
def test_each_term_hits_the_pages_the_engine_finds(engine: tuple[TantivyBackend, list[PageRecord]], chunk: int) -> None:
    backend, pages = engine
    terms = _terms(seed=chunk)
    expected = []
    for term in terms:
        request = SearchRequest(query=term, filters={"production": [PRODUCTION]}, collection_ids=[COLLECTION])
        expected.append({(h.document_id, h.page_number) for h in backend.iter_hits(request)})
    assert sum(1 for e in expected if e) > len(terms) * 0.7 and any(len(e) == len(pages) for e in expected) is False
    progress: list[int] = []
    found = screen(
        [scope_fields(parse_query(t), [COLLECTION]) for t in terms],
        [pages[i : i + chunk] for i in range(0, len(pages), chunk)],
        on_chunk=progress.append,
    )
    assert progress == [min(len(pages), i + chunk) for i in range(0, len(pages), chunk)]
    everywhere = [key for e in expected for key in e]
    for term, want, got in zip(terms, expected, found.figures, strict=True):
        assert got.pages == len(want), term
        assert got.documents == len({d for d, _ in want}), term
        assert got.unique_pages == sum(1 for key in want if everywhere.count(key) == 1), term
    assert found.hit_pages == len(set(everywhere))
    assert found.hit_documents == len({d for d, _ in everywhere})
