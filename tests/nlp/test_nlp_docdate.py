from __future__ import annotations

import pytest

from nlp import document_date
from nlp.docdate import parse_pdf_date

MEMO = """Memorandum

DATE:                   December 9, 2020

TO:                     Review staff
SUBJECT:                Review of the inspection held on November 2, 2020
"""

EMAIL = """From: Silva, Sathya
Sent: Monday, March 20, 2023 6:34 AM
To: Someone
Subject: RE: the report of February 8, 2023
"""

LETTER = """Law Offices                                  December 8, 2014
191 N. Wacker Drive
  Re:  NOTICE OF RESPONSE
  REQUEST RECEIVED:  November 13, 2014
Dear Mr. Martinez:
"""

FORM_AND_LETTER = """20 July, 2015                      Sent Via E-Mail
RE:  NOTICE OF RESPONSE TO FOIA REQUEST
     REQUEST DATE: 19 June, 2015
"""


def test_memo_date() -> None:
    assert document_date([MEMO], {}) == document_date([MEMO], {"CreationDate": "D:20210101000000Z"})
    got = document_date([MEMO], {})
    assert (got.iso, got.source) == ("2020-12-09", "text:memo_date")


def test_email_sent_line() -> None:
    got = document_date([EMAIL], {})
    assert (got.iso, got.source) == ("2023-03-20", "text:email_sent")


def test_letter_dateline_beside_letterhead_column() -> None:
    got = document_date([LETTER], {})
    assert (got.iso, got.source) == ("2014-12-08", "text:letter_date")


def test_letter_dateline_beats_a_form_field() -> None:
    got = document_date([FORM_AND_LETTER], {})
    assert (got.iso, got.source) == ("2015-07-20", "text:letter_date")


def test_form_field_when_nothing_else() -> None:
    got = document_date(["FEDERAL BUREAU OF INVESTIGATION\nDate of entry 08/24/2017   b7C\n"], {})
    assert (got.iso, got.source) == ("2017-08-24", "text:form_date")


def test_metadata_fallback() -> None:
    got = document_date(["no date here"], {"CreationDate": "D:20190612143000-05'00'"})
    assert (got.iso, got.source) == ("2019-06-12", "metadata:creation")
    got = document_date([], {"CreationDate": "garbage", "ModDate": "D:20200101"})
    assert (got.iso, got.source) == ("2020-01-01", "metadata:modification")


def test_none() -> None:
    got = document_date(["nothing"], {})
    assert (got.iso, got.source) == (None, "none")


def test_parse_pdf_date() -> None:
    assert parse_pdf_date("D:20190612143000-05'00'") == "2019-06-12"
    assert parse_pdf_date("D:2019") == "2019-01-01"
    assert parse_pdf_date("D:20191340") is None
    assert parse_pdf_date("") is None


def test_email_date_header() -> None:
    page = "From: Silva, Sathya\nTo: Someone\nSubject: FW: RE: China Eastern\nDate: 2023/03/20 08:54:00\n"
    got = document_date([page], {})
    assert (got.iso, got.source) == ("2023-03-20", "text:email_date")


def test_date_stated_on_page_two_of_a_thread() -> None:
    got = document_date(["(cover sheet, no date)", EMAIL], {})
    assert (got.iso, got.source) == ("2023-03-20", "text:email_sent")


def test_a_memo_header_without_the_word_memo_is_no_email() -> None:
    # TO:/FROM:/SUBJECT: and a DATE: line is how agencies head a memo; nothing in it is an email's own.
    page = "TO: Chief, Field Operations\nFROM: Director\nSUBJECT: Pilot of face recognition\nDATE: March 4, 2019\n"
    got = document_date([page], {})
    assert (got.iso, got.source) == ("2019-03-04", "text:header_date")


@pytest.mark.parametrize(
    "marker",
    ["From: a.silva@ice.dhs.gov", "Cc: Someone", "Importance: High", "Subject: RE: the pilot", "Subject: Fwd: pilot"],
)
def test_a_header_is_an_email_by_what_only_emails_hold(marker: str) -> None:
    page = f"From: Silva\nTo: Someone\nSubject: pilot\n{marker}\nDate: 2023/03/20 08:54:00\n"
    assert document_date([page], {}).source == "text:email_date"
