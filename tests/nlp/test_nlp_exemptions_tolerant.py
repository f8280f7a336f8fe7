"""OCR-damaged FBI margin stamps, codes that are no codes, and state citations in running text."""

from __future__ import annotations

import pytest

from nlp.exemptions import find_exemptions


def _codes(text: str) -> list[str]:
    return [e.code for e in find_exemptions(text)]


@pytest.mark.parametrize(
    ("damaged", "code"), [("bE", "b7E"), ("bC", "b7C"), ("bD", "b7D"), ("b7Cc", "b7C"), ("b7Ee", "b7E")]
)
def test_damaged_stamp_on_a_stamp_line_of_a_stamped_page(damaged: str, code: str) -> None:
    page = f"FEDERAL BUREAU OF INVESTIGATION\n——————-_ {damaged}\nwas contacted regarding it.\n   b6\n   b7C\n"
    assert sorted(_codes(page)) == sorted(["b6", "b7C", code])


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("——————-_ bE\nno other stamp on this page.", []),  # no other code: not a stamped page
        ("b6\nThe bE model and the bC series were ordered.", ["b6"]),  # running text, not a stamp line
        ("b6\nBuilding bD, room 4", ["b6"]),
    ],
)
def test_damaged_stamp_elsewhere_is_not_a_code(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes


def test_doubled_letter_stamp_glued_to_a_body_line() -> None:
    page = "Date of entry 08/24/2017 b7Cc\nbody text here b6\n   b6\n"
    assert "b7C" in _codes(page)


@pytest.mark.parametrize(
    "header",
    [
        "From: b6@agency.example.gov\nSubject: FOIA request\n",
        "To: records.b6@agency.gov; FOIA office\n",
        "Message-ID: <x=b7C_4@mail> FOIA\n",
    ],
)
def test_no_code_off_an_email_header(header: str) -> None:
    assert _codes(header) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("withheld under Government Code section 6254(f).", ["CA 6254(f)"]),
        ("exempt pursuant to Cal. Gov. Code §§ 6254(k) and 6255.", ["CA 6254(k)", "CA 6255"]),
        ("redacted under Gov't Code § 7923.600(a)", ["CA 7923.600(a)"]),
        ("exempt under RCW 42.56.240(1) and RCW 42.56.050.", ["WA 42.56.240(1)", "WA 42.56.050"]),
        ("withheld under 5 ILCS 140/7(1)(c) of the Act", ["IL 7(1)(c)"]),
        ("The Code of Civil Procedure Section 394 applies.", []),
    ],
)
def test_state_citations_in_running_text(text: str, codes: list[str]) -> None:
    found = find_exemptions(text)
    assert [e.code for e in found] == codes
    assert all(e.kind == "state" for e in found)
