"""Tampered cursors and out-of-range values: each is a 400 problem that says what is wrong, never a 500.

The API seals every list's cursor (api/cursors.py), so a client cannot alter one; the backends still read
each field of the cursor they wrote in one place (search/cursor.py), checked here on every engine with real
backend cursors altered in one field and encoded again (their fingerprint still matches, so the altered
value would reach the engine).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from search.backend import InvalidRequest, SearchRequest, SortOrder
from tests.security.conftest import Matters

PROBLEM = "application/problem+json"


def _decode(cursor: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return data


def _encode(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _tampered(cursor: str, field: str, value_json: str) -> str:
    """The cursor with one field replaced by raw JSON text (NaN and 1e308 are not Python values json writes)."""
    data = _decode(cursor)
    data[field] = "@@"
    return _encode(json.dumps(data, separators=(",", ":")).replace('"@@"', value_json))


def _tampered_key(cursor: str, index: int, value_json: str) -> str:
    data = _decode(cursor)
    data["a"][index] = "@@"
    return _encode(json.dumps(data, separators=(",", ":")).replace('"@@"', value_json))


HUGE = "9" * 40
KEY_VALUES = ["[]", "[1,2]", "null", "NaN", "Infinity", "-Infinity", "1e308", HUGE, "-" + HUGE, '{"x":1}', "true"]
FIELD_VALUES = {
    "m": ["null", "NaN", "1e308", HUGE, "-1", "[1]", '"7"', "true"],
    "s": ["[1]", '{"a":1}', "7"],
    "a": ["null", "[]", '"abc"', "[1,2,3,4,5]", "[" * 500 + "]" * 500],
}


def _first_cursor(m: Matters, sort: SortOrder) -> str:
    response = m.search.search(SearchRequest(query="clearview", page_size=1, sort=sort, facets=()))
    assert response.next_cursor, "the fixture holds several Clearview documents: a page of one has a next page"
    return str(response.next_cursor)


def _assert_problem(r: Any, words: str) -> None:
    assert r.status_code == 400, (r.status_code, r.text[:500])
    assert r.headers["content-type"] == PROBLEM
    assert words in r.json()["detail"], r.json()


@pytest.mark.parametrize("sort", ["relevance", "date_desc", "date_asc"])
def test_a_tampered_search_cursor_is_refused_by_the_backend(matters: Matters, sort: SortOrder) -> None:
    cursor = _first_cursor(matters, sort)
    tampered = [_tampered(cursor, field, value) for field, values in FIELD_VALUES.items() for value in values]
    key = _decode(cursor)["a"]
    # A null day is a real key (the undated documents come last), so it is not a tampering there.
    tampered += [
        _tampered_key(cursor, i, v)
        for i in range(len(key))
        for v in KEY_VALUES
        if not (v == "null" and sort != "relevance" and i == 0)
    ]
    tampered += [_encode("[" * 740 + "]" * 740), _encode('{"f":1e999}'), "%%%", "\u00e9t\u00e9"]
    for bad in tampered:
        request = SearchRequest(query="clearview", page_size=1, sort=sort, facets=(), cursor=bad)
        with pytest.raises(InvalidRequest, match="cursor"):
            matters.search.search(request)
    # The untouched cursor still works (the tampering, not the round trip, is what is refused).
    assert matters.search.search(SearchRequest(query="clearview", page_size=1, sort=sort, cursor=cursor)).documents


def test_a_tampered_sealed_cursor_is_a_400_problem(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    params = {"q": "clearview", "limit": 1}
    cursor = m.client.get("/api/v1/search", params=params, headers=m.as_("admin-all")).json()["next_cursor"]
    assert cursor
    for bad in [cursor[:-4] + ("AAAA" if not cursor.endswith("AAAA") else "BBBB"), "%%%", cursor + "x", ""]:
        r = m.client.get("/api/v1/search", params={**params, "cursor": bad}, headers=m.as_("admin-all"))
        if bad:
            _assert_problem(r, "cursor")


def test_a_year_filter_that_is_not_a_year_is_a_400_problem(matters: Matters) -> None:
    for year in ["9" * 20, "²⁰¹⁹", "٢٠١٩", "-2019", "20190"]:
        for path in ("/api/v1/search", "/api/v1/search/histogram"):
            r = matters.client.get(path, params={"q": "clearview", "year": year}, headers=matters.as_("admin-all"))
            _assert_problem(r, "year")
    r = matters.client.get("/api/v1/search", params={"year": "2019"}, headers=matters.as_("admin-all"))
    assert r.status_code == 200, r.text


def test_list_cursors_out_of_range_or_not_ascii_are_400_problems(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    for cursor in [f"{HUGE}:x", f"{'9' * 19}:x", "²:x", "1:", "-1:x"]:
        r = m.client.get("/api/v1/entities", params={"cursor": cursor}, headers=m.as_("admin-all"))
        _assert_problem(r, "cursor")
    for path in ("/api/v1/analytics/density", "/api/v1/analytics/withheld", "/api/v1/analytics/failed-redactions"):
        for cursor in ["²", "٣", "9" * 20, "-1", "1.5"]:
            r = m.client.get(path, params={"cursor": cursor}, headers=m.as_("admin-all"))
            _assert_problem(r, "cursor")


def test_list_cursors_are_scoped_to_their_list_parameters_and_collections(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    admin = m.as_("admin-all")
    density = "/api/v1/analytics/density"
    whole = [i["document_id"] for i in m.client.get(density, headers=admin).json()["items"]]
    assert len(whole) > 2, "the fixture holds documents of both matters"
    # Paging one row at a time returns every row exactly once, in the order of the single page.
    walked: list[str] = []
    cursors: list[str] = []
    cursor = None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = m.client.get(density, params=params, headers=admin).json()
        walked += [i["document_id"] for i in body["items"]]
        if (cursor := body["next_cursor"]) is None:
            break
        cursors.append(cursor)
    assert walked == whole
    first = cursors[0]
    # Another reader's collections, another list, another parameter: each refuses the cursor.
    r = m.client.get(density, params={"cursor": first}, headers=m.as_("reader-a"))
    _assert_problem(r, "collections")
    r = m.client.get("/api/v1/analytics/withheld", params={"cursor": first}, headers=admin)
    _assert_problem(r, "another list")
    r = m.client.get(density, params={"cursor": first, "production": m.productions["matter-a"]}, headers=admin)
    _assert_problem(r, "cursor")


def test_a_lone_surrogate_in_a_batch_query_is_a_400_problem_with_its_place(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    body = '{"queries": ["clearview", "fbi \\ud800 palantir"]}'
    r = m.client.post(
        "/api/v1/search/batch",
        content=body.encode(),
        headers={**m.as_("admin-all"), "Content-Type": "application/json"},
    )
    _assert_problem(r, "query 2")
    assert r.json()["position"] == 4 and "U+D800" in r.json()["detail"]
