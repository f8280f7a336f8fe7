"""The date a record bears, for timelines: read from its text where it says so, else from PDF metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from nlp.dates import find_dates
from nlp.types import DateMention, DocumentDate

# Only the first pages are read: a record states its date at its head; later pages quote other dates.
PAGES_READ = 2
# A letter's date stands on its own line among the first lines of the first page.
LETTER_LINES = 25

_LABEL_WORDS = (
    r"(?:sent|date\s+sent|date\s+of\s+(?:letter|memo(?:randum)?|request|report|entry|issue)"
    r"|date\s+(?:prepared|signed|submitted|issued|drafted)|request\s+date|report\s+date|issue\s+date"
    r"|effective\s+date|signature\s+date|date\s+of\s+signature|dated?)"
)
# "Date: ..." anywhere a field may start (line start or after a gap); a label without its colon
# ("Date of entry 08/24/2017" on FBI forms) only at the start of a line.
_LABEL = re.compile(
    rf"(?:(?:^|(?<=\s))[>*|]*(?P<label>{_LABEL_WORDS})\s*:|^[ \t>*|]*(?P<bare>{_LABEL_WORDS})(?=[ \t]+\S))",
    re.IGNORECASE | re.MULTILINE,
)
_MEMO = re.compile(r"\bmemo(?:randum)?\b", re.IGNORECASE)
_HEADER = re.compile(r"^[\s>*|]*(?:from|to|subject|cc|importance|priority|attachments)\s*:", re.I | re.M)
# What only an email's header holds: an address, a Cc/Bcc/Importance/Attachments field, a forwarded or
# replied subject. A memo's TO:/FROM:/SUBJECT: block has the same three fields an email has, so those alone
# make a header, not an email.
_EMAIL_ONLY = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|^[\s>*|]*(?:cc|bcc|importance|attachments)\s*:|^[\s>*|]*subject\s*:\s*(?:re|fwd?)\s*:",
    re.I | re.M,
)
_PDF_DATE = re.compile(r"^(?:D:)?(?P<y>\d{4})(?P<m>\d{2})?(?P<d>\d{2})?")


def _first_date_after(text: str, pos: int, limit: int = 120) -> DateMention | None:
    """The first date within `limit` characters after a label (same line or the next)."""
    dates = find_dates(text[pos : pos + limit])
    return dates[0] if dates else None


def _label_source(page: str, label: str, pos: int) -> str:
    label = " ".join(label.lower().split())
    if label == "sent":
        return "text:email_sent"
    if label == "issue date":
        return "text:date_line"  # a notice's or a permit's own date, as strong as "Date:"
    if label in ("date", "dated"):
        head = page[max(0, pos - 600) : pos + 600]
        if _MEMO.search(page[: pos + 200]):
            return "text:memo_date"
        if _HEADER.search(head):
            return "text:email_date" if _EMAIL_ONLY.search(head) else "text:header_date"
        return "text:date_line"
    return "text:form_date"


def _labelled(page: str, weak: bool) -> DocumentDate | None:
    """The first labelled date; `weak` selects form fields ("Request date:"), else header fields."""
    for m in _LABEL.finditer(page):
        # With a colon the value may wrap to the next line; without one it must follow on the same line.
        line_end = page.find("\n", m.end())
        limit = 120 if page[m.end() - 1] == ":" else (len(page) if line_end < 0 else line_end) - m.end()
        date = _first_date_after(page, m.end(), limit)
        if date is not None and date.start > 60:
            continue
        if date is not None:
            source = _label_source(page, m.group("label") or m.group("bare"), m.start())
            if (source == "text:form_date") == weak:
                return DocumentDate(date.iso, source)
    return None


# A review or routing slip: the reviewer's signature and its date, in a field ("Signature: ... Date: ...",
# "Reviewer Signature / Date") or the line under a "Signature  Date" heading. The slip is dated when signed.
_SIGNATURE = re.compile(r"signature|signed\s+by|/s/", re.IGNORECASE)
SIGNATURE_REACH = 3  # lines from the signature label to its date


def _signature_date(page: str) -> DocumentDate | None:
    lines = page.split("\n")
    for i, line in enumerate(lines):
        label = _SIGNATURE.search(line)
        if label is None:
            continue
        for following in (line[label.end() :], *lines[i + 1 : i + 1 + SIGNATURE_REACH]):
            dates = find_dates(following)
            if dates:
                return DocumentDate(dates[0].iso, "text:signature_date")
    return None


def _first_date(page: str) -> DocumentDate | None:
    """Any full date on the page ("held on 11 June 2015"): a date the record states beats the day its PDF
    was made."""
    dates = find_dates(page)
    return DocumentDate(dates[0].iso, "text:first_date") if dates else None


def _letter_date(page: str) -> DocumentDate | None:
    """A date that opens a line, or a column of a layout line, near the top: the dateline of a letter
    (beside a letterhead column) or a report's print date."""
    lines = [ln for ln in page.split("\n") if ln.strip()][:LETTER_LINES]
    for line in lines:
        stripped = line.strip()
        for date in find_dates(stripped):
            # At the line's start, after a column gap, or ending the line (a right-aligned dateline).
            at_edge = date.start == 0 or date.end == len(stripped)
            if at_edge or stripped[max(0, date.start - 2) : date.start] == "  ":
                return DocumentDate(date.iso, "text:letter_date")
    return None


def parse_pdf_date(raw: str) -> str | None:
    """ "D:20190612143000-05'00'" -> "2019-06-12"; None when it is not a PDF date."""
    m = _PDF_DATE.match(raw.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group("y")), int(m.group("m") or 1), int(m.group("d") or 1)).isoformat()
    except ValueError:
        return None


def document_date(page_texts: Sequence[str], pdf_metadata: Mapping[str, str]) -> DocumentDate:
    """Header fields (email Sent:/Date:, memo DATE:, Issue Date:) on the first pages come first, then a
    signature's date (a review slip), then a letter's dateline on page 1, then form fields ("Request
    date:", "Date of entry"), then any date the first pages state, and only then the PDF's CreationDate,
    then its ModDate."""
    for page in page_texts[:PAGES_READ]:
        found = _labelled(page, weak=False)
        if found is not None:
            return found
    for page in page_texts[:PAGES_READ]:
        # A slip's received and routed dates come before its signature; the signature dates it.
        found = _signature_date(page)
        if found is not None:
            return found
    if page_texts:
        found = _letter_date(page_texts[0])
        if found is not None:
            return found
    for page in page_texts[:PAGES_READ]:
        found = _labelled(page, weak=True)
        if found is not None:
            return found
    for page in page_texts[:PAGES_READ]:
        found = _first_date(page)
        if found is not None:
            return found
    for key, source in (("CreationDate", "metadata:creation"), ("ModDate", "metadata:modification")):
        iso = parse_pdf_date(pdf_metadata.get(key, "") or "")
        if iso is not None:
            return DocumentDate(iso, source)
    return DocumentDate(None, "none")
