"""A document shared by two matters shows each reader only its own matter's names.

Both matters release the same PDF (no /Title of its own, a redaction box with text left under it, a
page withheld in full), each under a file name that exists only in that matter, in a production that
both happen to call "Release 1". Every route that shows a title, a file name or a production answers
reader A without a trace of B's names, and B's names neither match nor count in A's queries, on tantivy
and on the distributed engines.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from api.app import create_app
from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from tests.security.conftest import _backend

RELEASE = "Release 1"  # the same production name in both matters
A_FILE = "alphaquill-budget-memo.pdf"
B_FILE = "bravoheron-informant-list.pdf"
A_WORDS = ("alphaquill", "Alphaquill")
B_WORDS = ("bravoheron", "Bravoheron", "informant-list", "informant list")


def _shared_pdf(path: Path) -> None:
    """Two pages: a memo with a (b)(6) box drawn over a name still in the text layer, and a slip sheet."""
    canvas = Canvas(str(path), pagesize=letter)
    canvas.setTitle("")  # no /Title of its own (reportlab writes "untitled" otherwise)
    height = letter[1]
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, height - 80, "Date: January 9, 2018")
    canvas.drawString(72, height - 100, "Please contact Jane Roe about the Clearview AI pilot.")
    start = 72 + canvas.stringWidth("Please contact ", "Helvetica", 11)
    width = canvas.stringWidth("Jane Roe", "Helvetica", 11)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(start - 1, height - 103, width + 2, 14, stroke=0, fill=1)
    canvas.drawString(72, height - 140, "(b)(6)")
    canvas.showPage()
    canvas.setFont("Helvetica", 14)
    canvas.drawString(200, height / 2, "WITHHELD IN FULL (b)(5)")
    canvas.showPage()
    canvas.save()


@dataclass
class Shared:
    client: TestClient
    catalog: SqlCatalog
    document_id: str
    productions: dict[str, str]  # matter -> production id
    tokens: dict[str, str]
    search: Any

    def get(self, who: str, url: str, **params: Any) -> Any:
        r = self.client.get(url, params=params, headers={"Authorization": f"Bearer {self.tokens[who]}"})
        assert r.status_code == 200, (url, r.text)
        return r


@pytest.fixture(scope="module", params=["tantivy", "opensearch", "elasticsearch"])
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: object
) -> Iterator[Shared]:
    root = tmp_path_factory.mktemp(f"names-{request.param}")
    search = _backend(request.param, root)
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs, limits = LocalBlobStore(root / "originals"), Limits()
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        Indexer(catalog, search),
        WorkerConfig(processes=1, limits=limits, lease_seconds=30),
    )
    productions: dict[str, str] = {}
    document_ids: set[str] = set()
    _shared_pdf(root / "shared.pdf")
    # B uploads first: on main the document title was taken from the first upload's file name. Both links
    # exist before the worker indexes (re-indexing a later link is another item of the review).
    for matter, name in (("matter-b", B_FILE), ("matter-a", A_FILE)):
        production = catalog.productions.create_production(catalog.productions.ensure_collection(matter).id, RELEASE)
        productions[matter] = production.id
        (root / matter).mkdir()
        (root / matter / name).write_bytes((root / "shared.pdf").read_bytes())
        report = Intake(catalog, blobs, production.id, limits, root / "spool").add_paths([root / matter / name])
        document_ids |= {r.document_id for r in report.accepted if r.document_id}
    worker.run(threading.Event(), until_idle=True)
    search.refresh()
    (document_id,) = document_ids
    store = catalog.tokens
    tokens = {
        "reader-a": store.create("alice", "reader", ["matter-a"]).secret,
        "reader-b": store.create("bob", "reader", ["matter-b"]).secret,
        "admin": store.create("root", "admin", ["*"]).secret,
    }
    app = create_app(_Services(catalog, blobs, search), ApiSettings(limits=limits, spool_dir=root / "spool"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Shared(client, catalog, document_id, productions, tokens, search)
    worker.close()
    destroy = getattr(search, "destroy", None)
    if callable(destroy):
        destroy()
    search.close()


@dataclass
class _Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


def _assert_no_b(text: str, where: str, shared: Shared) -> None:
    for word in (*B_WORDS, shared.productions["matter-b"]):
        assert word not in text, f"{where} shows matter B's {word!r}: {text[:400]}"


def test_the_fixture_really_is_shared_and_untitled(shared: Shared) -> None:
    document = shared.catalog.documents.get_document(shared.document_id)
    assert document.title is None  # no /Title: any title shown comes from a file name
    assert shared.catalog.productions.document_collections(shared.document_id) == {
        shared.catalog.productions.collection_by_name("matter-a").id,
        shared.catalog.productions.collection_by_name("matter-b").id,
    }


ROUTES = [
    "/api/v1/documents/{id}",
    "/api/v1/analytics/density",
    "/api/v1/analytics/exemptions/b6/documents",
    "/api/v1/analytics/withheld",
    "/api/v1/analytics/failed-redactions",
    "/api/v1/productions/{production}/vaughn",
    "/api/v1/productions/{production}/vaughn?format=csv",
    "/api/v1/entities/vendor:clearview-ai",
    "/api/v1/search",
    "/api/v1/search/export?format=csv",
    "/api/v1/search/export?format=ndjson",
]


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_titles_the_document_with_the_readers_own_name(shared: Shared, route: str) -> None:
    def answer(who: str, matter: str) -> str:
        url, _, query = route.format(id=shared.document_id, production=shared.productions[matter]).partition("?")
        params = dict(p.split("=") for p in query.split("&")) if query else {}
        return str(shared.get(who, url, **params).text)

    text = answer("reader-a", "matter-a")
    assert shared.document_id in text, f"{route} must list the shared document"
    _assert_no_b(text, route, shared)
    assert "alphaquill-budget-memo" in text, f"{route} titles the document from A's own file name"
    # And the other way round: B sees its own name, never A's.
    text_b = answer("reader-b", "matter-b")
    assert "alphaquill" not in text_b.lower() and "bravoheron-informant-list" in text_b


def test_name_fields_match_only_the_readers_names(shared: Shared) -> None:
    def count(who: str, q: str) -> int:
        return int(shared.get(who, "/api/v1/search", q=q).json()["total_documents"])

    for q in ("file:bravoheron*", f"file:{B_FILE}", "title:bravoheron", "title:bravo*", "title:informant"):
        assert count("reader-a", q) == 0, q
        assert count("reader-b", q) == 1, q
        assert count("admin", q) == 1, q
    for q in ("file:alphaquill*", "title:alphaquill", 'title:"budget memo"', "title:budg*"):
        assert count("reader-a", q) == 1, q
        assert count("reader-b", q) == 0, q
    # The prefix oracle of the review: no letter of B's name ever answers A's batch. `file:` matches the
    # words of a file name too, so the letters that answer are exactly the initials of A's own words.
    a_initials = {word[0] for word in A_FILE.replace(".", "-").split("-")}
    batch = shared.client.post(
        "/api/v1/search/batch",
        json={"queries": [f"file:{c}*" for c in "abcdefghijklmnopqrstuvwxyz"]},
        headers={"Authorization": f"Bearer {shared.tokens['reader-a']}"},
    ).json()["items"]
    assert {i["query"]: i["documents"] for i in batch if i["documents"]} == {f"file:{c}*": 1 for c in a_initials}


def test_production_query_filter_and_facet_stay_in_the_readers_matter(shared: Shared) -> None:
    a, b = shared.productions["matter-a"], shared.productions["matter-b"]
    body = shared.get("reader-a", "/api/v1/search").json()
    assert [(v["value"], v["count"]) for v in body["facets"]["production"]] == [(a, 1)]
    assert [p["id"] for p in body["items"][0]["productions"]] == [a]
    assert shared.get("reader-a", "/api/v1/search", production=b).json()["total_documents"] == 0
    assert shared.get("reader-a", "/api/v1/search", q=f"production:{b}").json()["total_documents"] == 0
    assert shared.get("reader-a", "/api/v1/search", production=a).json()["total_documents"] == 1
    assert shared.get("reader-a", "/api/v1/search", q='production:"Release 1"').json()["total_documents"] == 1
    admin = shared.get("admin", "/api/v1/search").json()["facets"]["production"]
    assert sorted(v["value"] for v in admin) == sorted([a, b])


def test_export_of_same_named_productions_prints_only_the_readers_file_name(shared: Shared) -> None:
    rows = [
        json.loads(line) for line in shared.get("reader-a", "/api/v1/search/export", format="ndjson").text.splitlines()
    ]
    assert rows and {(r["file_name"], tuple(r["productions"])) for r in rows} == {(A_FILE, (RELEASE,))}


def test_reindex_from_the_catalog_keeps_names_scoped(shared: Shared) -> None:
    search = shared.search
    Indexer(shared.catalog, search).reindex_all()
    search.refresh()
    text = shared.get("reader-a", "/api/v1/search", q="file:alphaquill*").text
    assert shared.document_id in text
    _assert_no_b(text, "search after reindex", shared)
    assert shared.get("reader-a", "/api/v1/search", q="file:bravoheron*").json()["total_documents"] == 0
