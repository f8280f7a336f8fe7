"""Every released record in ../shared/corpus through the real pipeline: done, or failed with a reason."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from catalog.models import FileStatus, PageSource
from tests.ingest.conftest import Stack

WORDS = yaml.safe_load((Path(__file__).with_name("corpus_ocr_words.yaml")).read_text())


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.corpus
@pytest.mark.slow
def test_every_corpus_file_is_done_or_failed_with_a_reason(stack: Stack, corpus_dir: Path) -> None:
    with (corpus_dir / "manifest.tsv").open(newline="") as f:
        manifest = list(csv.DictReader(f, delimiter="\t"))
    production = stack.production("Released records")
    report = stack.intake(production, [corpus_dir / row["file"] for row in manifest])
    assert not report.rejected
    stack.run_until_idle()

    progress = stack.catalog.productions.progress(production.id)
    assert progress.finished and progress.files.total == len(manifest)
    assert progress.files.done + progress.files.failed == len(manifest)
    for failed in stack.catalog.productions.list_files(production.id, FileStatus.FAILED):
        assert failed.error, failed.original_name

    by_name = {f.original_name: f for f in stack.catalog.productions.list_files(production.id, limit=1000)}
    for row in manifest:
        record = by_name[Path(row["file"]).name]
        assert record.status is FileStatus.DONE, (row["id"], record.error)
        pages = stack.catalog.documents.pages(record.document_id or "")
        assert len(pages) == int(row["pages"]), row["id"]
        if row["kind"] == "scanned-no-text":
            # No text layer at all: every page must come from OCR and carry readable text.
            assert all(p.source is PageSource.OCR for p in pages), row["id"]
            assert sum(len(p.text.split()) for p in pages) > 20 * len(pages), row["id"]
        if row["kind"] == "born-digital":
            assert pages[0].source is PageSource.TEXT_LAYER, row["id"]
        for phrase in WORDS.get(row["id"], []):
            assert _squash(phrase) in _squash(pages[0].text), (row["id"], phrase)
