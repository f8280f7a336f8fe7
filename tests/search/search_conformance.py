"""Backend conformance suite: the same tests for every SearchBackend implementation.

A test module opts in with `from search_conformance import *` and a module-scoped fixture
`backend_factory` returning a callable that creates an empty backend (see test_search_tantivy.py).
Expected numbers come from a plain-Python reference over the generated PageRecords, never from an
engine, so the embedded and distributed engines are held to the same answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable

import pytest

from search.analysis import stems
from search.backend import HistogramRequest, InvalidRequest, SearchBackend, SearchRequest
from search.calendar import bucket_numbers, bucket_start
from search.fields import FIELDS
from search.query import QuerySyntaxError
from search.query.entity_names import EntityNames, KnownEntity
from search.records import LinkName, Mark, PageRecord

__all__ = [
    "corpus",
    "loaded",
    "test_a_prefix_in_a_proximity_too_broad_for_the_engine_is_a_bad_request",
    "test_a_tie_wider_than_the_window_pages_in_document_id_order",
    "test_boolean_operators",
    "test_collection_scope_always_applies",
    "test_count_delete_reindex_and_drop",
    "test_cursor_refused_for_another_query",
    "test_date_queries_and_range",
    "test_entity_histogram_sums_mentions",
    "test_export_streams_every_matching_page_once",
    "test_facet_counts_match_reference",
    "test_field_values_match_ids_and_names",
    "test_field_values_resolve_through_the_readers_names",
    "test_histogram_sums_equal_document_counts",
    "test_invalid_requests",
    "test_page_hits_and_snippets",
    "test_pagination_is_stable_while_indexing",
    "test_phrase_and_slop",
    "test_prefix_and_root_expander",
    "test_prefix_expands_within_the_readers_scope",
    "test_proximity_w_and_pre",
    "test_relevance_ties_by_document_id",
    "test_stemming",
    "test_syntax_error_propagates",
]

VENDORS = ("vendor:amazon", "vendor:palantir", "vendor:cellebrite", "vendor:clearview-ai")
TECH = ("technology:face-recognition", "technology:cell-site-simulator")
AGENCIES = ("agency:fbi", "agency:ice")
PRODUCTS = ("product:rekognition", "product:ufed", "product:gotham")
ORGANIZATIONS = ("organization:aclu", "organization:eff", "organization:epic")
PEOPLE = ("person:jane-doe", "person:john-roe")
FILLER = ["report", "memo", "office", "review", "meeting", "agent", "budget", "system", "data", "letter", "request"]
MARKERS = ("zebra", "quokka", "ocelot", "narwhal")
NAMES = {"vendor:clearview-ai": "Clearview AI", "vendor:amazon": "Amazon"}

BackendFactory = Callable[[], SearchBackend]


def make_page(
    doc: str,
    page: int,
    text: str,
    *,
    date: dt.date | None = None,
    vendors: tuple[str, ...] = (),
    doc_vendors: tuple[str, ...] | None = None,
    collections: tuple[str, ...] = ("c1",),
    exemptions: tuple[str, ...] = (),
    page_count: int = 1,
    technology: tuple[str, ...] = (),
    agency: tuple[str, ...] = (),
    production: str = "prod-1",
    others: dict[str, tuple[str, ...]] | None = None,
    marks: tuple[Mark, ...] = (),
) -> PageRecord:
    """`others`: entity ids of the other entity types (product, organization, person), on the page and
    in the document alike."""
    return PageRecord(
        document_id=doc,
        page_number=page,
        text=text,
        links=tuple(
            LinkName(c, production, f"Release {production}", f"{doc}.pdf", f"Record {doc}") for c in collections
        ),
        document_date=date,
        bates=f"FBI-{zlib.crc32(doc.encode()) % 1000:03d}{page:03d}",
        bates_begin=f"FBI-{zlib.crc32(doc.encode()) % 1000:03d}001",
        bates_end=f"FBI-{zlib.crc32(doc.encode()) % 1000:03d}{page_count:03d}",
        page_count=page_count,
        exemptions=exemptions,
        entities={"vendor": vendors, "technology": technology, "agency": agency, **(others or {})},
        document_entities={
            "vendor": vendors if doc_vendors is None else doc_vendors,
            "technology": technology,
            "agency": agency,
            **(others or {}),
        },
        mention_counts={v: 2 for v in vendors},
        entity_names={v: NAMES[v] for v in vendors if v in NAMES},
        marks=marks,
    )


def generate_corpus(seed: int = 7, documents: int = 60) -> list[PageRecord]:
    rng = random.Random(seed)
    out: list[PageRecord] = []
    for n in range(documents):
        doc = f"doc-{n:03d}"
        pages = rng.randint(1, 4)
        date = None if rng.random() < 0.2 else dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
        doc_vendors = tuple(sorted(rng.sample(VENDORS, rng.randint(0, 2))))
        tech = tuple(sorted(rng.sample(TECH, rng.randint(0, 1))))
        agency = (rng.choice(AGENCIES),)
        collections = ("c2",) if n % 5 == 0 else ("c1",)
        production = f"prod-{n % 3}"
        # The other entity types from a generator of their own, so the draws above stay as they were.
        extra = random.Random(seed * 1000 + n)
        others = {
            "product": tuple(sorted(extra.sample(PRODUCTS, extra.randint(0, 2)))),
            "organization": tuple(sorted(extra.sample(ORGANIZATIONS, extra.randint(0, 1)))),
            "person": tuple(sorted(extra.sample(PEOPLE, extra.randint(0, 1)))),
        }
        others = {k: v for k, v in others.items() if v}
        # Review tags from a generator of their own too: the document's on every page, some pages' own.
        tagger = random.Random(seed * 7919 + n)
        doc_tags = sorted(tagger.sample(("hot", "relevant", "privileged"), tagger.randint(0, 2)))
        for p in range(1, pages + 1):
            page_tags = ["needs-review"] if tagger.random() < 0.25 else []
            marks = tuple(Mark(collections[0], "tag", t) for t in dict.fromkeys([*doc_tags, *page_tags]))
            words = [rng.choice(FILLER) for _ in range(rng.randint(8, 30))]
            for m in MARKERS:
                if rng.random() < 0.3:
                    words.insert(rng.randint(0, len(words)), m)
            page_vendors = tuple(v for v in doc_vendors if rng.random() < 0.6)
            ex = tuple(sorted(rng.sample(("b6", "b7C", "b5"), rng.randint(0, 2))))
            out.append(
                make_page(
                    doc,
                    p,
                    " ".join(words),
                    date=date,
                    vendors=page_vendors,
                    doc_vendors=doc_vendors,
                    collections=collections,
                    exemptions=ex,
                    page_count=pages,
                    technology=tech,
                    agency=agency,
                    production=production,
                    others=others,
                    marks=marks,
                )
            )
    return out


def load(backend: SearchBackend, pages: Iterable[PageRecord]) -> SearchBackend:
    backend.index_pages(pages)
    backend.commit()
    return backend


@pytest.fixture(scope="module")
def corpus() -> list[PageRecord]:
    return generate_corpus()


@pytest.fixture(scope="module")
def loaded(backend_factory: BackendFactory, corpus: list[PageRecord]) -> SearchBackend:
    return load(backend_factory(), corpus)


# -- reference -------------------------------------------------------------------------------------


def _facet_values(page: PageRecord, facet: str, collections: tuple[str, ...] | None = None) -> set[str]:
    """A page's values of a filterable field, read by the field's projection as the registry declares it
    (a new projection fails here until the reference knows it), for a reader of `collections`."""
    field = FIELDS[facet]
    if field.projection == "marks":
        return {
            m.value for m in page.marks if m.kind == facet and (collections is None or m.collection_id in collections)
        }
    if field.projection == "entities":
        return set(page.document_entities.get(facet, ()))
    if field.projection == "values":
        return set(field.values(page))
    if field.projection == "links" and facet == "production":
        return set(page.production_ids)
    if field.projection == "date" and facet == "year":
        return set() if page.document_date is None else {str(page.document_date.year)}
    raise AssertionError(f"the reference does not know how {facet} is projected ({field.projection})")


def reference(
    corpus: list[PageRecord],
    match: Callable[[PageRecord], bool],
    filters: dict[str, list[str]] | None = None,
    collections: tuple[str, ...] | None = None,
) -> tuple[set[str], int, dict[str, dict[str, int]]]:
    """Matching documents, matching pages and multi-select facet counts, computed in Python."""
    filters = filters or {}

    def passes(page: PageRecord, exclude: str | None) -> bool:
        if collections is not None and not set(page.collection_ids) & set(collections):
            return False
        if not match(page):
            return False
        return all(
            _facet_values(page, f, collections) & set(vals) for f, vals in filters.items() if f != exclude and vals
        )

    docs = {p.document_id for p in corpus if passes(p, None)}
    pages = sum(1 for p in corpus if passes(p, None))
    facets: dict[str, dict[str, int]] = {}
    for facet in FIELDS.facets:
        per: dict[str, set[str]] = defaultdict(set)
        for p in corpus:
            if passes(p, facet):
                for v in _facet_values(p, facet, collections):
                    per[v].add(p.document_id)
        facets[facet] = {v: len(d) for v, d in per.items()}
    return docs, pages, facets


def has_word(word: str) -> Callable[[PageRecord], bool]:
    stem = stems(word)[0]
    return lambda p: stem in stems(p.text)


def all_documents(backend: SearchBackend, request: SearchRequest) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(1000):
        resp = backend.search(dataclasses.replace(request, cursor=cursor, facets=()))
        seen += [d.document_id for d in resp.documents]
        cursor = resp.next_cursor
        if cursor is None:
            break
    return seen


def ids(backend: SearchBackend, query: str, **kw: object) -> set[str]:
    return set(all_documents(backend, SearchRequest(query=query, page_size=50, **kw)))  # type: ignore[arg-type]


# -- tests -----------------------------------------------------------------------------------------


def test_facet_counts_match_reference(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    cases: list[tuple[str, dict[str, list[str]]]] = [
        ("", {}),
        ("zebra", {}),
        ("zebra", {"vendor": ["vendor:amazon"]}),
        ("", {"vendor": ["vendor:amazon", "vendor:palantir"], "exemption": ["b6"]}),
        ("quokka", {"agency": ["agency:fbi"], "year": ["2016", "2018"], "production": ["prod-1"]}),
        ("", {"technology": ["technology:face-recognition"], "vendor": ["vendor:cellebrite"]}),
        ("ocelot", {"product": ["product:rekognition", "product:ufed"], "exemption": ["b7C"]}),
        ("", {"organization": ["organization:aclu"], "person": ["person:jane-doe"]}),
        ("zebra", {"tag": ["hot", "needs-review"]}),
        ("", {"tag": ["privileged"], "vendor": ["vendor:amazon"]}),
    ]
    # Every facet and every filter the registry declares is counted and applied here.
    assert {f for _, filters in cases for f in filters} == set(FIELDS.filterable)
    for query, filters in cases:
        match = has_word(query) if query else (lambda p: True)
        docs, pages, facets = reference(corpus, match, filters)
        resp = loaded.search(SearchRequest(query=query, filters=filters, page_size=5, facet_size=50))
        assert resp.total_documents == len(docs), (query, filters)
        assert resp.total_pages == pages, (query, filters)
        assert set(facets) == set(resp.facets) == set(FIELDS.facets)
        for facet, expected in facets.items():
            got = {fv.value: fv.count for fv in resp.facets[facet]}
            assert got == expected, (query, filters, facet)
            counts = [fv.count for fv in resp.facets[facet]]
            assert counts == sorted(counts, reverse=True)
        assert ids(loaded, query, filters=filters) == docs


def test_collection_scope_always_applies(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    docs, pages, facets = reference(corpus, has_word("zebra"), collections=("c2",))
    resp = loaded.search(SearchRequest(query="zebra", collection_ids=("c2",), facet_size=50))
    assert resp.total_documents == len(docs)
    assert resp.total_pages == pages
    assert {fv.value: fv.count for fv in resp.facets["vendor"]} == facets["vendor"]
    assert {fv.value: fv.count for fv in resp.facets["tag"]} == facets["tag"]
    assert ids(loaded, "zebra", collection_ids=("c2",)) == docs
    assert all(d.collection_ids == ("c2",) for d in resp.documents)
    empty = loaded.search(SearchRequest(query="", collection_ids=()))
    assert empty.total_documents == 0
    assert empty.documents == ()
    assert list(loaded.iter_hits(SearchRequest(query="", collection_ids=()))) == []
    assert loaded.count(("c2",)) == sum(1 for p in corpus if "c2" in p.collection_ids)
    scoped_export = {h.document_id for h in loaded.iter_hits(SearchRequest(query="zebra", collection_ids=("c2",)))}
    assert scoped_export == docs


def test_histogram_sums_equal_document_counts(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    for interval in ("day", "week", "month", "quarter", "year"):
        resp = loaded.search(SearchRequest(query="ocelot", histogram=interval, facets=()))
        hist = resp.histogram
        assert hist is not None
        assert sum(b.documents for b in hist.buckets) + hist.undated_documents == resp.total_documents
        docs, _, _ = reference(corpus, has_word("ocelot"))
        dated: dict[int, set[str]] = defaultdict(set)
        for p in corpus:
            if p.document_id in docs and p.document_date is not None:
                dated[bucket_numbers(p.document_date)[interval]].add(p.document_id)
        expected = [(bucket_start(interval, k), len(v)) for k, v in sorted(dated.items())]
        assert [(b.start, b.documents) for b in hist.buckets] == expected
        assert [b.start for b in hist.buckets] == sorted(b.start for b in hist.buckets)
    standalone = loaded.histogram(HistogramRequest(query="ocelot", interval="year"))
    assert standalone == loaded.search(SearchRequest(query="ocelot", histogram="year")).histogram


def test_entity_histogram_sums_mentions(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    hist = loaded.histogram(HistogramRequest(interval="year", entity_id="vendor:amazon"))
    pages = [p for p in corpus if "vendor:amazon" in p.entities.get("vendor", ())]
    dated = [p for p in pages if p.document_date is not None]
    assert sum(b.mentions or 0 for b in hist.buckets) == sum(p.mention_counts["vendor:amazon"] for p in dated)
    assert sum(b.pages for b in hist.buckets) == len(dated)
    assert sum(b.documents for b in hist.buckets) == len({p.document_id for p in dated})
    assert hist.undated_documents == len({p.document_id for p in pages if p.document_date is None})


def test_pagination_is_stable_while_indexing(backend_factory: BackendFactory, corpus: list[PageRecord]) -> None:
    backend = load(backend_factory(), corpus)
    rng = random.Random(3)
    new_n = 0
    for sort in ("relevance", "date_asc", "date_desc"):
        for query in ("", "zebra", "zebra OR quokka"):
            expected = ids(backend, query, sort=sort)
            seen: list[str] = []
            cursor = None
            while True:
                resp = backend.search(SearchRequest(query=query, sort=sort, page_size=4, cursor=cursor, facets=()))
                seen += [d.document_id for d in resp.documents]
                cursor = resp.next_cursor
                if cursor is None:
                    break
                if len(seen) > 12:
                    continue
                # New documents that would sort anywhere (strong matches, early and late dates).
                new = []
                for _ in range(2):
                    new_n += 1
                    date = rng.choice([None, dt.date(2000, 1, 1), dt.date(2030, 1, 1), dt.date(2017, 6, 1)])
                    text = "zebra zebra zebra quokka " * rng.randint(1, 3)
                    new.append(make_page(f"aaa-new-{new_n:03d}", 1, text, date=date))
                load(backend, new)
            assert len(seen) == len(set(seen)), (sort, query)
            assert set(seen) == expected, (sort, query)


def test_relevance_ties_by_document_id(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [make_page(f"tie-{n}", 1, "identical words about gait recognition") for n in (5, 1, 4, 2, 3)],
    )
    seen = all_documents(backend, SearchRequest(query="gait", page_size=2))
    assert seen == [f"tie-{n}" for n in (1, 2, 3, 4, 5)]
    resp = backend.search(SearchRequest(query="gait", page_size=5))
    assert [d.score for d in resp.documents] == sorted((d.score for d in resp.documents), reverse=True)


def test_a_tie_wider_than_the_window_pages_in_document_id_order(backend_factory: BackendFactory) -> None:
    # More tied documents than an engine's first window of pages, with ids that share long prefixes
    # (an order key on an id's first bytes cannot tell them apart) and one outside ASCII, indexed out
    # of order: every cursor page must continue the tie in document id order.
    rng = random.Random(14)
    tied = [f"tie-{n:04d}" for n in range(0, 300, 2)]
    tied += [f"tie-shared-long-prefix-{n:04d}" for n in range(1, 300, 2)]
    tied += ["tie-\u00e9t\u00e9-0001", "tie-\u00e9t\u00e9-0002"]
    strong = [f"top-{n}" for n in (3, 1, 2)]
    pages = [make_page(doc, 1, "zebra report memo office review") for doc in tied]
    pages += [make_page(doc, 1, "zebra zebra zebra report memo") for doc in strong]
    # A tied document's second page that matches less well must not change its place.
    pages.append(make_page(tied[7], 2, "zebra report memo office review budget system data letter"))
    rng.shuffle(pages)
    backend = load(backend_factory(), pages)
    seen = all_documents(backend, SearchRequest(query="zebra", page_size=7))
    assert seen == sorted(strong) + sorted(tied)


def test_stemming(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [
            make_page("a", 1, "The department adopted new surveillance policies in 2019."),
            make_page("b", 1, "Contracts were signed for each policy."),
            make_page("c", 1, "The POLICE contracted Palantir."),
        ],
    )
    assert ids(backend, "policy") == {"a", "b"}
    assert ids(backend, "Policies") == {"a", "b"}
    assert ids(backend, "contract") == {"b", "c"}
    assert ids(backend, "police") == {"c"}


def test_phrase_and_slop(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [
            make_page("a", 1, "they use face recognition daily"),
            make_page("b", 1, "face based automated recognition"),
            make_page("c", 1, "recognition of the face"),
        ],
    )
    assert ids(backend, '"face recognition"') == {"a"}
    assert ids(backend, '"face recognition"~1') == {"a"}
    assert ids(backend, '"face recognition"~2') == {"a", "b"}
    # ~N keeps word order: "recognition of the face" is never a match for "face recognition"~N.
    assert ids(backend, '"face recognition"~5') == {"a", "b"}


def test_proximity_w_and_pre(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [
            make_page("a", 1, "rekognition was used by the police"),  # rekognition +5 police
            make_page("b", 1, "police officers ran rekognition"),  # police +3 rekognition
            make_page("c", 1, "rekognition one two three four five six seven eight nine police"),  # +10
            make_page("d", 1, "contract signed with amazon"),
            make_page("e", 1, "amazon signed the contract"),
            make_page("f", 1, "the amazon face recognition contract"),
        ],
    )
    assert ids(backend, "rekognition w/5 police") == {"a", "b"}
    assert ids(backend, "rekognition w/4 police") == {"b"}
    assert ids(backend, "rekognition w/3 police") == {"b"}
    assert ids(backend, "rekognition w/2 police") == set()
    assert ids(backend, "rekognition w/10 police") == {"a", "b", "c"}
    assert ids(backend, "police w/10 rekognition") == {"a", "b", "c"}
    assert ids(backend, "rekognition pre/10 police") == {"a", "c"}
    assert ids(backend, "police pre/10 rekognition") == {"b"}
    assert ids(backend, "contract pre/3 amazon") == {"d"}
    assert ids(backend, "contract pre/2 amazon") == set()
    assert ids(backend, "amazon pre/3 contract") == {"e", "f"}
    assert ids(backend, "amazon pre/2 contract") == set()
    assert ids(backend, '"face recognition" w/2 amazon') == {"f"}
    assert ids(backend, '"face recognition" pre/2 amazon') == set()
    assert ids(backend, "(amazon OR police) pre/3 (contract OR rekognition)") == {"b", "e", "f"}
    assert ids(backend, "rekogn* w/5 police") == {"a", "b"}
    assert ids(backend, "contract pre/4 amaz!") == {"d"}


def test_prefix_and_root_expander(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [
            make_page("a", 1, "surveillance program"),
            make_page("b", 1, "they surveilled the site"),
            make_page("c", 1, "a survey of residents"),
            make_page("d", 1, "FBI-000123 stamped"),
        ],
    )
    assert ids(backend, "surveil*") == {"a", "b"}
    assert ids(backend, "surveil!") == {"a", "b"}
    assert ids(backend, "surv*") == {"a", "b", "c"}
    # A prefix also matches its own stem: surveillance* -> stem "surveil" -> "surveilled".
    assert ids(backend, "surveillance*") == {"a", "b"}
    assert ids(backend, "fbi-0001*") == {"d"}


def test_prefix_expands_within_the_readers_scope(backend_factory: BackendFactory) -> None:
    """Another collection's many frequent words sharing a prefix never push the reader's rarer ones out."""
    crowd = [f"zeph{n:03d}crowd" for n in range(400)]  # more words than any expansion cap
    b_pages = [make_page(f"b-{n}", 1, " ".join(crowd), collections=("matter-b",)) for n in range(6)]
    a_pages = [
        make_page("a-1", 1, "the zephyrine memo", collections=("matter-a",)),
        make_page("a-2", 1, "a zephyr over the budget", collections=("matter-a",)),
        make_page("a-3", 1, "nothing of the kind", collections=("matter-a",)),
    ]
    backend = load(backend_factory(), [*b_pages, *a_pages])
    assert ids(backend, "zeph*", collection_ids=("matter-a",)) == {"a-1", "a-2"}
    assert ids(backend, "zephyr!", collection_ids=("matter-a",)) == {"a-1", "a-2"}
    assert ids(backend, "zeph* AND memo", collection_ids=("matter-a",)) == {"a-1"}
    assert ids(backend, "zeph*", collection_ids=("matter-b",)) == {p.document_id for p in b_pages}
    assert ids(backend, "zeph*") == {"a-1", "a-2", *(p.document_id for p in b_pages)}


def test_a_prefix_in_a_proximity_too_broad_for_the_engine_is_a_bad_request(backend_factory: BackendFactory) -> None:
    """Inside a proximity the engine expands a prefix over the whole index and refuses past its limit
    (tantivy 16,384 terms, OpenSearch 128): the query is then an InvalidRequest, never an engine error."""
    crowd = [f"zeph{n:05d}crowd" for n in range(17_000)]
    pages = [make_page(f"b-{n}", 1, " ".join(crowd[n::17]), collections=("matter-b",)) for n in range(17)]
    pages.append(make_page("a-1", 1, "the zephyrine memo", collections=("matter-a",)))
    backend = load(backend_factory(), pages)
    assert ids(backend, "zephyr* w/3 memo", collection_ids=("matter-a",)) == {"a-1"}
    for query in ("zeph* w/3 memo", "memo pre/2 zeph*"):
        try:
            found = ids(backend, query, collection_ids=("matter-a",))
        except InvalidRequest as exc:
            assert "more letters" in str(exc)
        else:  # an engine whose limit is higher answers, and only with the reader's page
            assert found == ({"a-1"} if query.startswith("zeph") else set())


def test_boolean_operators(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    z, q, o = has_word("zebra"), has_word("quokka"), has_word("ocelot")
    cases: dict[str, Callable[[PageRecord], bool]] = {
        "zebra quokka": lambda p: z(p) and q(p),
        "zebra AND quokka": lambda p: z(p) and q(p),
        "zebra OR quokka": lambda p: z(p) or q(p),
        "zebra NOT quokka": lambda p: z(p) and not q(p),
        "zebra -quokka": lambda p: z(p) and not q(p),
        "NOT zebra": lambda p: not z(p),
        "(zebra OR quokka) AND NOT ocelot": lambda p: (z(p) or q(p)) and not o(p),
        "zebra OR (quokka AND ocelot)": lambda p: z(p) or (q(p) and o(p)),
    }
    for query, match in cases.items():
        docs, pages, _ = reference(corpus, match)
        assert ids(loaded, query) == docs, query
        assert loaded.search(SearchRequest(query=query, facets=())).total_pages == pages, query


def test_field_values_match_ids_and_names(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    def page_vendor(v: str) -> Callable[[PageRecord], bool]:
        return lambda p: v in p.entities.get("vendor", ())

    amazon, _, _ = reference(corpus, page_vendor("vendor:amazon"))
    assert amazon
    for q in ("vendor:amazon", "vendor:AMAZON", 'vendor:"vendor:amazon"', "vendor:Amazon"):
        assert ids(loaded, q) == amazon, q
    clearview, _, _ = reference(corpus, page_vendor("vendor:clearview-ai"))
    for q in ('vendor:"Clearview AI"', "vendor:clearview_ai", "vendor:clearview-ai"):
        assert ids(loaded, q) == clearview, q
    b7c, _, _ = reference(corpus, lambda p: "b7C" in p.exemptions)
    for q in ("exemption:b7C", "exemption:(b)(7)(C)", 'exemption:"(b)(7)(c)"', "exemption:B7C"):
        assert ids(loaded, q) == b7c, q
    prod, _, _ = reference(corpus, lambda p: "prod-2" in p.production_ids)
    assert ids(loaded, "production:prod-2") == prod
    assert ids(loaded, 'production:"Release prod-2"') == prod
    page = corpus[0]
    assert page.bates is not None
    assert page.document_id in ids(loaded, f"bates:{page.bates.lower()}")
    assert ids(loaded, f"file:{page.links[0].file_name.upper()}") == {page.document_id}
    assert (
        ids(loaded, "agency:fbi technology:face-recognition")
        == reference(
            corpus,
            lambda p: (
                "agency:fbi" in p.entities["agency"] and "technology:face-recognition" in p.entities["technology"]
            ),
        )[0]
    )
    assert ids(loaded, "vendor:nobody") == set()


def _reader_names(renamed: dict[str, str] | None = None) -> EntityNames:
    """Names as the API builds them for a reader (api.entity_names): gazetteer names and aliases, plus
    the reader's own corrected names."""
    renamed = renamed or {}
    aliases = {"vendor:amazon": ("Amazon Web Services", "AWS"), "vendor:clearview-ai": ("Clearview", "ClearviewAI")}
    return EntityNames(
        tuple(
            KnownEntity(
                v,
                "vendor",
                renamed.get(v, NAMES.get(v, v.split(":")[1].title())),
                tuple(dict.fromkeys(n for n in (*aliases.get(v, ()), NAMES.get(v)) if n and n != renamed.get(v))),
            )
            for v in VENDORS
        )
    )


