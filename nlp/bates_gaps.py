"""Bates numbers OCR lost: a page between stamped neighbours of one sequence gets the number its place
implies, marked as inferred so a citation never passes it off as read from the stamp."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The stamp's running number is its last digit run: FBI-000123, DOJ-OIP-2019-00045, ABC0001234.
_TAIL = re.compile(r"(?P<head>.*?)(?P<digits>\d+)$")


@dataclass(frozen=True)
class PageBates:
    value: str | None
    inferred: bool = False


def _split(bates: str) -> tuple[str, int, int] | None:
    """(head, number, width) of a stamp: everything before its running number, the number, its digits."""
    m = _TAIL.fullmatch(bates)
    if m is None:
        return None
    return m.group("head"), int(m.group("digits")), len(m.group("digits"))


def _between(before: str, gap_before: int, after: str, gap_after: int) -> str | None:
    """The number a page `gap_before` pages after `before` and `gap_after` pages before `after` carries,
    when the two stamps are one sequence (same head, same width) whose numbers step one per page."""
    low, high = _split(before), _split(after)
    if low is None or high is None:
        return None
    (head, first, width), (head_after, last, width_after) = low, high
    if head != head_after or width != width_after or last - first != gap_before + gap_after:
        return None
    return f"{head}{first + gap_before:0{width}d}"


def bates_in_page_order(numbered: Iterable[tuple[int, str | None]]) -> list[str | None]:
    """Stamps of (page number, stamp) pairs as a list where index 0 is page 1; a page with no row is None."""
    pairs = list(numbered)
    stamps: list[str | None] = [None] * max((number for number, _ in pairs), default=0)
    for number, bates in pairs:
        stamps[number - 1] = bates
    return stamps


def infer_page_bates(page_bates: Sequence[str | None]) -> list[PageBates]:
    """Each page's Bates number in page order; a missing one is inferred only from its nearest stamped
    pages on both sides, and stays None at the document's edges or when they are not one sequence."""
    previous: list[int | None] = []
    last: int | None = None
    for i, value in enumerate(page_bates):
        previous.append(last)
        if value:
            last = i
    following: list[int | None] = [None] * len(page_bates)
    upcoming: int | None = None
    for i in range(len(page_bates) - 1, -1, -1):
        following[i] = upcoming
        if page_bates[i]:
            upcoming = i
    out: list[PageBates] = []
    for i, value in enumerate(page_bates):
        if value:
            out.append(PageBates(value))
            continue
        before, after = previous[i], following[i]
        if before is None or after is None:
            out.append(PageBates(None))
            continue
        guess = _between(page_bates[before] or "", i - before, page_bates[after] or "", after - i)
        out.append(PageBates(guess, inferred=guess is not None))
    return out
