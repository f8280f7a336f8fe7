"""The isolation cases of the tag routes (cases.py adds them to CASES): the viewer tags its own and the
shared record in its own matter; the other matter's records, collection and tag listing answer exactly as
ids of nothing do."""

from __future__ import annotations

import uuid

from tests.security.structural.probe_builders import API, Build, documents
from tests.security.structural.probes import Probe
from tests.security.structural.queries import Ctx
from tests.security.structural.routes import RouteKey


def _change(method: str, suffix: str, expect: int) -> dict[str, Build]:
    """PUT or DELETE of a tag on the viewer's records, on the other matter's record, and on the shared
    record in the other matter's name."""
    return {
        "own: my own record": lambda c: Probe(method, f"{API}/documents/{c.me.own_document}{suffix}", expect=expect),
        "own: the shared record": lambda c: Probe(method, f"{API}/documents/{c.shared}{suffix}", expect=expect),
        "own: the record matter A linked later": lambda c: Probe(
            method, f"{API}/documents/{c.late}{suffix}", expect=expect
        ),
        "theirs: their record": lambda c: Probe(
            method, f"{API}/documents/{c.other.own_document}{suffix}", refs=(c.other.own_document,), expect=404
        ),
        "theirs: the shared record in their collection": lambda c: Probe(
            method,
            f"{API}/documents/{c.shared}{suffix}",
            params=(("collection", c.other.collection_id),),
            refs=(c.other.collection_id,),
            expect=404,
        ),
        "own: a tag my matter does not have": lambda c: Probe(
            method, f"{API}/documents/{c.me.own_document}{suffix.replace('/hot', '/no-such-tag')}", expect=404
        ),
    }


def _new_tag(c: Ctx) -> Probe:
    return Probe("POST", f"{API}/tags", json={"name": f"t-{uuid.uuid4().hex[:8]}"}, expect=201)


TAG_CASES: list[tuple[RouteKey, dict[str, Build]]] = [
    (
        ("GET", f"{API}/tags"),
        {
            "own: my tags": lambda c: Probe("GET", f"{API}/tags"),
            "own: my collection's tags": lambda c: Probe(
                "GET", f"{API}/tags", params=(("collection", c.me.collection_id),)
            ),
            "theirs: their collection's tags": lambda c: Probe(
                "GET",
                f"{API}/tags",
                params=(("collection", c.other.collection_id),),
                refs=(c.other.collection_id,),
                expect=404,
            ),
        },
    ),
    (
        ("POST", f"{API}/tags"),
        {
            "own: a new tag": _new_tag,
            "theirs: a tag of their collection": lambda c: Probe(
                "POST",
                f"{API}/tags",
                json={"name": "sneaky", "collection": c.other.collection_id},
                refs=(c.other.collection_id,),
                expect=404,
            ),
        },
    ),
    (("GET", f"{API}/documents/{{document_id}}/tags"), documents("/tags")),
    (("PUT", f"{API}/documents/{{document_id}}/tags/{{tag}}"), _change("PUT", "/tags/hot", 200)),
    (("DELETE", f"{API}/documents/{{document_id}}/tags/{{tag}}"), _change("DELETE", "/tags/hot", 204)),
    (
        ("PUT", f"{API}/documents/{{document_id}}/pages/{{number}}/tags/{{tag}}"),
        _change("PUT", "/pages/1/tags/hot", 200),
    ),
    (
        ("DELETE", f"{API}/documents/{{document_id}}/pages/{{number}}/tags/{{tag}}"),
        _change("DELETE", "/pages/1/tags/hot", 204),
    ),
]


def _bulk(c: Ctx, params: tuple[tuple[str, str], ...], expected: int, **kw: object) -> Probe:
    return Probe(
        "POST",
        f"{API}/tags/hot/bulk",
        params=params,
        json={"expected_count": expected, "level": "page", "action": "remove"},
        **kw,  # type: ignore[arg-type]
    )


BULK_CASES: list[tuple[RouteKey, dict[str, Build]]] = [
    (
        ("POST", f"{API}/tags/{{tag_name}}/bulk"),
        {
            # Removing a tag nobody set changes nothing a later probe reads; the count is confirmed as 0.
            "own: my word, no page tagged": lambda c: _bulk(c, (("q", "tag:hot AND tag:relevant"),), 0),
            "theirs: their word (its count must be the count of nothing)": lambda c: _bulk(
                c, (("q", c.other.names.word),), 0, refs=(c.other.names.word,)
            ),
            "theirs: their collection": lambda c: Probe(
                "POST",
                f"{API}/tags/hot/bulk",
                params=(("q", "memo"),),
                json={"expected_count": 0, "collection": c.other.collection_id},
                refs=(c.other.collection_id,),
                expect=404,
            ),
        },
    ),
]
TAG_CASES += BULK_CASES
