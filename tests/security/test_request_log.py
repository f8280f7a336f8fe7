"""The request log context: every line written while a request is answered carries its request id (the
client's when sane, else a fresh one, returned in X-Request-ID) and the principal (token id and name, role,
collections), never the token's secret; the next request starts clean."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import structlog
from fastapi import FastAPI
from structlog.testing import capture_logs

from api.deps import PrincipalDep
from tests.security.conftest import Matters

PROBE = "/api/v1/search/log-probe"  # a route added by this test only, inside the API's guarded prefix


def _with_probe(app: FastAPI) -> None:
    if any(getattr(route, "path", None) == PROBE for route in app.router.routes):
        return

    # A sync route: it runs in a worker thread, like every route of the API that logs.
    def probe(principal: PrincipalDep) -> dict[str, str]:
        structlog.get_logger("probe").info("inside_the_route")
        return {"ok": principal.role}

    app.add_api_route(PROBE, probe, methods=["GET"])
    # The mounted UI answers every other GET path: the probe must come before it.
    app.router.routes.insert(0, app.router.routes.pop())


def _lines(m: Matters, headers: dict[str, str]) -> tuple[list[MutableMapping[str, Any]], str]:
    _with_probe(m.client.app)  # type: ignore[arg-type]
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as lines:
        response = m.client.get(PROBE, headers=headers)
    assert response.status_code == 200, response.text
    return lines, response.headers["x-request-id"]


def test_every_line_of_a_request_carries_its_id_and_principal(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    lines, returned = _lines(m, {**m.as_("reader-a"), "X-Request-ID": "client-id-42"})
    assert returned == "client-id-42"
    inside = [line for line in lines if line["event"] == "inside_the_route"]
    done = [line for line in lines if line["event"] == "request"]
    assert len(inside) == 1 and len(done) == 1
    reader = next(t for t in m.catalog.tokens.list() if t.name == "alice")
    for line in inside + done:
        assert line["request_id"] == "client-id-42"
        assert line["principal"] == f"token:{reader.id}:alice"
        assert line["role"] == "reader"
        assert line["collections"] == [m.collections["matter-a"]]
    assert done[0]["status"] == 200 and done[0]["path"] == PROBE
    secret = m.tokens["reader-a"]
    assert not any(secret in repr(line) for line in lines)


def test_an_insane_request_id_is_replaced_and_nothing_leaks_into_the_next_request(tantivy_matters: Matters) -> None:
    m = tantivy_matters
    first, _ = _lines(m, {**m.as_("reader-b"), "X-Request-ID": "two words\tand a tab"})
    second, returned = _lines(m, {**m.as_("admin-all"), "X-Request-ID": "x" * 129})
    assert returned != "x" * 129 and 0 < len(returned) <= 128
    assert {line["request_id"] for line in second} == {returned}
    assert {line["request_id"] for line in first}.isdisjoint({returned})
    assert {line["role"] for line in second} == {"admin"}
    assert all(line["collections"] == "*" for line in second)  # an admin of every collection
