"""Re-running entity extraction over stored text after the gazetteer grows: no OCR, new facets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from catalog.models import PageSource
from ingest.reanalyze import reanalyze_all
from nlp import Analyzer, document_date
from search.backend import SearchRequest
from tests import factories
from tests.ingest.conftest import Stack

NEW_VENDOR: dict[str, Any] = {
    "id": "vendor:zyxcorp-sentinel",
    "type": "vendor",
    "name": "Zyxcorp Sentinel",
    "aliases": ["Zyxcorp"],
}


def test_a_grown_gazetteer_finds_new_vendors_without_ocr(stack: Stack, tmp_path: Path) -> None:
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(
        factories.born_digital_pdf(["Date: March 3, 2020\nThe FBI piloted Zyxcorp Sentinel with Cellebrite UFED."])
    )
    production = stack.production()
    stack.intake(production, [pdf])
    stack.run_until_idle()
    document_id = stack.catalog.productions.list_files(production.id)[0].document_id or ""
    before = stack.catalog.documents.pages(document_id)
    assert "vendor:cellebrite" in {m.entity_id for m in stack.catalog.documents.mentions(document_id)}
    assert NEW_VENDOR["id"] not in {m.entity_id for m in stack.catalog.documents.mentions(document_id)}

    grown = yaml.safe_load(Path("nlp/gazetteer.yaml").read_text())
    grown["entries"].append(NEW_VENDOR)
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_text(yaml.safe_dump(grown))
    assert reanalyze_all(stack.catalog, Analyzer(gazetteer_path=gazetteer), document_date) == 1
    stack.worker.indexer.reindex_all()  # type: ignore[union-attr]

    found = {m.entity_id: m.text for m in stack.catalog.documents.mentions(document_id)}
    assert found[NEW_VENDOR["id"]] == "Zyxcorp Sentinel"
    after = stack.catalog.documents.pages(document_id)
    assert [(p.text, p.source) for p in after] == [(p.text, p.source) for p in before]
    assert all(p.source is PageSource.TEXT_LAYER for p in after)
    hits = stack.index.search(SearchRequest(filters={"vendor": [NEW_VENDOR["id"]]}))
    assert [d.document_id for d in hits.documents] == [document_id]
