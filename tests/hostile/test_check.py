"""`foia check`: a sabotaged data dir is found out, repaired where it can be, and then reads consistent."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from catalog import schema as t
from catalog.models import DocumentStatus
from ingest.check import index_pages, run_check
from ingest.indexing import Indexer
from tests import factories
from tests.ingest.conftest import Stack, make_stack


@pytest.fixture
def stack(tmp_path: Path, analyzer: object) -> Iterator[Stack]:
    s = make_stack(tmp_path, analyzer)
    yield s
    s.close()


def _check(stack: Stack, repair: bool = True):
    return run_check(stack.catalog, stack.blobs, stack.index, Indexer(stack.catalog, stack.index), repair=repair)


def test_check_finds_repairs_and_reports(stack: Stack, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        (folder / f"memo{n}.pdf").write_bytes(
            factories.born_digital_pdf([f"Memo {n} page one about Palantir.", f"Memo {n} page two."])
        )
    production = stack.production("checked")
    report = stack.intake(production, sorted(folder.iterdir()))
    stack.run_until_idle()
    stack.index.refresh()
    docs = [f.document_id or "" for f in report.accepted]
    clean = _check(stack)
    assert clean.exit_code == 0 and clean.indexed_pages == 8 and clean.lines()[-1] == "consistent"

    # Sabotage: pages gone from the index, a page gone from the catalog, an original gone, an orphan,
    # a stale temporary file of a crashed upload, a page indexed twice.
    stack.index.delete_document(docs[0])
    stack.index.commit()
    with stack.catalog.db.writer.begin() as conn:
        conn.execute(delete(t.pages).where(t.pages.c.document_id == docs[1], t.pages.c.number == 2))
    lost = stack.catalog.documents.get_document(docs[2])
    stack.blobs.path(lost.sha256).unlink()
    orphan_blob = stack.blobs.put_file(_write(tmp_path / "orphan.pdf", factories.born_digital_pdf(["orphan"])))
    stale = stack.blobs.root / "tmp" / "upload-crashed"
    stale.write_bytes(b"half an upload")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    stack.index.index_pages(Indexer(stack.catalog, stack.index).records_for(docs[3]))
    stack.index.commit()
    stack.index.refresh()
    # tantivy replaces a page written again; an engine that keeps both copies gets re-indexed.
    twice = max(index_pages(stack.index)[docs[3]].values()) > 1
    expected = {docs[0], docs[3]} if twice else {docs[0]}

    dry = _check(stack, repair=False)
    assert dry.exit_code == 1 and len(dry.needs_repair) == 2 + len(expected)  # + requeue and unindex docs[1]
    assert stale.exists()  # a dry run changes nothing

    report_ = _check(stack)
    assert set(report_.reindexed) == expected
    assert report_.requeued == [docs[1]]
    assert [m.split()[0] for m in report_.originals_missing] == [docs[2]]
    assert orphan_blob.sha256 in report_.orphan_blobs
    assert report_.stale_temp_files == [str(stale)] and not stale.exists()
    assert report_.exit_code == 1  # the lost original needs a person

    stack.run_until_idle()  # the requeued document is processed again
    stack.index.refresh()
    assert stack.catalog.documents.get_document(docs[1]).status is DocumentStatus.DONE
    assert [p.number for p in stack.catalog.documents.pages(docs[1])] == [1, 2]
    pages = index_pages(stack.index)
    assert all(set(pages[d]) == {1, 2} and max(pages[d].values()) == 1 for d in (docs[0], docs[1], docs[3]))
    again = _check(stack)
    assert again.reindexed == [] and again.requeued == [] and again.removed_from_index == []
    assert again.problems_left == 1  # only the missing original is left, reported every time


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
