"""The isolation case of every route: the probes it is read with, from the viewer's side.

One entry per route of the app (tests/security/structural/test_isolation_by_route.py fails naming any
route without one, and any entry whose route is gone). Path parameters are filled with the other
matter's ids (probes with refs: answered like ids of nothing, 404 where the route reads an object) and
with the viewer's own and shared objects; search-shaped routes take every search of queries.py; POST
routes get bodies. `known` and `unlike_alone` name probes that fail today because of a known defect
(strict xfail, from defects.py: a fix must remove its entry). The probe builders are in probe_builders.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import partial

from tests import factories
from tests.security.structural.cases_tags import TAG_CASES
from tests.security.structural.probe_builders import (
    API,
    Build,
    analytics,
    batched,
    documents,
    fresh_pdf,
    objects,
    searched,
    ui,
)
from tests.security.structural.probes import Probe
from tests.security.structural.queries import FOREIGN_SEARCHES, Ctx
from tests.security.structural.routes import RouteKey


def _shared_hits(label: str, c: Ctx) -> Probe:
    params, refs = FOREIGN_SEARCHES[label](c)
    return Probe("GET", f"{API}/documents/{c.shared}/hits", params=params, refs=refs)


def _their_note(method: str, kind: str, c: Ctx) -> Probe:
    """An edit of the other matter's note: the 404 of a note that never existed."""
    note_id = c.other.note_ids[kind]
    body = {"text": "mine now"} if method == "PATCH" else None
    return Probe(method, f"{API}/notes/{note_id}", json=body, refs=(note_id,), expect=404)


@dataclass(frozen=True)
class Case:
    route: RouteKey
    probes: dict[str, Build]
    # probe label (or "label@a" for viewer a only) -> "issue 12 item N: what leaks"
    known: dict[str, str] = field(default_factory=dict)
    # the same for the probes answering otherwise than in a world without the other matter (None: `known`)
    unlike_alone: dict[str, str] | None = None


