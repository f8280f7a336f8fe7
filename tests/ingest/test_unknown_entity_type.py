"""An entity type the search field registry does not declare is an error at the indexer, never a silent
drop: the worker fails the document with the reason, and a rebuild of the index names it and goes on."""

from __future__ import annotations

from pathlib import Path

import structlog
from sqlalchemy import create_engine, update

from catalog import schema as t
from catalog.models import DocumentStatus
from ingest.indexing import Indexer
from tests import factories
from tests.ingest.conftest import make_stack


def test_a_document_mentioning_an_undeclared_entity_type_fails_with_its_reason(
    tmp_path: Path, analyzer: object
) -> None:
    stack = make_stack(tmp_path, analyzer)
    catalog = stack.catalog
    try:
        pdf = tmp_path / "memo.pdf"
        pdf.write_bytes(factories.born_digital_pdf(["The FBI piloted Amazon Rekognition in 2018."]))
        document_id = stack.intake(stack.production("P1"), [pdf]).accepted[0].document_id or ""
        stack.run_until_idle()
        assert catalog.documents.get_document(document_id).status is DocumentStatus.DONE
        assert "vendor:amazon" in {m.entity_id for m in catalog.documents.mentions(document_id)}

        # The catalog now holds a type search does not know (written by other code: a newer nlp, an edit).
        engine = create_engine(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
        with engine.begin() as conn:
            conn.execute(update(t.entities).where(t.entities.c.id == "vendor:amazon").values(type="location"))
        engine.dispose()

        with structlog.testing.capture_logs() as rebuilt:
            documents, pages = Indexer(catalog, stack.index).reindex_all()
        assert (documents, pages) == (0, 0)
        (event,) = [e for e in rebuilt if e["event"] == "document_not_indexed"]
        assert event["document_id"] == document_id and event["log_level"] == "error"
        assert "vendor:amazon has type 'location'" in event["reason"]

        # The same file in a second production: its job goes back to indexing, and the worker fails it.
        stack.intake(stack.production("P2"), [pdf])
        assert catalog.jobs.has_claimable_jobs()
        with structlog.testing.capture_logs() as worked:
            stack.run_until_idle()
        failed = catalog.documents.get_document(document_id)
        assert failed.status is DocumentStatus.FAILED
        assert "vendor:amazon has type 'location'" in (failed.error or "")
        assert "search field registry does not declare" in (failed.error or "")
        assert any(e["event"] == "unknown_entity_type" and e["log_level"] == "error" for e in worked)
        assert stack.index.count() == 0
    finally:
        stack.close()
