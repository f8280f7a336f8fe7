"""CSV as every export writes it (search export, Vaughn index draft): the one place the API makes CSV.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula (and some do after leading
blanks, or with the full-width forms of those signs): released records are written by others, so a
text cell that would start that way is written with a leading apostrophe, which spreadsheets show as
text and do not evaluate (OWASP's advice for CSV injection). Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Blanks a spreadsheet may skip before it looks for a formula sign; a leading tab or return can start
# one on its own in some of them.
LEADING_BLANKS = " \t\r\n\u00a0\u3000"
LIST_SEPARATOR = "; "

Cell = str | int | float | bool | None | Iterable[str]


def csv_cell(value: Cell) -> str | int | float:
    """One cell: lists joined with "; ", None as empty, text that could start a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = value if isinstance(value, str) else LIST_SEPARATOR.join(value)
    stripped = text.lstrip(LEADING_BLANKS)
    if (stripped and stripped[0] in FORMULA_SIGNS) or (text and text[0] in "\t\r"):
        return "'" + text
    return text


def csv_line(values: Iterable[Cell]) -> str:
    """One CSV record (RFC 4180 quoting, CRLF line end) of neutralised cells."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell(v) for v in values])
    return buffer.getvalue()


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Cell]]) -> Iterator[str]:
    """The header, then one record per row, as they are produced (for streaming)."""
    yield csv_line(header)
    for row in rows:
        yield csv_line(row)
