"""A date the record states wins over the PDF's creation date."""

from __future__ import annotations

import pytest

from nlp import document_date
from nlp.dates import find_dates

PDF = {"CreationDate": "D:20230105120000Z"}  # the day the release was scanned, not the record's date


@pytest.mark.parametrize(
    ("written", "iso"),
    [("Febuary 3, 2021", "2021-02-03"), ("Septmber 14, 2019", "2019-09-14"), ("Decmber 1, 2020", "2020-12-01"),
     ("11 June 2015", "2015-06-11"), ("Novmber 30, 2018", "2018-11-30")],
)  # fmt: skip
def test_issue_date_with_a_misspelled_month(written: str, iso: str) -> None:
    # A request date further down must not win over the notice's own date.
    page = f"NOTICE OF AWARD\nIssue Date: {written}\nRecipient: Springfield Police\nRequest date: 01/02/2014\n"
    got = document_date([page], PDF)
    assert (got.iso, got.source) == (iso, "text:date_line")


@pytest.mark.parametrize("word", ["Mayor", "Marc", "Today", "Monday", "Junior"])
def test_a_word_near_a_month_is_no_month(word: str) -> None:
    assert find_dates(f"{word} 12, 2019") == []


def test_date_in_running_text_beats_the_pdf_creation_date() -> None:
    page = "Minutes of the meeting\n\nThe board met on 11 June 2015 to review the contract terms and voted.\n"
    assert document_date([page], PDF).iso == "2015-06-11"


def test_review_slip_is_dated_by_its_signature() -> None:
    page = (
        "REVIEW SLIP\n\n"
        "Received                                    05/02/2015\n"
        "Routed to reviewer                          05/09/2015\n"
        "Reviewer comments: no objection to release after the redactions noted.\n"
        "Reviewer Signature                          Date\n"
        "/s/ J. Doe                                  06/11/2015\n"
    )
    got = document_date([page], PDF)
    assert (got.iso, got.source) == ("2015-06-11", "text:signature_date")


def test_pdf_date_when_the_text_states_none() -> None:
    assert document_date(["No date stated anywhere here."], PDF).iso == "2023-01-05"
