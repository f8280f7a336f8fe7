"""A document another matter already holds, uploaded by a second matter after the first one is done.

Matter B's upload reads like any new file (the answer, the file list, the counts), goes through the queue,
and afterwards B's reader finds the document by search, facet, filter, export, histogram and batch.
On tantivy, OpenSearch and Elasticsearch with the SQLite catalog, and on PostgreSQL + OpenSearch with two
workers at once.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.sql import SqlCatalog
from ingest.check import run_check
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from tests import factories
from tests.catalog.postgres import schema_url
from tests.conftest import service_url
from tests.security.conftest import _backend

SHARED_TEXT = "Date: January 9, 2018\nThe zuluword memo says the agency met Microsoft about face recognition."
A_TEXT = "Date: March 3, 2019\nA memo only matter A holds, about Clearview AI."
FRESH_TEXT = "Date: June 5, 2020\nA letter nobody had before, about Palantir."


@dataclass
class Linked:
    client: TestClient
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any
    tokens: dict[str, str]
    productions: dict[str, str]  # matter -> production id
    shared: str  # the document both matters hold
    answer: dict[str, Any]  # matter B's upload answer
    after: dict[str, Any]  # matter B's production once the workers are idle
    files_after: dict[str, str]  # matter B's file name -> status once the workers are idle
    before: dict[str, list[int]]  # what matter B's reader got right after the upload

    def get(self, path: str, who: str, **params: Any) -> Any:
        r = self.client.get(f"/api/v1{path}", params=params, headers={"Authorization": f"Bearer {self.tokens[who]}"})
        assert r.status_code == 200, r.text
        return r


def _pg_catalog() -> tuple[SqlCatalog, Any]:
    base = service_url("FOIA_TEST_DATABASE_URL", "PostgreSQL (scripts/postgres/start.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return SqlCatalog(schema_url(base, schema)), drop


@pytest.fixture(
    scope="module",
    params=["tantivy", "opensearch", "elasticsearch", pytest.param("postgres-opensearch", marks=pytest.mark.postgres)],
)
def linked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: object
) -> Iterator[Linked]:
    kind: str = request.param
    root = tmp_path_factory.mktemp(f"linked-{kind}")
    engine = kind.removeprefix("postgres-")
    search = _backend(engine, root)
    if kind.startswith("postgres"):
        catalog, drop = _pg_catalog()
        workers = 2  # two workers at once, each with its own catalog connection pool
    else:
        catalog, drop = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}"), None
        workers = 1
    catalog.create_schema()
    blobs = LocalBlobStore(root / "originals")
    limits = Limits()
    pool = [
        Worker(
            catalog,
            blobs,
            analyzer,  # type: ignore[arg-type]
            document_date,
            Indexer(catalog, search),
            WorkerConfig(processes=1, limits=limits, lease_seconds=30),
        )
        for _ in range(workers)
    ]

    def run_workers() -> None:
        threads = [threading.Thread(target=w.run, args=(threading.Event(), True)) for w in pool]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        search.refresh()

    shared_pdf = factories.born_digital_pdf([SHARED_TEXT, "Second page of the shared memo."])
    productions = {}
    for matter in ("matter-a", "matter-b"):
        collection = catalog.productions.ensure_collection(matter)
        productions[matter] = catalog.productions.create_production(collection.id, f"{matter} release 1").id
    folder = root / "a"
    folder.mkdir()
    (folder / "a-name.pdf").write_bytes(shared_pdf)
    (folder / "a-only.pdf").write_bytes(factories.born_digital_pdf([A_TEXT]))
    report = Intake(catalog, blobs, productions["matter-a"], limits, root / "spool").add_paths(sorted(folder.iterdir()))
    shared = next(f.document_id for f in report.accepted if f.original_name == "a-name.pdf")
    assert shared is not None
    run_workers()  # matter A's files are done and indexed before matter B sends anything

    store = catalog.tokens
    tokens = {
        "reader-a": store.create("alice", "reader", ["matter-a"]).secret,
        "reader-b": store.create("bob", "reader", ["matter-b"]).secret,
        "uploader-b": store.create("ben", "uploader", ["matter-b"]).secret,
    }
    app = create_app(
        _Services(catalog, blobs, search), ApiSettings(limits=limits, spool_dir=root / "spool"), open_allowed=True
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        upload = client.post(
            f"/api/v1/productions/{productions['matter-b']}/files",
            files=[
                ("files", ("b-name.pdf", shared_pdf, "application/pdf")),
                ("files", ("b-fresh.pdf", factories.born_digital_pdf([FRESH_TEXT]), "application/pdf")),
            ],
            headers={"Authorization": f"Bearer {tokens['uploader-b']}"},
        )
        assert upload.status_code == 202, upload.text
        reader = {"Authorization": f"Bearer {tokens['reader-b']}"}
        before = {
            f["name"]: [
                client.get(f"/api/v1/documents/{f['document_id']}{suffix}", headers=reader).status_code
                for suffix in ("", "/pages/1", "/hits?q=memo")
            ]
            for f in upload.json()["accepted"]
        }
        entities = client.get("/api/v1/entities", params={"limit": 200}, headers=reader).json()["items"]
        before["entities"] = [e["documents"] for e in entities if e["documents"]]
        run_workers()
        auth = {"Authorization": f"Bearer {tokens['uploader-b']}"}
        after = client.get(f"/api/v1/productions/{productions['matter-b']}", headers=auth).json()
        files = client.get(f"/api/v1/productions/{productions['matter-b']}/files", headers=auth).json()["items"]
        yield Linked(
            client,
            catalog,
            blobs,
            search,
            tokens,
            productions,
            shared,
            upload.json(),
            after,
            {f["name"]: f["status"] for f in files},
            before,
        )
    for worker in pool:
        worker.close()
    destroy = getattr(search, "destroy", None)
    if callable(destroy):
        destroy()
    search.close()
    catalog.close()
    if drop is not None:
        drop()


@dataclass
class _Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


def test_the_upload_answer_is_the_same_whether_or_not_another_matter_holds_the_file(linked: Linked) -> None:
    accepted = {f["name"]: f["status"] for f in linked.answer["accepted"]}
    assert accepted == {"b-name.pdf": "pending", "b-fresh.pdf": "pending"}
    files = linked.answer["progress"]["files"]
    assert files == {"total": 2, "pending": 2, "processing": 0, "done": 0, "failed": 0, "duplicate": 0}
    assert linked.answer["progress"]["pages"] == {"total": 0, "text_layer": 0, "ocr": 0, "with_warnings": 0}
    assert linked.answer["progress"]["finished"] is False
    # Once the workers are idle both are done, the shared one like any other file of the production.
    assert linked.files_after == {"b-name.pdf": "done", "b-fresh.pdf": "done"}
    assert linked.after["progress"]["files"]["done"] == 2 and linked.after["progress"]["finished"] is True
    assert linked.after["progress"]["pages"]["total"] == 2 + 1


def test_right_after_the_upload_the_reader_sees_the_shared_file_as_a_new_one(linked: Linked) -> None:
    """Neither is the matter's to open until the index shows it there; no entity counts either."""
    assert linked.before == {"b-name.pdf": [404, 404, 404], "b-fresh.pdf": [404, 404, 404], "entities": []}
    shared = linked.get(f"/documents/{linked.shared}", "reader-b").json()
    assert shared["status"] == "done" and [p["id"] for p in shared["productions"]] == [linked.productions["matter-b"]]


