"""Abbreviations a record defines ("Office of ... (OVRR)") and the agency hierarchy."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.acronyms import find_definitions

# (long form, abbreviation) pairs made up for the test, in the shapes records use.
DEFINED = [
    ("Office of Vaccines Research and Review", "OVRR"),
    ("Division of Clinical Trial Quality", "DCTQ"),
    ("Bureau of Records Management", "BRM"),
    ("Harlow Sensor Technologies", "HST"),
]


@pytest.mark.parametrize(("long_form", "abbr"), DEFINED)
def test_definition_finds_its_long_form(long_form: str, abbr: str) -> None:
    text = f"The memo was sent to the {long_form} ({abbr}) on Monday."
    (d,) = find_definitions(text)
    assert (text[d.long_start : d.long_end], d.abbr) == (long_form, abbr)


@pytest.mark.parametrize(
    "text",
    ["withheld under (b)(6) and (b)(7)(C).", "The report (2019) is attached.", "Chicago Police Department (FOIA)"],
)
def test_parentheses_that_define_nothing(text: str) -> None:
    assert find_definitions(text) == []


@pytest.mark.parametrize(("long_form", "abbr"), [d for d in DEFINED if "Technologies" not in d[0]])
def test_abbreviation_is_the_same_agency_on_later_pages(analyzer: Analyzer, long_form: str, abbr: str) -> None:
    key = long_form.lower().replace(" ", "-")
    facts = analyzer.analyze(
        [f"Comments from the {long_form} ({abbr}) are attached.", f"{abbr} reviewed the protocol again."]
    )
    first = [m.entity_id for m in facts[0].mentions if m.entity_type == "agency"]
    later = [m.entity_id for m in facts[1].mentions if m.entity_type == "agency"]
    assert first.count(f"agency:{key}") == 2  # the long form and the abbreviation beside it
    assert later == [f"agency:{key}"]


def test_abbreviation_of_a_company_is_the_vendor(analyzer: Analyzer) -> None:
    facts = analyzer.analyze(["The quote from Harlow Sensor Technologies (HST) is attached.", "HST shipped it."])
    assert [m.entity_id for m in facts[1].mentions if m.entity_type == "vendor"] == [
        "vendor:harlow-sensor-technologies"
    ]


def test_parent_written_before_the_office(analyzer: Analyzer) -> None:
    """ "FDA's Center for ..." : the center's parent is the FDA, as the text says."""
    text = "The review by FDA's Center for Tobacco Products was completed."
    (center,) = [m for m in analyzer.analyze([text])[0].mentions if m.entity_id == "agency:center-for-tobacco-products"]
    assert center.parent_id == "agency:fda"


def test_parent_of_a_stacked_letterhead(analyzer: Analyzer) -> None:
    text = "Office of Vaccines Research and Review\nCenter for Biologics Evaluation and Research\n\nDear Sir,"
    mentions = {m.entity_id: m for m in analyzer.analyze([text])[0].mentions}
    assert mentions["agency:office-of-vaccines-research-and-review"].parent_id == "agency:fda-cber"
    # CBER's own parent comes from the gazetteer.
    assert mentions["agency:fda-cber"].parent_id == "agency:fda"


def test_a_list_of_agencies_is_no_hierarchy(analyzer: Analyzer) -> None:
    text = "The request was referred to the Federal Bureau of Investigation, the Drug Enforcement Administration."
    fbi = next(m for m in analyzer.analyze([text])[0].mentions if m.entity_id == "agency:fbi")
    assert fbi.parent_id == "agency:doj"  # the gazetteer's, not the DEA next to it