def test_field_values_resolve_through_the_readers_names(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    def page_vendor(v: str) -> Callable[[PageRecord], bool]:
        return lambda p: v in p.entities.get("vendor", ())

    names = _reader_names()
    amazon, amazon_pages, _ = reference(corpus, page_vendor("vendor:amazon"))
    clearview, _, _ = reference(corpus, page_vendor("vendor:clearview-ai"))
    assert amazon and clearview
    # Aliases are not index keys: only the resolution through the reader's names finds them.
    assert ids(loaded, "vendor:AWS") == set()
    for q in ("vendor:AWS", 'vendor:"Amazon Web Services"', "vendor:aws", "vendor:amazon"):
        assert ids(loaded, q, entity_names=names) == amazon, q
        response = loaded.search(SearchRequest(query=q, entity_names=names, facets=()))
        assert response.total_pages == amazon_pages, q
        histogram = loaded.histogram(HistogramRequest(query=q, entity_names=names, interval="year"))
        dated = sum(b.documents for b in histogram.buckets)
        assert dated + histogram.undated_documents == len(amazon), q
        exported = list(loaded.iter_hits(SearchRequest(query=q, entity_names=names)))
        assert len(exported) == amazon_pages, q
    assert ids(loaded, "vendor:clearview", entity_names=names) == clearview
    assert ids(loaded, "vendor:clearview OR vendor:AWS", entity_names=names) == clearview | amazon
    not_amazon, _, _ = reference(corpus, lambda p: not page_vendor("vendor:amazon")(p))
    assert ids(loaded, "-vendor:AWS", entity_names=names) == not_amazon
    assert ids(loaded, "vendor:nobody", entity_names=names) == set()
    # A name one collection gave: found by its readers only (each reader's names are their own).
    cellebrite_c1, _, _ = reference(corpus, page_vendor("vendor:cellebrite"), collections=("c1",))
    cellebrite_c2, _, _ = reference(corpus, page_vendor("vendor:cellebrite"), collections=("c2",))
    assert cellebrite_c1 and cellebrite_c2
    renamed = _reader_names({"vendor:cellebrite": "Celly Forensics"})
    query = 'vendor:"Celly Forensics"'
    assert ids(loaded, query, entity_names=renamed, collection_ids=["c1"]) == cellebrite_c1
    assert ids(loaded, query, entity_names=names, collection_ids=["c2"]) == set()


def test_date_queries_and_range(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    def in_range(lo: dt.date, hi: dt.date) -> Callable[[PageRecord], bool]:
        return lambda p: p.document_date is not None and lo <= p.document_date <= hi

    cases = {
        "date:2017": in_range(dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        "year:2018": in_range(dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        "date:2016-02": in_range(dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        "date:[2016-03-15 TO 2017-06-30]": in_range(dt.date(2016, 3, 15), dt.date(2017, 6, 30)),
        "date:[* TO 2016]": in_range(dt.date(1, 1, 1), dt.date(2016, 12, 31)),
    }
    for query, match in cases.items():
        assert ids(loaded, query) == reference(corpus, match)[0], query
    lo, hi = dt.date(2016, 1, 1), dt.date(2017, 12, 31)
    resp = loaded.search(SearchRequest(query="", date_from=lo, date_to=hi, facets=("year",)))
    assert resp.total_documents == len(reference(corpus, in_range(lo, hi))[0])
    assert {fv.value for fv in resp.facets["year"]} <= {"2016", "2017"}
    # Sorting by date puts undated documents last, in document id order.
    by_date = all_documents(loaded, SearchRequest(query="", sort="date_asc", page_size=7))
    dates = {p.document_id: p.document_date for p in corpus}
    dated = [d for d in by_date if dates[d] is not None]
    assert dated == sorted(dated, key=lambda d: (dates[d], d))
    undated = by_date[len(dated) :]
    assert undated == sorted(d for d in dates if dates[d] is None)
    desc = all_documents(loaded, SearchRequest(query="", sort="date_desc", page_size=7))
    assert [d for d in desc if dates[d] is not None] == sorted(dated, key=lambda d: (-dates[d].toordinal(), d))  # type: ignore[union-attr]


def test_page_hits_and_snippets(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(),
        [
            make_page("a", 1, "nothing here", page_count=4),
            make_page("a", 2, "Palantir <script> & Gotham surveillance", page_count=4),
            make_page("a", 3, "surveillance surveillance surveillance report", page_count=4),
            make_page("a", 4, "surveillance again", page_count=4),
            make_page("a", 5, "more surveillance", page_count=5),
        ],
    )
    resp = backend.search(SearchRequest(query="surveillance"))
    (doc,) = resp.documents
    assert doc.hit_pages == 4
    assert len(doc.pages) == 3
    assert doc.pages[0].page_number == 3
    assert [p.score for p in doc.pages] == sorted((p.score for p in doc.pages), reverse=True)
    assert doc.score == doc.pages[0].score
    assert doc.title == "Record a" and doc.file_name == "a.pdf"
    snippet = backend.search(SearchRequest(query="palantir surveil*")).documents[0].pages[0].snippet
    assert snippet == "<mark>Palantir</mark> &lt;script&gt; &amp; Gotham <mark>surveillance</mark>"


def test_export_streams_every_matching_page_once(loaded: SearchBackend, corpus: list[PageRecord]) -> None:
    hits = list(loaded.iter_hits(SearchRequest(query="zebra OR ocelot", filters={"agency": ["agency:ice"]})))
    match = has_word("zebra")
    other = has_word("ocelot")
    expected = {
        (p.document_id, p.page_number)
        for p in corpus
        if (match(p) or other(p)) and "agency:ice" in p.document_entities["agency"]
    }
    got = [(h.document_id, h.page_number) for h in hits]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_count_delete_reindex_and_drop(backend_factory: BackendFactory) -> None:
    backend = load(
        backend_factory(), [make_page("a", 1, "alpha"), make_page("a", 2, "beta"), make_page("b", 1, "alpha")]
    )
    assert backend.count() == 3
    load(backend, [make_page("a", 1, "gamma")])  # same page again replaces it
    assert backend.count() == 3
    assert ids(backend, "alpha") == {"b"}
    assert ids(backend, "gamma") == {"a"}
    backend.delete_document("a")
    backend.commit()
    assert backend.count() == 1
    assert ids(backend, "gamma OR beta") == set()
    backend.drop()
    assert backend.count() == 0
    load(backend, [make_page("c", 1, "alpha")])
    assert ids(backend, "alpha") == {"c"}


def test_syntax_error_propagates(loaded: SearchBackend) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        loaded.search(SearchRequest(query="zebra AND (quokka"))
    assert info.value.position == 10


def test_invalid_requests(loaded: SearchBackend) -> None:
    for bad in (
        SearchRequest(filters={"colour": ["red"]}),
        SearchRequest(filters={"year": ["last year"]}),
        SearchRequest(page_size=0),
        SearchRequest(sort="random"),  # type: ignore[arg-type]
        SearchRequest(cursor="not-a-cursor"),
        SearchRequest(date_from=dt.date(2020, 1, 1), date_to=dt.date(2019, 1, 1)),
        SearchRequest(collection_ids="c1"),
    ):
        with pytest.raises(InvalidRequest):
            loaded.search(bad)


def test_cursor_refused_for_another_query(loaded: SearchBackend) -> None:
    first = loaded.search(SearchRequest(query="zebra", page_size=2))
    assert first.next_cursor is not None
    with pytest.raises(InvalidRequest):
        loaded.search(SearchRequest(query="quokka", page_size=2, cursor=first.next_cursor))
