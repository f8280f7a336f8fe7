"""Hostile queries: hypothesis strings built from the query language's own operators never cause a 500
and never run away (each answers within a time bound; the API's deadline answers 503 past it)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import Matters

TOKENS = st.sampled_from(
    [
        "a*", "c*", "clear*", "!p", "*", "?", "AND", "OR", "NOT", "(", ")", '"', "~100", "~1", "w/100", "pre/100",
        "w/0", "vendor:", "date:[2018-01-01 TO 2020-12-31]", "date:[* TO *]", "bates:FBI-*", "exemption:b6",
        "clearview", "ai", "fbi", "palantir", "\\", ":", "^", "[", "]", "{", "}", "~", "-", "+", "&&", "||",
        "\u0000", "\u202e", "𝔣𝔬𝔦𝔞", "x" * 300,
    ]
)  # fmt: skip
QUERIES = st.lists(TOKENS, min_size=1, max_size=60).map(" ".join) | st.text(max_size=2100)
BOUND_SECONDS = 3.0


@pytest.fixture
def m(tantivy_matters: Matters) -> Matters:
    return tantivy_matters


@given(q=QUERIES)
@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_query_fails_or_runs_away(m: Matters, q: str) -> None:
    for path in ("/api/v1/search", "/api/v1/search/histogram"):
        started = time.monotonic()
        r = m.client.get(path, params={"q": q}, headers=m.as_("admin-all"))
        elapsed = time.monotonic() - started
        assert r.status_code in (200, 400, 422), (q, r.status_code, r.text[:300])
        assert elapsed < BOUND_SECONDS, (q, elapsed)
        if r.status_code != 200:
            assert r.headers["content-type"] == "application/problem+json"


def test_the_deadline_answers_503_with_a_problem(m: Matters) -> None:
    guard = m.client.app.state.services.search  # type: ignore[attr-defined]
    backend, saved = guard._backend, guard._timeout

    class Stuck:  # a backend caught in a pathological query
        def search(self, request: object) -> object:
            time.sleep(1.0)
            return backend.search(request)

    guard._backend, guard._timeout = Stuck(), 0.1
    try:
        started = time.monotonic()
        r = m.client.get("/api/v1/search", params={"q": "clearview"}, headers=m.as_("admin-all"))
        assert time.monotonic() - started < 0.9
    finally:
        guard._backend, guard._timeout = backend, saved
    assert r.status_code == 503 and r.json()["type"] == "/problems/search-timeout"
