"""Two collections (two law-firm matters) ingested for real, served with tokens, on each search engine."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from tests import factories
from tests.conftest import service_url

A_TEXT = (
    "U.S. Immigration and Customs Enforcement\nDate: March 3, 2019\n"
    "ICE signed a contract with Clearview AI for face recognition.\nThe alphaword appears only in matter A."
)
B_TEXT = (
    "Federal Bureau of Investigation\nDate: June 5, 2020\n"
    "The FBI bought Cellebrite UFED licences and met Palantir.\nThe bravoword appears only in matter B. "
    "Clearview AI also pitched a demo."
)
SHARED_TEXT = "Date: January 9, 2018\nA memo released in both matters mentions Microsoft and Clearview AI."


@dataclass
class Matters:
    client: TestClient
    catalog: SqlCatalog
    search: Any
    tokens: dict[str, str]  # label -> secret
    collections: dict[str, str]  # name -> id
    productions: dict[str, str]  # name -> id
    documents: dict[str, str]  # label -> document id
    root: Path

    def as_(self, label: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[label]}"}


@dataclass
class _Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


def _backend(kind: str, root: Path) -> Any:
    if kind == "tantivy":
        from search.tantivy_backend import TantivyBackend

        return TantivyBackend(root / "index")
    if kind == "elasticsearch":
        from search.elasticsearch_backend import elasticsearch_backend

        url = service_url("FOIA_TEST_ELASTICSEARCH_URL", "the Elasticsearch node (scripts/search-nodes)")
        return elasticsearch_backend(url, index=f"foia-sec-{uuid.uuid4().hex[:10]}")
    from search.opensearch_backend import opensearch_backend

    url = service_url("FOIA_TEST_OPENSEARCH_URL", "the OpenSearch node (scripts/search-nodes)")
    return opensearch_backend(url, index=f"foia-sec-{uuid.uuid4().hex[:10]}")


@pytest.fixture(scope="module", params=["tantivy", "opensearch", "elasticsearch"])
def matters(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: object
) -> Iterator[Matters]:
    yield from build_matters(request.param, tmp_path_factory.mktemp(f"matters-{request.param}"), analyzer)


@pytest.fixture(scope="module")
def tantivy_matters(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[Matters]:
    yield from build_matters("tantivy", tmp_path_factory.mktemp("matters-tantivy"), analyzer)


def build_matters(kind: str, root: Path, analyzer: object) -> Iterator[Matters]:
    search = _backend(kind, root)
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs = LocalBlobStore(root / "originals")
    limits = Limits()
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        Indexer(catalog, search),
        WorkerConfig(processes=1, limits=limits, lease_seconds=30),
    )
    files = {
        "a": ("a-memo.pdf", factories.born_digital_pdf([A_TEXT, "Second page of the A memo. Clearview AI again."])),
        "b": ("b-letter.pdf", factories.born_digital_pdf([B_TEXT])),
        "shared": ("shared.pdf", factories.born_digital_pdf([SHARED_TEXT])),
    }
    productions: dict[str, str] = {}
    collections: dict[str, str] = {}
    documents: dict[str, str] = {}
    for matter, own in (("matter-a", "a"), ("matter-b", "b")):
        collection = catalog.productions.ensure_collection(matter)
        collections[matter] = collection.id
        production = catalog.productions.create_production(collection.id, f"{matter} release 1")
        productions[matter] = production.id
        folder = root / matter
        folder.mkdir()
        for label in (own, "shared"):
            name, data = files[label]
            if label == "shared":  # each matter names the common release its own way
                name = f"shared-{matter}-name.pdf"
            (folder / name).write_bytes(data)
        report = Intake(catalog, blobs, production.id, limits, root / "spool").add_paths(sorted(folder.iterdir()))
        for record in report.accepted:
            label = "shared" if record.original_name.startswith("shared-") else own
            assert record.document_id is not None
            documents[label] = record.document_id
    worker.run(threading.Event(), until_idle=True)
    search.refresh()
    store = catalog.tokens
    tokens = {
        "reader-a": store.create("alice", "reader", ["matter-a"]).secret,
        "uploader-a": store.create("ulla", "uploader", ["matter-a"]).secret,
        "reader-b": store.create("bob", "reader", ["matter-b"]).secret,
        "admin-all": store.create("root", "admin", ["*"]).secret,
    }
    revoked = store.create("gone", "reader", ["matter-a"])
    store.revoke(revoked.record.id)
    tokens["revoked"] = revoked.secret
    services = _Services(catalog, blobs, search)
    app = create_app(services, ApiSettings(limits=limits, spool_dir=root / "spool"), open_allowed=True)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Matters(client, catalog, search, tokens, collections, productions, documents, root)
    worker.close()
    destroy = getattr(search, "destroy", None)
    if callable(destroy):
        destroy()
    search.close()
