"""A stored document the index refused is indexed by the next worker pass, without `foia check`."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.models import DocumentStatus
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from search.tantivy_backend import TantivyBackend
from tests import factories

LEASE_SECONDS = 2.0


class RefusesFirst(Indexer):
    """The real indexer, except that its first document meets an index that is down."""

    refused = 0

    def index_document(self, document_id: str) -> int:
        if not self.refused:
            self.refused += 1
            raise ConnectionError("search node unavailable")
        return super().index_document(document_id)


def test_the_index_refusing_a_stored_document_only_delays_it(tmp_path: Path, analyzer: object) -> None:
    catalog = SqlCatalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    catalog.create_schema()
    blobs = LocalBlobStore(tmp_path / "originals")
    index = TantivyBackend(tmp_path / "index")
    indexer = RefusesFirst(catalog, index)
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        indexer,
        WorkerConfig(processes=1, limits=Limits(), lease_seconds=LEASE_SECONDS),
    )
    try:
        production = catalog.get_or_create_production(catalog.ensure_collection("matter").id, "P")
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["Memorandum on the retention schedule.", "Second page."]))
        report = Intake(catalog, blobs, production.id, Limits(), tmp_path / "spool").add_paths([pdf])
        document_id = report.accepted[0].document_id or ""

        worker.run(threading.Event(), until_idle=True)
        assert indexer.refused == 1
        assert catalog.get_document(document_id).status is DocumentStatus.DONE  # stored, not lost
        assert index.count() == 0  # but not findable yet
        assert not catalog.has_claimable_jobs()  # it waits a lease before anyone tries again

        time.sleep(LEASE_SECONDS + 0.2)
        worker.run(threading.Event(), until_idle=True)
        assert index.count() == 2  # both pages, once
        assert not catalog.has_claimable_jobs()
        assert [p.number for p in catalog.pages(document_id)] == [1, 2]  # stored once, not processed again
    finally:
        worker.close()
        index.close()
        catalog.close()
