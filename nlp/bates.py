"""Bates numbers: the production stamp in a page's header or footer."""

from __future__ import annotations

import re
from collections.abc import Sequence

# How many non-empty lines at the top and at the bottom of a page count as its header and footer.
ZONE_LINES = 3

# PREFIX (1-4 capitalised segments) + number groups: FBI-000123, DOJ-OIP-2019-00045,
# FDA-CBER-2021-5683-1804279, ABC_0001234, CPD 000123, ABC0001234.
_BATES = re.compile(
    r"(?P<prefix>[A-Z]{2,12}(?:[-_][A-Z]{1,12}){0,3})"
    r"(?P<sep>[-_ ]?)"
    r"(?P<number>\d+(?:[-_]\d+){0,4})"
)
# Labels that look like a prefix but introduce other numbers (request ids, application numbers, pages).
_NOT_PREFIXES = frozenset(
    {
        "PAGE", "PG", "NO", "NUMBER", "TEL", "FAX", "PHONE", "ROOM", "SUITE", "BOX", "ZIP", "DATE", "TIME",
        "FOIA", "FOIPA", "FOI", "CASE", "FILE", "REF", "REQUEST", "EUA", "IND", "BLA", "NDA", "STN", "ID",
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUNE", "JUL", "JULY", "AUG", "SEP", "SEPT", "OCT", "NOV",
        "DEC", "COVID", "SARS", "ISO", "US", "USC", "CFR", "PUB", "HR", "FY", "RE", "AM", "PM", "DOB", "SSN",
        "EXT", "LINE", "UNIT", "BADGE", "STAR", "RD", "CR", "CB", "RO", "FD",
    }
)  # fmt: skip


_PAGE_NUMBERING = re.compile(r"(?i)\bpage\s+\d+(?:\s+of\s+\d+)?\s*$")
_OCR_SPECKS = " \t.,:;'`~|_-"


def _zone(text: str) -> list[tuple[int, int]]:
    """(start, end) of the header and footer lines, footer first: stamps are most often at the bottom."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if len(lines) <= 2 * ZONE_LINES:
        return lines[::-1]
    return lines[-ZONE_LINES:][::-1] + lines[:ZONE_LINES]


def _plausible(m: re.Match[str], line: str) -> bool:
    prefix, sep, number = m.group("prefix"), m.group("sep"), m.group("number")
    if prefix in _NOT_PREFIXES or prefix.split("-")[-1] in _NOT_PREFIXES:
        return False
    groups = re.split(r"[-_]", number)
    last = groups[-1]
    if not (len(last) >= 4 or (len(last) >= 3 and last.startswith("0"))):
        return False
    digits = sum(len(g) for g in groups)
    if sep in (" ", "") and digits < 5 and not last.startswith("0"):
        return False
    # A stamp stands apart: at the line's edge or set off by two spaces, never inside a sentence.
    before, after = line[: m.start()], line[m.end() :]
    # "Contract #: PO-060-12013648", "Request No. ABC-12345": a labelled number is not a page stamp.
    if before.rstrip().endswith(("#", ":", "No.", "No")):
        return False
    # OCR turns specks on a scan into stray punctuation ('. CPD-0001842'): that is still an edge.
    # Footers often carry the page numbering beside the stamp: "Page 1 of 2 CBP-002214".
    before = _PAGE_NUMBERING.sub("", before)
    edge_before = not before.strip(_OCR_SPECKS) or before.endswith(("  ", "\t"))
    edge_after = not after.strip(_OCR_SPECKS) or after.startswith(("  ", "\t"))
    return edge_before and edge_after


def normalize_bates(prefix: str, sep: str, number: str) -> str:
    joiner = "-" if sep else ""
    return f"{prefix.replace('_', '-')}{joiner}{number.replace('_', '-')}"


# Tesseract sometimes splits a long digit run with a space ("FDA-CBER-2021-5683-1 150396"). A stamp
# alone at the end of its line whose last group is cut short that way is read as one group; nothing else
# is corrected.
_OCR_SPLIT_TAIL = re.compile(r"(?P<head>[A-Z]{2,}[-_](?:\d+[-_])*\d{1,3}) (?P<tail>\d{3,}[ \t]*)$")


def find_bates(text: str) -> str | None:
    """The page's Bates number, normalized (uppercase, "-" separators), or None."""
    found = find_bates_span(text)
    return found[0] if found else None


def find_bates_span(text: str) -> tuple[str, int, int] | None:
    """(normalized Bates number, start, end) of the page stamp in `text`, or None."""
    for start, end in _zone(text):
        raw = text[start:end]
        line = _OCR_SPLIT_TAIL.sub(r"\g<head>\g<tail>", raw)
        mended = len(line) != len(raw)
        for m in _BATES.finditer(line):
            if m.start() > 0 and (line[m.start() - 1].isalnum() or line[m.start() - 1] in "-_"):
                continue
            if m.end() < len(line) and (line[m.end()].isalnum() or line[m.end()] in "-_"):
                continue
            if _plausible(m, line):
                value = normalize_bates(m.group("prefix"), m.group("sep"), m.group("number"))
                # A mended line is one character shorter after the stamp's start.
                return value, start + m.start(), start + m.end() + (1 if mended else 0)
    return None


def bates_range(page_bates: Sequence[str | None]) -> tuple[str | None, str | None]:
    """A document's begin and end Bates: the first and last stamped page."""
    stamped = [b for b in page_bates if b]
    if not stamped:
        return None, None
    return stamped[0], stamped[-1]
