"""A generated world served by the real API over a given engine (each engine's module picks the index)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from tests.consistency.suite import Served
from tests.consistency.world import build, generate

SEED = 14  # the world is generated from this seed; hypothesis varies the queries and filters over it


@dataclass
class Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


def serve(root: Path, index: Any) -> Iterator[Served]:
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs = LocalBlobStore(root / "originals")
    world = build(catalog, blobs, Indexer(catalog, index), generate(SEED))
    index.refresh()
    app = create_app(Services(catalog, blobs, index), ApiSettings(spool_dir=root / "spool"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield Served(client, world)
    catalog.close()
