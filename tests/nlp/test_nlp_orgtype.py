"""Organization typing: vendor / agency / other organization / junk, on generated sentences."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.orgtype import classify_organization, is_junk, name_type

# (company name, its key): made-up firms the gazetteer cannot know.
COMPANIES = [
    ("Westbrook Analytics", "westbrook-analytics"),
    ("Harlan Forensic Systems", "harlan-forensic-systems"),
    ("Quillfeather Technologies", "quillfeather-technologies"),
]
# Context sentences that say the firm sells, makes, quotes or is paid; {n} is the firm's name.
VENDOR_CONTEXTS = [
    "Attached is the quote from {n} for the annual license.",
    "The contractor, {n}, delivered the equipment in March.",
    "Payment was made payable to {n} for the service contract.",
    "This agreement is made between the City of Springfield and {n} for maintenance.",
    "The device is manufactured by {n} and was purchased in 2019.",
    "{n} shall provide all labor and materials listed in the statement of work.",
]


def _typed(analyzer: Analyzer, text: str) -> set[tuple[str, str]]:
    return {(m.entity_type, m.entity_id) for f in analyzer.analyze([text]) for m in f.mentions}


@pytest.mark.parametrize(("name", "key"), COMPANIES)
@pytest.mark.parametrize("context", VENDOR_CONTEXTS)
def test_company_in_vendor_context_is_a_vendor(analyzer: Analyzer, name: str, key: str, context: str) -> None:
    text = context.format(n=name)
    start = text.index(name)
    # The rule itself, on the span as the model would give it...
    assert classify_organization(name, text, start, start + len(name)) == "vendor"
    # ...and through the whole analyzer where spaCy finds the name.
    got = _typed(analyzer, text)
    assert ("organization", f"organization:{key}") not in got


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mars Orbital, Inc.", "vendor"),
        ("Glenrock Medical Supply LLC", "vendor"),
        ("Dunmore Devices GmbH", "vendor"),
        ("Penhallow Software Solutions", "vendor"),
        ("Office of Vaccines Research and Review", "agency"),
        ("Seattle Police Department", "agency"),
        ("Orange County Clerk", "agency"),
        ("City of Tacoma", "agency"),
        ("BUREAU OF INVESTIGATIVE SERVICES", "agency"),
        ("Illinois State Archives", "agency"),
        ("Lucy Parsons Labs", "vendor"),
        ("Invisible Institute", None),
    ],
)
def test_name_type_from_its_own_words(name: str, expected: str | None) -> None:
    assert name_type(name) == expected


@pytest.mark.parametrize(
    "junk",
    ["Page 2", "Attachment B", "Exhibit 14", "b7E", "(b)(6)", "1350 Pennsylvania Avenue, N.W., Suite 317",
     "Suite 210", "June 12, 2019", "Terms and Conditions", "SCOPE OF WORK", "H. Patent Copyright",
     "NJ", "Pag", "Software", "(Specify Authority)", "C/O Administration"],
)  # fmt: skip
def test_junk_never_becomes_an_organization(junk: str) -> None:
    assert is_junk(junk.strip("()")) or is_junk(junk)


def test_untyped_organization_stays_an_organization() -> None:
    text = "We spoke with the Invisible Institute about the records."
    start = text.index("Invisible")
    assert classify_organization("Invisible Institute", text, start, start + 19) == "organization"


def test_letterhead_of_a_quote_is_the_vendor() -> None:
    text = "Brightwater Optics\n12 Harbor Road\nQuote #: 4411\nQuote date: 03/02/2021\nUnit price   Qty\n"
    assert classify_organization("Brightwater Optics", text, 0, 18) == "vendor"
    # The same name deep in a letter that is not a sale stays untyped.
    letter = "Dear Ms. Ray,\n" * 8 + "We met Brightwater Optics at the fair.\n"
    start = letter.index("Brightwater")
    assert classify_organization("Brightwater Optics", letter, start, start + 18) == "organization"


def test_type_holds_across_a_documents_pages(analyzer: Analyzer) -> None:
    """Typed vendor by context on one page, the same firm is a vendor on the page that only names it."""
    facts = analyzer.analyze(
        [
            "Attached is the invoice from Westbrook Analytics for the software license.",
            "Westbrook Analytics attended the meeting with the detectives.",
        ]
    )
    pages = [{m.entity_id for m in f.mentions} for f in facts]
    assert "vendor:westbrook-analytics" in pages[0]
    assert "vendor:westbrook-analytics" in pages[1]
    assert not any(e.startswith("organization:westbrook") for p in pages for e in p)


@pytest.mark.parametrize("junk", ["Page 2 of 3", "Attachment B", "1350 Pennsylvania Avenue, N.W., Suite 317"])
def test_analyzer_drops_junk_spans(analyzer: Analyzer, junk: str) -> None:
    got = [m for f in analyzer.analyze([f"{junk}\n\nThe records are attached."]) for m in f.mentions]
    assert not [m for m in got if m.entity_type in ("organization", "person", "vendor", "agency")]
