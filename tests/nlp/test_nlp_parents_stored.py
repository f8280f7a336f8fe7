"""An office's parent agency reaches the page's stored facts."""

from __future__ import annotations

from ingest.analysis import page_fact_json
from nlp import Analyzer


def test_parent_of_an_office_is_stored_with_the_page(analyzer: Analyzer) -> None:
    text = "The file went to FDA's Center for Tobacco Products and to the Springfield Police Department."
    facts = page_fact_json(analyzer.analyze([text])[0])
    # The center's parent from the text; the FDA's own parent (HHS) from the gazetteer.
    assert facts["entity_parents"] == {"agency:center-for-tobacco-products": "agency:fda", "agency:fda": "agency:hhs"}


def test_no_parents_no_field(analyzer: Analyzer) -> None:
    assert "entity_parents" not in page_fact_json(analyzer.analyze(["The Springfield Police Department."])[0])