CASES: list[Case] = [
    # -- productions and uploads
    Case(
        ("GET", f"{API}/productions"),
        {"own: my productions": lambda c: Probe("GET", f"{API}/productions")},
    ),
    Case(
        ("POST", f"{API}/productions"),
        {
            "own: a new production": lambda c: Probe(
                "POST",
                f"{API}/productions",
                role="uploader",
                json={"name": f"new {uuid.uuid4().hex[:8]}", "collection": c.me.names.collection},
                expect=201,
            ),
            "theirs: into their collection": lambda c: Probe(
                "POST",
                f"{API}/productions",
                role="uploader",
                json={"name": "sneaky", "collection": c.other.names.collection},
                refs=(c.other.names.collection,),
                expect=403,
            ),
        },
    ),
    Case(
        ("GET", f"{API}/productions/{{production_id}}"),
        objects(
            f"{API}/productions/{{}}", {"my production": lambda c: c.me.production_id}, lambda c: c.other.production_id
        ),
    ),
    Case(
        ("GET", f"{API}/productions/{{production_id}}/files"),
        objects(
            f"{API}/productions/{{}}/files",
            {"my production": lambda c: c.me.production_id},
            lambda c: c.other.production_id,
        ),
    ),
    Case(
        ("POST", f"{API}/productions/{{production_id}}/files"),
        {
            "own: a fresh file": lambda c: Probe(
                "POST",
                f"{API}/productions/{c.me.production_id}/files",
                role="uploader",
                files=(fresh_pdf(),),
                expect=None,
            ),
            "theirs: into their production": lambda c: Probe(
                "POST",
                f"{API}/productions/{c.other.production_id}/files",
                role="uploader",
                files=(("same-name.pdf", factories.born_digital_pdf(["never stored"])),),
                refs=(c.other.production_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("POST", f"{API}/productions/{{production_id}}/retry"),
        {
            "own: my production": lambda c: Probe(
                "POST", f"{API}/productions/{c.me.production_id}/retry", role="uploader"
            ),
            "theirs: their production": lambda c: Probe(
                "POST",
                f"{API}/productions/{c.other.production_id}/retry",
                role="uploader",
                refs=(c.other.production_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("GET", f"{API}/productions/{{production_id}}/vaughn"),
        {
            **objects(
                f"{API}/productions/{{}}/vaughn",
                {"my production": lambda c: c.me.production_id},
                lambda c: c.other.production_id,
            ),
            "own: my production as CSV": lambda c: Probe(
                "GET", f"{API}/productions/{c.me.production_id}/vaughn", params=(("format", "csv"),)
            ),
            "own: my production of the name both use, as CSV": lambda c: Probe(
                "GET", f"{API}/productions/{c.me.reissue_production_id}/vaughn", params=(("format", "csv"),)
            ),
        },
    ),
    # -- search
    Case(("GET", f"{API}/search"), searched(f"{API}/search")),
    Case(("GET", f"{API}/search/histogram"), searched(f"{API}/search/histogram")),
    Case(
        ("GET", f"{API}/search/export"),
        {
            **{f"csv {k}": v for k, v in searched(f"{API}/search/export").items()},
            **{f"ndjson {k}": v for k, v in searched(f"{API}/search/export", extra=(("format", "ndjson"),)).items()},
        },
    ),
    Case(
        ("POST", f"{API}/search/batch"),
        batched(),
    ),
    # -- documents
    Case(
        ("GET", f"{API}/documents/{{document_id}}"),
        documents(""),
    ),
    Case(
        ("GET", f"{API}/documents/{{document_id}}/pages/{{number}}"),
        {
            **documents("/pages/1", params=(("q", "Microsoft"),)),
            "theirs: their word on the shared page": lambda c: Probe(
                "GET",
                f"{API}/documents/{c.shared}/pages/1",
                params=(("q", c.other.names.word),),
                refs=(c.other.names.word,),
            ),
        },
    ),
    Case(("GET", f"{API}/documents/{{document_id}}/pages/{{number}}/image"), documents("/pages/1/image")),
    Case(("GET", f"{API}/documents/{{document_id}}/file"), documents("/file")),
    Case(
        ("GET", f"{API}/documents/{{document_id}}/hits"),
        {
            **documents("/hits", params=(("q", "Microsoft OR contract"),)),
            **{
                f"theirs: the shared record, {label}": partial(_shared_hits, label)
                for label in (
                    "a prefix of their title",
                    "their file name for the shared record",
                    "their production name",
                )
            },
        },
    ),
    Case(("GET", f"{API}/documents/{{document_id}}/redactions"), documents("/redactions")),
    # -- notes (the viewer's reader wrote a shared and a private note on the shared record, as did theirs)
    Case(("GET", f"{API}/documents/{{document_id}}/notes"), documents("/notes")),
    Case(
        ("POST", f"{API}/documents/{{document_id}}/pages/{{number}}/notes"),
        {
            "own: a note on the shared record": lambda c: Probe(
                "POST", f"{API}/documents/{c.shared}/pages/1/notes", json={"text": "a new note"}, expect=201
            ),
            "theirs: on their record": lambda c: Probe(
                "POST",
                f"{API}/documents/{c.other.own_document}/pages/1/notes",
                json={"text": "a new note"},
                refs=(c.other.own_document,),
                expect=404,
            ),
            "theirs: on the shared record, in their collection": lambda c: Probe(
                "POST",
                f"{API}/documents/{c.shared}/pages/1/notes",
                json={"text": "a new note", "collection": c.other.collection_id},
                refs=(c.other.collection_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("PATCH", f"{API}/notes/{{note_id}}"),
        {
            "own: my shared note, its own text": lambda c: Probe(
                "PATCH", f"{API}/notes/{c.me.note_ids['shared']}", json={"text": f"{c.me.names.word} review"}
            ),
            **{f"theirs: their {kind} note": partial(_their_note, "PATCH", kind) for kind in ("shared", "private")},
        },
    ),
    Case(
        ("DELETE", f"{API}/notes/{{note_id}}"),
        {
            "own: my uploader's note": lambda c: Probe(
                "DELETE", f"{API}/notes/{c.me.note_ids['spare']}", role="uploader", expect=None
            ),
            **{
                f"theirs: their {kind} note": partial(_their_note, "DELETE", kind)
                for kind in ("shared", "private", "spare")
            },
        },
    ),
    Case(("GET", f"{API}/documents/{{document_id}}/rereleases"), documents("/rereleases")),
    # -- entities
    Case(
        ("GET", f"{API}/entities"),
        {
            **searched(f"{API}/entities"),
            "own: my organization prefix": lambda c: Probe(
                "GET", f"{API}/entities", params=(("prefix", c.me.names.organization[:5]),)
            ),
            "theirs: their organization prefix (entity prefix)": lambda c: Probe(
                "GET",
                f"{API}/entities",
                params=(("prefix", c.other.names.organization[:5]),),
                refs=(c.other.names.organization[:5],),
            ),
        },
    ),
    Case(
        ("GET", f"{API}/entities/{{entity_id}}"),
        objects(
            f"{API}/entities/{{}}",
            {
                "my organization": lambda c: c.me.organization_id,
                "a vendor of the shared record": lambda c: "vendor:microsoft",
                "a vendor of every record": lambda c: "vendor:clearview-ai",
            },
            lambda c: c.other.organization_id,
        ),
    ),
    Case(
        ("GET", f"{API}/entities/{{entity_id}}/timeline"),
        {
            **searched(f"{API}/entities/vendor:microsoft/timeline"),
            "theirs: their organization": lambda c: Probe(
                "GET", f"{API}/entities/{c.other.organization_id}/timeline", refs=(c.other.organization_id,), expect=404
            ),
        },
    ),
    # -- entity corrections (an admin scoped to the matter; the other matter's entity is an entity of nothing)
    Case(
        ("PATCH", f"{API}/entities/{{entity_id}}"),
        {
            "own: my organization, its own type": lambda c: Probe(
                "PATCH",
                f"{API}/entities/{c.me.organization_id}",
                role="admin",
                json={"type": c.me.organization_id.partition(":")[0]},  # changes nothing a later probe reads
            ),
            "theirs: their organization": lambda c: Probe(
                "PATCH",
                f"{API}/entities/{c.other.organization_id}",
                role="admin",
                json={"type": "vendor"},
                refs=(c.other.organization_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("POST", f"{API}/entities/{{entity_id}}/merge"),
        {
            "own: into itself": lambda c: Probe(
                "POST",
                f"{API}/entities/{c.me.organization_id}/merge",
                role="admin",
                json={"into": c.me.organization_id},
                expect=400,
            ),
            "theirs: mine into their organization": lambda c: Probe(
                "POST",
                f"{API}/entities/{c.me.organization_id}/merge",
                role="admin",
                json={"into": c.other.organization_id},
                refs=(c.other.organization_id,),
                expect=404,
            ),
            "theirs: their organization": lambda c: Probe(
                "POST",
                f"{API}/entities/{c.other.organization_id}/merge",
                role="admin",
                json={"into": "vendor:microsoft"},
                refs=(c.other.organization_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("DELETE", f"{API}/entities/{{entity_id}}/correction"),
        {
            "own: my organization": lambda c: Probe(
                "DELETE", f"{API}/entities/{c.me.organization_id}/correction", role="admin", expect=None
            ),
            "theirs: their organization": lambda c: Probe(
                "DELETE",
                f"{API}/entities/{c.other.organization_id}/correction",
                role="admin",
                refs=(c.other.organization_id,),
                expect=404,
            ),
        },
    ),
    # -- analytics
    Case(
        ("GET", f"{API}/analytics/exemptions"),
        {
            **{f"by production, {k}": v for k, v in analytics(f"{API}/analytics/exemptions").items()},
            **{f"by agency, {k}": v for k, v in analytics(f"{API}/analytics/exemptions", group_by="agency").items()},
            **{f"by month, {k}": v for k, v in analytics(f"{API}/analytics/exemptions", group_by="month").items()},
        },
    ),
    Case(
        ("GET", f"{API}/analytics/exemptions/{{code}}/documents"),
        {
            **{f"b7C, {k}": v for k, v in analytics(f"{API}/analytics/exemptions/b7C/documents").items()},
            "own: b6 (the shared record)": lambda c: Probe("GET", f"{API}/analytics/exemptions/b6/documents"),
        },
    ),
    Case(("GET", f"{API}/analytics/withheld"), analytics(f"{API}/analytics/withheld")),
    Case(
        ("GET", f"{API}/analytics/density"),
        analytics(f"{API}/analytics/density"),
    ),
    Case(("GET", f"{API}/analytics/failed-redactions"), analytics(f"{API}/analytics/failed-redactions")),
    # -- saved searches and alerts (the reader's own, in the reader's matter)
    Case(
        ("POST", f"{API}/saved-searches"),
        {
            "own: a new saved search": lambda c: Probe(
                "POST",
                f"{API}/saved-searches",
                json={"name": "new", "q": "Microsoft", "collection": c.me.collection_id, "alert": True},
                expect=201,
            ),
            "theirs: into their collection": lambda c: Probe(
                "POST",
                f"{API}/saved-searches",
                json={"name": "sneaky", "q": "Microsoft", "collection": c.other.collection_id},
                refs=(c.other.collection_id,),
                expect=404,
            ),
            "theirs: into their collection by name": lambda c: Probe(
                "POST",
                f"{API}/saved-searches",
                json={"name": "sneaky", "q": "Microsoft", "collection": c.other.names.collection},
                refs=(c.other.names.collection,),
                expect=404,
            ),
        },
    ),
    Case(("GET", f"{API}/saved-searches"), {"own: my saved searches": lambda c: Probe("GET", f"{API}/saved-searches")}),
    Case(
        ("GET", f"{API}/saved-searches/{{saved_search_id}}"),
        objects(
            f"{API}/saved-searches/{{}}",
            {"my saved search": lambda c: c.me.saved_search_id},
            lambda c: c.other.saved_search_id,
        ),
    ),
    Case(
        ("PATCH", f"{API}/saved-searches/{{saved_search_id}}"),
        {
            "own: my saved search, its own name": lambda c: Probe(
                "PATCH",
                f"{API}/saved-searches/{c.me.saved_search_id}",
                json={"name": f"{c.me.names.word} watch"},
            ),
            "theirs: their saved search": lambda c: Probe(
                "PATCH",
                f"{API}/saved-searches/{c.other.saved_search_id}",
                json={"alert": False},
                refs=(c.other.saved_search_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("DELETE", f"{API}/saved-searches/{{saved_search_id}}"),
        {
            "own: my spare saved search": lambda c: Probe(
                "DELETE", f"{API}/saved-searches/{c.me.spare_saved_search_id}", expect=None
            ),
            "theirs: their saved search": lambda c: Probe(
                "DELETE",
                f"{API}/saved-searches/{c.other.saved_search_id}",
                refs=(c.other.saved_search_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("GET", f"{API}/saved-searches/{{saved_search_id}}/deliveries"),
        objects(
            f"{API}/saved-searches/{{}}/deliveries",
            {"my saved search": lambda c: c.me.saved_search_id},
            lambda c: c.other.saved_search_id,
        ),
    ),
    Case(
        ("GET", f"{API}/alerts"),
        {
            "own: my alerts": lambda c: Probe("GET", f"{API}/alerts"),
            "own: my unread alerts": lambda c: Probe("GET", f"{API}/alerts", params=(("unread", "true"),)),
            "theirs: older than their alert": lambda c: Probe(
                "GET", f"{API}/alerts", params=(("before", c.other.alert_id),), refs=(c.other.alert_id,)
            ),
        },
    ),
    Case(
        ("POST", f"{API}/alerts/read"),
        {
            "own: my alert": lambda c: Probe("POST", f"{API}/alerts/read", json={"ids": [c.me.alert_id]}),
            "theirs: their alert": lambda c: Probe(
                "POST", f"{API}/alerts/read", json={"ids": [c.other.alert_id]}, refs=(c.other.alert_id,)
            ),
        },
    ),
    # -- watchlists (each matter screened its watchlist against its collection; probes change two others)
    Case(
        ("POST", f"{API}/watchlists"),
        {
            "own: a new watchlist": lambda c: Probe(
                "POST",
                f"{API}/watchlists",
                json={"name": f"new {uuid.uuid4().hex[:8]}", "terms": ["Microsoft", c.me.names.word]},
                expect=201,
            ),
            "own: a term that does not parse": lambda c: Probe(
                "POST", f"{API}/watchlists", json={"name": "broken", "terms": ["Microsoft AND"]}, expect=422
            ),
            "theirs: into their collection": lambda c: Probe(
                "POST",
                f"{API}/watchlists",
                json={"name": "sneaky", "terms": ["Microsoft"], "collection": c.other.collection_id},
                refs=(c.other.collection_id,),
                expect=404,
            ),
        },
    ),
    Case(("GET", f"{API}/watchlists"), {"own: my watchlists": lambda c: Probe("GET", f"{API}/watchlists")}),
    Case(
        ("GET", f"{API}/watchlists/{{watchlist_id}}"),
        objects(
            f"{API}/watchlists/{{}}",
            {"my watchlist": lambda c: c.me.watchlist_ids["watchlist"]},
            lambda c: c.other.watchlist_ids["watchlist"],
        ),
    ),
    Case(
        ("GET", f"{API}/watchlists/{{watchlist_id}}/report"),
        {
            **objects(
                f"{API}/watchlists/{{}}/report",
                {"my watchlist": lambda c: c.me.watchlist_ids["watchlist"]},
                lambda c: c.other.watchlist_ids["watchlist"],
            ),
            "own: my report as CSV": lambda c: Probe(
                "GET", f"{API}/watchlists/{c.me.watchlist_ids['watchlist']}/report", params=(("format", "csv"),)
            ),
            "theirs: my watchlist in their production": lambda c: Probe(
                "GET",
                f"{API}/watchlists/{c.me.watchlist_ids['watchlist']}/report",
                params=(("production", c.other.production_id),),
                refs=(c.other.production_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("PUT", f"{API}/watchlists/{{watchlist_id}}"),
        {
            "own: my spare watchlist, unchanged": lambda c: Probe(
                "PUT",
                f"{API}/watchlists/{c.me.watchlist_ids['spare']}",
                json={"name": f"{c.me.names.word} spare", "terms": ["contract"]},
            ),
            "theirs: their watchlist": lambda c: Probe(
                "PUT",
                f"{API}/watchlists/{c.other.watchlist_ids['watchlist']}",
                json={"name": "taken over", "terms": ["Microsoft"]},
                refs=(c.other.watchlist_ids["watchlist"],),
                expect=404,
            ),
        },
    ),
    Case(
        ("POST", f"{API}/watchlists/{{watchlist_id}}/screen"),
        {
            "own: my spare watchlist in my production": lambda c: Probe(
                "POST",
                f"{API}/watchlists/{c.me.watchlist_ids['spare']}/screen",
                json={"production": c.me.production_id},
                expect=202,
            ),
            "theirs: their watchlist": lambda c: Probe(
                "POST",
                f"{API}/watchlists/{c.other.watchlist_ids['watchlist']}/screen",
                refs=(c.other.watchlist_ids["watchlist"],),
                expect=404,
            ),
            "theirs: my spare watchlist in their production": lambda c: Probe(
                "POST",
                f"{API}/watchlists/{c.me.watchlist_ids['spare']}/screen",
                json={"production": c.other.production_id},
                refs=(c.other.production_id,),
                expect=404,
            ),
        },
    ),
    Case(
        ("DELETE", f"{API}/watchlists/{{watchlist_id}}"),
        {
            "own: my doomed watchlist": lambda c: Probe(
                "DELETE", f"{API}/watchlists/{c.me.watchlist_ids['doomed']}", expect=None
            ),
            "theirs: their watchlist": lambda c: Probe(
                "DELETE",
                f"{API}/watchlists/{c.other.watchlist_ids['watchlist']}",
                refs=(c.other.watchlist_ids["watchlist"],),
                expect=404,
            ),
        },
    ),
    # -- the field registry (the same for every reader)
    Case(("GET", f"{API}/fields"), {"own: the fields": lambda c: Probe("GET", f"{API}/fields")}),
    # -- session
    Case(
        ("POST", f"{API}/session"),
        {"own: sign in": lambda c: Probe("POST", f"{API}/session", json={"token": c.token})},
    ),
    Case(("GET", f"{API}/session"), {"own: who am I": lambda c: Probe("GET", f"{API}/session")}),
    Case(
        ("POST", f"{API}/session/sign-out"),
        {"own: sign out": lambda c: Probe("POST", f"{API}/session/sign-out", expect=204)},
    ),
    # -- the OpenAPI document and the UI
    Case(("GET", f"{API}/openapi.json"), {"own: the document": lambda c: Probe("GET", f"{API}/openapi.json")}),
    Case(("GET", f"{API}/docs"), {"own: the page": lambda c: Probe("GET", f"{API}/docs")}),
    Case(
        ("GET", f"{API}/docs/assets/{{name}}"),
        {"own: an asset": lambda c: Probe("GET", f"{API}/docs/assets/swagger-ui.css")},
    ),
    Case(("GET", "/static/{path:path}"), {"own: an asset": lambda c: Probe("GET", "/static/favicon.svg")}),
    Case(("GET", "/"), ui("/")),
    Case(
        ("GET", "/search"),
        {
            "theirs: a search for their word": lambda c: Probe(
                "GET", "/search", params=(("q", c.other.names.word),), refs=(c.other.names.word,)
            )
        },
    ),
    Case(("GET", "/batch"), ui("/batch")),
    Case(
        ("GET", "/documents/{rest:path}"),
        {
            "own: my record": lambda c: Probe("GET", f"/documents/{c.me.own_document}"),
            "theirs: their record": lambda c: Probe(
                "GET", f"/documents/{c.other.own_document}", refs=(c.other.own_document,)
            ),
        },
    ),
    Case(("GET", "/entities"), ui("/entities")),
    Case(
        ("GET", "/entities/{rest:path}"),
        {
            "theirs: their organization": lambda c: Probe(
                "GET", f"/entities/{c.other.organization_id}", refs=(c.other.organization_id,)
            ),
        },
    ),
    Case(("GET", "/productions"), ui("/productions")),
    Case(("GET", "/saved"), ui("/saved")),
    Case(("GET", "/alerts"), ui("/alerts")),
    Case(
        ("GET", "/productions/{rest:path}"),
        {
            "theirs: their production": lambda c: Probe(
                "GET", f"/productions/{c.other.production_id}", refs=(c.other.production_id,)
            ),
        },
    ),
    Case(("GET", "/watchlists"), ui("/watchlists")),
    Case(
        ("GET", "/watchlists/{rest:path}"),
        {
            "theirs: their watchlist": lambda c: Probe(
                "GET",
                f"/watchlists/{c.other.watchlist_ids['watchlist']}",
                refs=(c.other.watchlist_ids["watchlist"],),
            ),
        },
    ),
]

CASES += [Case(route, probes) for route, probes in TAG_CASES]
