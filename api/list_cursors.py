"""The cursors of the catalog's lists (entities, analytics, productions, files), read in one place.

Search cursors are the engines' (search/cursor.py). These are plain text the API wrote itself: an offset,
a document count and an id, or the id of the last item shown (`<prefix>_<16 hex digits>`, as
catalog.sql.new_id makes them). A cursor that is not what the API writes is a 400 problem saying so; the
numbers are ASCII digits within the range a database integer holds (str.isdigit() takes "²", and a
40-digit count overflows SQLite's integers).
"""

from __future__ import annotations

import re

from api.problems import Problem

MAX_COUNT = 2**63 - 1
_NUMBER = re.compile(r"[0-9]{1,19}")
_ID_TAIL = re.compile(r"[0-9a-f]{16}")


def _invalid(why: str) -> Problem:
    return Problem(
        400, "Invalid cursor", f"{why}: pass back the next_cursor of a previous page", "/problems/invalid-cursor"
    )


def _number(text: str) -> int | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_COUNT else None


def offset_from_cursor(cursor: str | None) -> int:
    """An offset cursor ("40"): where the next page starts; 0 without one."""
    if cursor is None:
        return 0
    offset = _number(cursor)
    if offset is None:
        raise _invalid("the cursor is not an offset")
    return offset


def count_and_id_from_cursor(cursor: str | None) -> tuple[int, str] | None:
    """A keyset cursor ("12:ent_ab12"): the last item's count and id; None without one."""
    if not cursor:
        return None
    count_text, _, item_id = cursor.partition(":")
    count = _number(count_text)
    if count is None or not item_id:
        raise _invalid("the cursor is not a count and an id")
    return count, item_id


def id_from_cursor(cursor: str | None, prefix: str) -> str | None:
    """An id cursor ("fil_0123456789abcdef"): the last item's id, of the list's own kind; None without one."""
    if not cursor:
        return None
    head, sep, tail = cursor.partition("_")
    if head != prefix or not sep or not _ID_TAIL.fullmatch(tail):
        raise _invalid(f"the cursor is not a {prefix}_ id")
    return cursor
