"""A stored document the index refused is indexed by the next worker pass, without `foia check`."""

from __future__ import annotations

import time
from pathlib import Path

from catalog.models import DocumentStatus
from ingest.indexing import Indexer
from ingest.worker import WorkerConfig
from tests import factories
from tests.ingest.conftest import make_stack

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
    stack = make_stack(
        tmp_path, analyzer, config=WorkerConfig(processes=1, lease_seconds=LEASE_SECONDS), indexer_class=RefusesFirst
    )
    indexer = stack.worker.indexer
    assert isinstance(indexer, RefusesFirst)
    catalog, index = stack.catalog, stack.index
    try:
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["Memorandum on the retention schedule.", "Second page."]))
        document_id = stack.intake(stack.production(), [pdf]).accepted[0].document_id or ""

        stack.run_until_idle()
        assert indexer.refused == 1
        assert catalog.documents.get_document(document_id).status is DocumentStatus.DONE  # stored, not lost
        assert index.count() == 0  # but not findable yet
        assert not catalog.jobs.has_claimable_jobs()  # it waits a lease before anyone tries again

        time.sleep(LEASE_SECONDS + 0.2)
        stack.run_until_idle()
        assert index.count() == 2  # both pages, once
        assert not catalog.jobs.has_claimable_jobs()
        assert [p.number for p in catalog.documents.pages(document_id)] == [1, 2]  # stored once, not processed again
    finally:
        stack.close()
