"""A production says `finished` only once every done file is searchable: a file is done when the worker's
indexing step settles it, not when its pages are stored. The indexer here is the real one, slowed down, so
the window between storing and indexing is wide enough to be seen if a status ever ran ahead of it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from catalog.models import FileStatus
from ingest.indexing import Indexer
from search.backend import SearchRequest
from tests import factories
from tests.ingest.conftest import make_stack

INDEXING_SECONDS = 1.5


class SlowIndexer(Indexer):
    def index_document(self, document_id: str) -> int:
        time.sleep(INDEXING_SECONDS)
        return super().index_document(document_id)


def test_every_file_read_done_is_searchable_and_finished_means_all_are(tmp_path: Path, analyzer: object) -> None:
    stack = make_stack(tmp_path, analyzer, indexer_class=SlowIndexer)
    tags = [f"tag{i}word" for i in range(3)]
    paths = []
    for tag in tags:
        paths.append(tmp_path / f"{tag}.pdf")
        paths[-1].write_bytes(factories.born_digital_pdf([f"Memorandum {tag} on the pilot."]))
    production = stack.production()
    stack.intake(production, paths)
    worker = threading.Thread(target=stack.run_until_idle)
    worker.start()
    try:
        seen_done: set[str] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            progress = stack.catalog.productions.progress(production.id)
            done = {
                f.original_name
                for f in stack.catalog.productions.list_files(production.id)
                if f.status is FileStatus.DONE
            }
            stack.index.refresh()
            for name in done - seen_done:
                found = stack.index.search(SearchRequest(query=name.removesuffix(".pdf"), facets=()))
                assert found.total_documents == 1, f"{name} reads done but is not searchable"
            seen_done |= done
            if progress.finished:
                break
            time.sleep(0.05)
        assert progress.finished and progress.files.done == len(tags)
        for tag in tags:
            assert stack.index.search(SearchRequest(query=tag, facets=())).total_documents == 1
    finally:
        worker.join()
        stack.close()
