from __future__ import annotations

import pytest

from nlp import bates_range, find_bates

BODY = "\n".join(f"line {i} of the body text, DOJ-OIP-2019-00045 cited here" for i in range(12))


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        ("FBI-000123", "FBI-000123"),
        ("DOJ-OIP-2019-00045", "DOJ-OIP-2019-00045"),
        ("www.fda.gov                    FDA-CBER-2021-5683-1804279", "FDA-CBER-2021-5683-1804279"),
        ("ABC_0001234", "ABC-0001234"),
        ("CPD 000123", "CPD-000123"),
        ("ABC0001234", "ABC0001234"),
    ],
)
def test_footer_stamp(footer: str, expected: str) -> None:
    assert find_bates(BODY + "\n\n" + footer + "\n") == expected


def test_header_stamp() -> None:
    assert find_bates("FBI-000777\n" + BODY) == "FBI-000777"


def test_number_in_the_body_is_not_the_page_stamp() -> None:
    assert find_bates(BODY) is None


@pytest.mark.parametrize(
    "footer",
    [
        "Page 2 of 3",
        "EUA 27034 review",
        "FOIA 16-0189",
        "December 9, 2020",
        "Contract #: PO-060-12013648",
        "see FBI-000123 for the memo",
        "Fax: 312 746 6185",
    ],
)
def test_other_numbers_in_the_footer_are_not_bates(footer: str) -> None:
    assert find_bates(BODY + "\n" + footer) is None


def test_document_range() -> None:
    assert bates_range([None, "FBI-000002", None, "FBI-000004"]) == ("FBI-000002", "FBI-000004")
    assert bates_range([None]) == (None, None)


def test_ocr_split_in_the_last_digit_group_is_joined() -> None:
    assert find_bates(BODY + "\nFDA-CBER-2021-5683-1 150396\n") == "FDA-CBER-2021-5683-1150396"
    # Only a stamp standing at the end of its line is mended.
    assert find_bates(BODY + "\nFDA-CBER-2021-5683-1 150396  continued") is None