def test_the_second_matter_finds_the_document_by_search_facet_filter_export_histogram_and_batch(
    linked: Linked,
) -> None:
    mine = linked.productions["matter-b"]
    found = linked.get("/search", "reader-b", q="zuluword").json()
    assert [d["document_id"] for d in found["items"]] == [linked.shared]
    assert [p["id"] for p in found["items"][0]["productions"]] == [mine]
    facets = {v["value"]: v["count"] for v in linked.get("/search", "reader-b").json()["facets"]["production"]}
    assert facets == {mine: 2}  # the shared memo and the fresh letter
    vendors = {v["value"] for v in linked.get("/search", "reader-b", q="zuluword").json()["facets"]["vendor"]}
    assert "vendor:microsoft" in vendors
    by_production = linked.get("/search", "reader-b", production=mine, q="zuluword").json()
    assert by_production["total_documents"] == 1
    rows = [
        json.loads(line)
        for line in linked.get("/search/export", "reader-b", q="zuluword", format="ndjson").text.splitlines()
    ]
    assert {(r["document_id"], r["page_number"]) for r in rows} == {(linked.shared, 1)}
    assert linked.shared in linked.get("/search/export", "reader-b", q="zuluword").text
    histogram = linked.get("/search/histogram", "reader-b", q="zuluword", interval="year").json()
    assert [(b["start"], b["documents"]) for b in histogram["buckets"] if b["documents"]] == [("2018-01-01", 1)]
    batch = linked.client.post(
        "/api/v1/search/batch",
        json={"queries": ["zuluword", "Palantir"]},
        headers={"Authorization": f"Bearer {linked.tokens['reader-b']}"},
    ).json()
    assert [(i["documents"], i["pages"]) for i in batch["items"]] == [(1, 1), (1, 1)]


