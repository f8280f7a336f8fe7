"""The consistency suite: every screen agrees with every other and with the generated truth (issue 14).

Imported by one test module per engine, which supplies the `world` fixture (tests/consistency/world.py,
stored and indexed on that engine, served by the real API). Hypothesis draws queries and filter sets over
the world; for each:
1. every facet count is the number of documents search returns with that value as the facet's filter;
2. the analytics pages per exemption code equal the `exemption:` search's pages and the pages the Vaughn
   draft lists with that code;
3. `/documents/{id}/hits` lists exactly the pages search (its export) returns for that document, which for
   the planted queries are the pages the truth says, and each page's highlighted spans are exactly the
   matches computed from the generated words;
4. the export has `total_pages` rows.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.consistency.world import CODES, VENDORS, GeneratedPage, World

API = "/api/v1"
# Bounded for CI on two cores: each example costs up to ~30 requests.
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

Spans = list[tuple[int, int]]


@dataclass
class Served:
    client: TestClient
    world: World


def _words(page: GeneratedPage, name: str) -> Spans:
    return [page.planted.span(at[0], at[-1]) for at in page.planted.marks.get(name, [])]


def _pair_gap(page: GeneratedPage) -> int | None:
    """Positions from "Clearview" to "trial" (1 when adjacent), or None when the page has no pair."""
    first, last = page.planted.marks.get("Clearview"), page.planted.marks.get("trial")
    return last[0][0] - first[0][0] if first and last else None


def _pair(distance: int) -> Callable[[GeneratedPage], Spans | None]:
    def truth(page: GeneratedPage) -> Spans | None:
        gap = _pair_gap(page)
        return _words(page, "Clearview") + _words(page, "trial") if gap is not None and gap <= distance else None

    return truth


def _has(name: str) -> Callable[[GeneratedPage], Spans | None]:
    return lambda page: _words(page, name) or None


def _without(name: str, negated: str) -> Callable[[GeneratedPage], Spans | None]:
    return lambda page: None if page.planted.marks.get(negated) else _has(name)(page)


# Planted queries and their truth: a page's marked spans when it matches, None when it does not.
TRUTH: dict[str, Callable[[GeneratedPage], Spans | None]] = {
    '"face recognition"': _has("phrase"),
    "clearview w/5 trial": _pair(5),
    "clearview pre/13 trial": _pair(13),
    "trial pre/13 clearview": lambda page: None,
    "palantir": _has("Palantir"),
    "palantir -amazon": _without("Palantir", "Amazon"),
    "NOT amazon": lambda page: None if page.planted.marks.get("Amazon") else [],
}
QUERIES = (
    *TRUTH,
    "",
    "face recognition",
    '"face recognition" OR palantir',
    "recog*",
    "amazon OR clearview",
    "vendor:palantir -amazon",
    "exemption:b6 OR exemption:b7C",
)


def facet_values(world: World) -> dict[str, list[str]]:
    years = sorted({str(d.date.year) for d in world.documents.values() if d.date})
    return {
        "vendor": sorted(VENDORS.values()),
        "exemption": list(CODES),
        "production": world.production_ids,
        "year": years,
    }


def filter_sets(world: World) -> st.SearchStrategy[dict[str, list[str]]]:
    values = facet_values(world)
    one = st.sampled_from(sorted(values)).flatmap(
        lambda facet: st.tuples(
            st.just(facet), st.lists(st.sampled_from(values[facet]), min_size=1, max_size=2, unique=True)
        )
    )
    return st.lists(one, max_size=2, unique_by=lambda pair: pair[0]).map(dict)


def search(client: TestClient, q: str, filters: dict[str, list[str]]) -> dict:  # type: ignore[type-arg]
    response = client.get(f"{API}/search", params={"q": q, **filters, "limit": 100})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def export_rows(client: TestClient, q: str, filters: dict[str, list[str]]) -> list[dict]:  # type: ignore[type-arg]
    response = client.get(f"{API}/search/export", params={"q": q, **filters, "format": "ndjson"})
    assert response.status_code == 200, response.text
    return [json.loads(line) for line in response.text.splitlines() if line]


def mark_spans(highlighted: str) -> Spans:
    """Character spans of the <mark> elements in the plain text of an HTML-escaped highlight."""
    spans, position = [], 0
    for piece in re.split(r"(<mark>.*?</mark>)", highlighted, flags=re.S):
        if piece.startswith("<mark>"):
            inner = html.unescape(piece[len("<mark>") : -len("</mark>")])
            spans.append((position, position + len(inner)))
            position += len(inner)
        else:
            position += len(html.unescape(piece))
    return spans


def check_facets(served: Served, q: str, filters: dict[str, list[str]]) -> None:
    answer = search(served.client, q, filters)
    for facet, buckets in answer["facets"].items():
        for bucket in buckets:
            narrowed = {**filters, facet: [bucket["value"]]}
            got = search(served.client, q, narrowed)["total_documents"]
            assert got == bucket["count"], (q, filters, facet, bucket)


def check_export(served: Served, q: str, filters: dict[str, list[str]]) -> None:
    answer = search(served.client, q, filters)
    rows = export_rows(served.client, q, filters)
    assert len(rows) == answer["total_pages"], (q, filters)
    assert len({r["document_id"] for r in rows}) == answer["total_documents"], (q, filters)


def check_exemptions(served: Served, production: str | None, code: str) -> None:
    scope = {"production": [production]} if production else {}
    stats = served.client.get(
        f"{API}/analytics/exemptions", params={"group_by": "none", **({"production": production} if production else {})}
    ).json()["items"]
    analytics_pages = sum(s["pages"] for s in stats if s["code"] == code)
    searched = {(r["document_id"], r["page_number"]) for r in export_rows(served.client, f"exemption:{code}", scope)}
    truth = {
        (document_id, page.number)
        for document_id, doc in served.world.documents.items()
        if production is None or served.world.production_ids.index(production) in doc.productions
        for page in doc.pages
        if code in page.codes
    }
    assert searched == truth, (production, code)
    assert analytics_pages == len(truth), (production, code)
    if production is not None:
        rows = served.client.get(f"{API}/productions/{production}/vaughn").json()["items"]
        vaughn = {(r["document_id"], r["page_number"]) for r in rows if code in r["codes"]}
        assert vaughn == truth, (production, code)


def check_hits(served: Served, q: str) -> None:
    rows = export_rows(served.client, q, {})
    searched: dict[str, set[int]] = {}
    for r in rows:
        searched.setdefault(r["document_id"], set()).add(r["page_number"])
    truth_of = TRUTH.get(q)
    for document_id, doc in served.world.documents.items():
        listed = served.client.get(f"{API}/documents/{document_id}/hits", params={"q": q}).json()["pages"]
        assert {p["page_number"] for p in listed} == searched.get(document_id, set()), (q, document_id)
        if truth_of is None:
            continue
        expected = {page.number: truth_of(page) for page in doc.pages}
        assert searched.get(document_id, set()) == {n for n, spans in expected.items() if spans is not None}, q
        for hit in listed:
            spans = sorted(expected[hit["page_number"]] or [])
            page = served.client.get(
                f"{API}/documents/{document_id}/pages/{hit['page_number']}", params={"q": q}
            ).json()
            assert mark_spans(page["highlighted_text"]) == spans, (q, document_id, hit["page_number"])
            assert hit["hits"] == page["hits"] == len(spans), (q, document_id, hit)


# Hypothesis needs the world to build its strategies, so each test draws inside, from `st.data()`.


def test_facet_counts_equal_filtered_search(served: Served) -> None:
    @SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        q = data.draw(st.sampled_from(QUERIES), label="q")
        check_facets(served, q, data.draw(filter_sets(served.world), label="filters"))

    run()


def test_export_rows_equal_total_pages(served: Served) -> None:
    @SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        q = data.draw(st.sampled_from(QUERIES), label="q")
        check_export(served, q, data.draw(filter_sets(served.world), label="filters"))

    run()


def test_exemption_analytics_equal_search_and_vaughn(served: Served) -> None:
    for production in (None, *served.world.production_ids):
        for code in CODES:
            check_exemptions(served, production, code)


def test_document_hits_equal_search_pages_and_marks_equal_truth(served: Served) -> None:
    for q in QUERIES:
        if q:
            check_hits(served, q)
