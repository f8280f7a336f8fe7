"""Probe builders for the isolation cases (cases.py): every own and foreign search on a search-shaped
route, batch bodies, object routes read with the viewer's and the other matter's ids, analytics scoped to
a production, fresh uploads, UI pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from tests import factories
from tests.security.structural.probes import Probe
from tests.security.structural.queries import FOREIGN_SEARCHES, OWN_SEARCHES, Ctx, Params

API = "/api/v1"
Build = Callable[[Ctx], Probe]


def searched(path: str, *, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, Build]:
    """Every own and foreign search on a GET route taking the search filters."""
    probes: dict[str, Build] = {}
    for label, own in OWN_SEARCHES.items():

        def own_search(c: Ctx, own: Callable[[Ctx], Params] = own) -> Probe:
            return Probe("GET", path, params=(*own(c), *extra))

        probes[f"own: {label}"] = own_search
    for label, foreign in FOREIGN_SEARCHES.items():

        def build(c: Ctx, foreign: Callable[[Ctx], tuple[Params, tuple[str, ...]]] = foreign) -> Probe:
            params, refs = foreign(c)
            return Probe("GET", path, params=(*params, *extra), refs=refs)

        probes[f"theirs: {label}"] = build
    return probes


def batched() -> dict[str, Build]:
    path = f"{API}/search/batch"

    def own(c: Ctx) -> Probe:
        queries = [dict(search(c)).get("q") or "Microsoft" for search in OWN_SEARCHES.values()]
        return Probe("POST", path, json={"queries": queries})

    probes: dict[str, Build] = {"own: every own search": own}
    for label, foreign in FOREIGN_SEARCHES.items():

        def build(c: Ctx, foreign: Callable[[Ctx], tuple[Params, tuple[str, ...]]] = foreign) -> Probe:
            params, refs = foreign(c)
            query = dict(params).get("q")
            if query is None:  # a filter: the batch applies it to every query
                return Probe("POST", path, params=params, json={"queries": ["Microsoft"]}, refs=refs)
            return Probe("POST", path, json={"queries": [query]}, refs=refs)

        probes[f"theirs: {label}"] = build
    return probes


def objects(
    template: str, own: dict[str, Callable[[Ctx], str]], theirs: Callable[[Ctx], str], **kw: object
) -> dict[str, Build]:
    """A route reading one object: the viewer's own objects answer 200, the other matter's a 404 that is
    the 404 of an object that never existed."""
    probes: dict[str, Build] = {}
    for label, pick in own.items():

        def own_object(c: Ctx, pick: Callable[[Ctx], str] = pick) -> Probe:
            return Probe("GET", template.format(pick(c)), **kw)  # type: ignore[arg-type]

        probes[f"own: {label}"] = own_object
    probes["theirs: their object"] = lambda c: Probe(
        "GET",
        template.format(theirs(c)),
        refs=(theirs(c),),
        expect=404,
        **kw,  # type: ignore[arg-type]
    )
    return probes


def documents(suffix: str, **kw: object) -> dict[str, Build]:
    return objects(
        f"{API}/documents/{{}}{suffix}",
        {
            "my own record": lambda c: c.me.own_document,
            "the shared record": lambda c: c.shared,
            "the record both released as Release 1": lambda c: c.reissued,
            "the record matter A linked later": lambda c: c.late,
        },
        lambda c: c.other.own_document,
        **kw,
    )


def analytics(path: str, **extra: str) -> dict[str, Build]:
    fixed = tuple(extra.items())
    return {
        "own: everything": lambda c: Probe("GET", path, params=fixed),
        "own: my production": lambda c: Probe("GET", path, params=(*fixed, ("production", c.me.production_id))),
        "theirs: their production": lambda c: Probe(
            "GET",
            path,
            params=(*fixed, ("production", c.other.production_id)),
            refs=(c.other.production_id,),
            expect=None,
        ),
    }


def fresh_pdf() -> tuple[str, bytes]:
    # Never seen by either matter: the upload answer must not depend on what the other matter holds.
    marker = uuid.uuid4().hex[:8]
    return f"fresh-{marker}.pdf", factories.born_digital_pdf([f"A fresh upload numbered {marker}."])


def ui(path: str) -> dict[str, Build]:
    return {"own: the page": lambda c: Probe("GET", path)}