def test_the_first_matter_still_sees_only_its_own_production(linked: Linked) -> None:
    found = linked.get("/search", "reader-a", q="zuluword").json()
    assert [d["document_id"] for d in found["items"]] == [linked.shared]
    assert [p["id"] for p in found["items"][0]["productions"]] == [linked.productions["matter-a"]]
    assert linked.get("/search", "reader-a", q="Palantir").json()["total_documents"] == 0


def test_check_repairs_pages_whose_productions_or_collections_differ_from_the_catalog(linked: Linked) -> None:
    """Runs last on each engine: it breaks the index by hand, then lets `foia check` put it right."""
    indexer = Indexer(linked.catalog, linked.search)
    clean = run_check(linked.catalog, linked.blobs, linked.search, indexer, repair=False)
    assert clean.lines()[-1] == "consistent" and clean.needs_repair == []

    a_production, b_production = linked.productions["matter-a"], linked.productions["matter-b"]
    a_collection = linked.catalog.productions.get_production(a_production).collection_id
    b_collection = linked.catalog.productions.get_production(b_production).collection_id
    a_only = next(
        f.document_id or ""
        for f in linked.catalog.productions.list_files(a_production)
        if f.original_name == "a-only.pdf"
    )
    # Matter B's link lost from the shared memo's pages; matter B's collection added to A's own memo.
    lost = [
        replace(r, links=tuple(x for x in r.links if x.collection_id == a_collection))
        for r in indexer.records_for(linked.shared)
    ]
    leaked = [
        replace(r, links=(*r.links, replace(r.links[0], collection_id=b_collection, production_id=b_production)))
        for r in indexer.records_for(a_only)
    ]
    assert all(len(r.links) == 1 for r in lost) and all(len(r.links) == 2 for r in leaked)
    for document_id, records in ((linked.shared, lost), (a_only, leaked)):
        linked.search.delete_document(document_id)
        linked.search.index_pages(records)
    linked.search.commit()
    linked.search.refresh()
    assert linked.get("/search", "reader-b", q="zuluword").json()["total_documents"] == 0
    assert linked.get("/search", "reader-b", q="Clearview").json()["total_documents"] == 1  # A's memo, to B

    dry = run_check(linked.catalog, linked.blobs, linked.search, indexer, repair=False)
    assert dry.exit_code == 1
    assert sorted(item.split()[0] for item in dry.needs_repair) == sorted([linked.shared, a_only])
    repaired = run_check(linked.catalog, linked.blobs, linked.search, indexer)
    assert sorted(repaired.rescoped) == sorted([linked.shared, a_only]) and repaired.exit_code == 0
    linked.search.refresh()
    assert linked.get("/search", "reader-b", q="zuluword").json()["total_documents"] == 1
    assert linked.get("/search", "reader-b", q="Clearview").json()["total_documents"] == 0
    again = run_check(linked.catalog, linked.blobs, linked.search, indexer, repair=False)
    assert again.lines()[-1] == "consistent"
