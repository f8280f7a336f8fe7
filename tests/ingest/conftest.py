"""An ingest stack on a temporary data dir: real catalog, blob store, tantivy index, spaCy and tesseract."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake, IntakeReport
from catalog.limits import Limits
from catalog.models import Production
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from search.tantivy_backend import TantivyBackend


@dataclass
class Stack:
    root: Path
    catalog: SqlCatalog
    blobs: LocalBlobStore
    index: TantivyBackend
    worker: Worker
    limits: Limits

    @property
    def search(self) -> TantivyBackend:  # the name the API's services use
        return self.index

    def production(self, name: str = "P", collection: str = "matter") -> Production:
        return self.catalog.productions.get_or_create_production(
            self.catalog.productions.ensure_collection(collection).id, name
        )

    def intake(self, production: Production, paths: list[Path]) -> IntakeReport:
        return Intake(self.catalog, self.blobs, production.id, self.limits, self.root / "spool").add_paths(paths)

    def run_until_idle(self) -> None:
        self.worker.run(threading.Event(), until_idle=True)

    def close(self) -> None:
        self.worker.close()
        self.index.close()
        self.catalog.close()


def make_stack(
    root: Path,
    analyzer: object,
    limits: Limits | None = None,
    config: WorkerConfig | None = None,
    indexer_class: type[Indexer] = Indexer,
) -> Stack:
    limits = limits or Limits()
    catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs = LocalBlobStore(root / "originals")
    index = TantivyBackend(root / "index")
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        indexer_class(catalog, index),
        config or WorkerConfig(processes=2, limits=limits, lease_seconds=30),
    )
    return Stack(root, catalog, blobs, index, worker, limits)


@pytest.fixture
def stack(tmp_path: Path, analyzer: object) -> Iterator[Stack]:
    s = make_stack(tmp_path, analyzer)
    yield s
    s.close()
