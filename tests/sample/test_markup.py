"""The record markup: dates and codes are read as the author stated them."""

from __future__ import annotations

import pytest

from ingest.sample.markup import code_label, normalize_code, parse, parse_date


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("(b)(6)", "b6"),
        ("(b)(7)(C)", "b7C"),
        ("b7E", "b7E"),
        ("Ex. 5", "b5"),
        ("Exemption 7(C)", "b7C"),
        ("5 ILCS 140/7(1)(c)", "IL 7(1)(c)"),
        ("7(1)(f)", "IL 7(1)(f)"),
    ],
)
def test_codes_are_normalized(text: str, code: str) -> None:
    assert normalize_code(text) == code


def test_labels_per_house_style() -> None:
    assert [code_label("b7C", s) for s in ("paren", "ex", "short")] == ["(b)(7)(C)", "Ex. 7C", "b7C"]
    assert code_label("IL 7(1)(c)", "paren") == "7(1)(c)"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("03/14/2018", "2018-03-14"),
        ("Thursday, November 14, 2019 4:52 PM", "2019-11-14"),
        ("June 1, 2017", "2017-06-01"),
        ("November 2019", "2019-11"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_a_date_in_another_form_is_an_authoring_error() -> None:
    with pytest.raises(ValueError):
        parse_date("the 4th of July")


def test_parse_keeps_punctuation_attached_to_marks() -> None:
    atoms = parse("On {d:May 14, 2019}, see [[b5:the draft plan]].")
    assert [(a.text, a.kind, a.space_before) for a in atoms] == [
        ("On", "word", True),
        ("May 14, 2019", "date", True),
        (",", "word", False),
        ("see", "word", True),
        ("the draft plan", "redaction", True),
        (".", "word", False),
    ]
    assert atoms[1].iso == "2019-05-14" and atoms[4].codes == ("b5",)
