from __future__ import annotations

import pytest

from nlp import exemption_counts, find_exemptions


def codes(text: str) -> list[str]:
    return [m.code for m in find_exemptions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(b)(6)", ["b6"]),
        ("(b) (6)", ["b6"]),
        ("(b)(7)(C)", ["b7C"]),
        ("(b) (7) (c)", ["b7C"]),
        ("(b)7C", ["b7C"]),
        ("b(6)", ["b6"]),
        ("5 U.S.C. § 552(b)(7)(E)", ["b7E"]),
        ("withheld under Exemption 6", ["b6"]),
        ("Ex. 5", ["b5"]),
        ("Exemptions 6 and 7(C)", ["b6", "b7C"]),
        ("FOIA exemptions 3, 5 and 7C apply", ["b3", "b5", "b7C"]),
        ("b6, b7C", ["b6", "b7C"]),
        ("B7C", ["b7C"]),
        ("b6\nb7c\nb7E", ["b6", "b7C", "b7E"]),
        ("b6 -1\nb7C -1", ["b6", "b7C"]),
    ],
)
def test_federal_forms_are_normalized(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_stamps_side_by_side_are_separate_codes() -> None:
    # The second "(b" must not be read as a letter part of the first stamp.
    assert codes("(b) (6) (b) (6)   ( (b) (6)\n  (b) (6) )") == ["b6"] * 4


def test_letter_parts_belong_to_exemption_seven_only() -> None:
    assert codes("(b)(6)(C)") == ["b6"]


@pytest.mark.parametrize(
    "text",
    [
        "replace part AB6-220 with the model b6 unit",
        "vitamin b6 levels were normal",
        "see grid square b6 on the map",
        "the b7c row of the spreadsheet",
        "file no. 12-b6/2019",
    ],
)
def test_compact_code_in_ordinary_text_is_not_an_exemption(text: str) -> None:
    assert codes(text) == []


def test_compact_code_in_running_text_about_withholding_counts() -> None:
    assert codes("The name was withheld under b6 as a privacy matter.") == ["b6"]


def test_margin_stamp_line_counts_even_beside_body_text() -> None:
    page = "was contacted regarding a potential duty-to-warn\nb7C\nb7E\nthe FBI was unable"
    assert codes(page) == ["b7C", "b7E"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exempt under Section 7(1)(c) of FOIA", ["IL 7(1)(c)"]),
        ("5 ILCS 140/7(1)(d)(v).", ["IL 7(1)(d)(v)"]),
        ("5 ILCS 104/7(1)(a)", ["IL 7(1)(a)"]),
        ("exemption 7(1)(b)", ["IL 7(1)(b)"]),
        ("5 ILCS 140/7.5(v)", ["IL 7.5(v)"]),
        ("D.C. Official Code § 2-534(a)(4)", ["DC 2-534(a)(4)"]),
    ],
)
def test_state_citations_keep_their_own_kind(text: str, expected: list[str]) -> None:
    found = find_exemptions(text)
    assert [m.code for m in found] == expected
    assert {m.kind for m in found} == {"state"}


def test_offsets_point_at_the_stamp() -> None:
    text = "Name: (b)(6)   Agent: b7C"
    for m in find_exemptions(text):
        assert text[m.start : m.end] == m.text


def test_counts_per_page() -> None:
    page = "(b)(6) (b)(6) (b)(4)\nb6, b7C"
    assert exemption_counts(find_exemptions(page)) == {"b6": 3, "b4": 1, "b7C": 1}


def test_margin_stamp_after_a_wide_gap_in_layout_text() -> None:
    page = "Agents like the tool because it   b7E\nsearches images collected from the open web"
    assert codes(page) == ["b7E"]


def test_ocr_variants_of_parentheses() -> None:
    assert codes("Program Manager (b)(6), (b\\(7(C), and (b|(4)") == ["b6", "b7C", "b4"]
    # The "b" of a white-on-black stamp lost by OCR; an empty call "f()(6)" is not a stamp.
    assert codes("Approved: ()(6), Chief   MS \u00ab()(7)(E). The") == ["b6", "b7E"]
    assert codes("result = f()(6)") == []
