"""The value after `field:` -> a tree node: keyword values (bare, quoted, with balanced
parentheses), dates and date ranges, Bates ranges. Pure: (text, field, offset) -> (node, end offset).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from search.fields import FIELDS
from search.query.ast import BatesRange, DateRange, FieldValue, Node
from search.query.bates import bates_parts
from search.query.errors import QuerySyntaxError

if TYPE_CHECKING:  # pragma: no cover
    from search.fields import Field

_YEAR = re.compile(r"[0-9]{4}$")  # ASCII: \d also takes other scripts' digits
_MONTH = re.compile(r"(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})$")
_ALNUM = re.compile(r"[^\W_]")
_SPECIAL = frozenset('()"')
_RANGE_BODY = re.compile(r"\s*(\S(?:.*?\S)?)\s+[Tt][Oo]\s+(\S(?:.*?\S)?)\s*", re.DOTALL)
RANGE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.ranges)
_BATES_HINT = "write bates:[FBI-000117 TO FBI-000120] (one prefix, numbers at the end)"


def read_field_value(text: str, declared: Field, vpos: int) -> tuple[Node, int]:
    """The node for `field:` whose value starts at `vpos`, and the offset just after the value."""
    field = declared.name
    if vpos >= len(text) or text[vpos].isspace() or text[vpos] == ")":
        raise QuerySyntaxError(f"{field}: needs a value", vpos, f"write {field}:value")
    if declared.kind == "date":
        return _date_value(text, field, vpos)
    if text[vpos] == "{":
        raise QuerySyntaxError(
            "exclusive ranges {…} are not supported", vpos, f"ranges are inclusive: {field}:[a TO b]"
        )
    if text[vpos] == "[":
        if declared.projection != "bates":
            raise QuerySyntaxError(
                f"{field}: takes no range", vpos, f"ranges work on {', '.join(RANGE_FIELDS)}; write {field}:value"
            )
        return _bates_range(text, vpos)
    if text[vpos] == '"':
        end = text.find('"', vpos + 1)
        if end < 0:
            raise QuerySyntaxError("unterminated quoted value", vpos, 'close the value with a second "')
        value, after, prefix = text[vpos + 1 : end], end + 1, False
    else:
        after = _balanced_end(text, field, vpos)
        value = text[vpos:after]
        for bad in ("~", "\\", "^", "?"):
            if bad in value:
                raise QuerySyntaxError(
                    f"'{bad}' is not supported in a field value",
                    vpos + value.find(bad),
                    f'fuzzy ~N works on words of the text; quote a value with punctuation: {field}:"…"',
                )
        prefix = value.endswith("*")
        value = value.rstrip("*")
    if _ALNUM.search(value) is None:
        raise QuerySyntaxError(f"{field}: value has no letters or digits", vpos, f"write {field}:value")
    return FieldValue(field, value, prefix), after


def _balanced_end(text: str, field: str, vpos: int) -> int:
    """A bare value may hold balanced parentheses, so `exemption:(b)(7)(C)` is one value."""
    depth = 0
    i = vpos
    while i < len(text) and not text[i].isspace() and text[i] != '"':
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    if depth:
        raise QuerySyntaxError(
            f"{field}: unbalanced parenthesis in value",
            vpos,
            f'quote the value ({field}:"…") or write {field}:a OR {field}:b',
        )
    return i


def _range_bounds(text: str, vpos: int, hint: str) -> tuple[str, int, str, int, int]:
    """`[lo TO hi]` at vpos: lo, its offset, hi, its offset, and the offset after `]`."""
    end = text.find("]", vpos)
    if end < 0:
        raise QuerySyntaxError("unterminated range", vpos, hint)
    body = text[vpos + 1 : end]
    # A bound may hold spaces ("FBI 000117"): only the TO between them splits.
    m = _RANGE_BODY.fullmatch(body)
    if m is None:
        raise QuerySyntaxError("a range is [start TO end]", vpos, hint + "; * leaves an end open")
    lo, hi = m.group(1), m.group(2)
    return lo, vpos + 1 + m.start(1), hi, vpos + 1 + m.start(2), end + 1


def _bates_range(text: str, vpos: int) -> tuple[Node, int]:
    lo, lo_pos, hi, hi_pos, after = _range_bounds(text, vpos, _BATES_HINT)
    if lo == "*" and hi == "*":
        raise QuerySyntaxError("a Bates range needs at least one number", vpos, _BATES_HINT)
    lo_parts = None if lo == "*" else _bates_bound(lo, lo_pos)
    hi_parts = None if hi == "*" else _bates_bound(hi, hi_pos)
    if lo_parts is not None and hi_parts is not None:
        if lo_parts[0] != hi_parts[0]:
            raise QuerySyntaxError(
                "a Bates range stays within one prefix",
                hi_pos,
                f"give both ends the prefix of {lo}, or search each prefix",
            )
        if lo_parts[1] > hi_parts[1]:
            raise QuerySyntaxError("Bates range ends before it starts", vpos, "swap the two numbers")
    series = (lo_parts or hi_parts or ("", 0))[0]
    return BatesRange(
        series, None if lo_parts is None else lo_parts[1], None if hi_parts is None else hi_parts[1]
    ), after


def _bates_bound(value: str, pos: int) -> tuple[str, int]:
    parts = bates_parts(value)
    if parts is None:
        raise QuerySyntaxError(f"'{value}' is not a Bates number", pos, _BATES_HINT)
    return parts


def _date_value(text: str, field: str, vpos: int) -> tuple[Node, int]:
    if text[vpos] == "[":
        lo_text, lo_pos, hi_text, hi_pos, after = _range_bounds(text, vpos, "write date:[2018-01-01 TO 2019-06-30]")
        lo = None if lo_text == "*" else _date_bounds(lo_text, lo_pos)[0]
        hi = None if hi_text == "*" else _date_bounds(hi_text, hi_pos)[1]
        if lo is not None and hi is not None and lo > hi:
            raise QuerySyntaxError("date range ends before it starts", vpos, "swap the two dates")
        return DateRange(lo, hi), after
    i = vpos
    while i < len(text) and not text[i].isspace() and text[i] not in _SPECIAL:
        i += 1
    value = text[vpos:i]
    if field == "year" and not _YEAR.match(value):
        raise QuerySyntaxError("year: needs four digits", vpos, "write year:2019")
    lo_d, hi_d = _date_bounds(value, vpos)
    return DateRange(lo_d, hi_d), i


def _date_bounds(value: str, pos: int) -> tuple[dt.date, dt.date]:
    """First and last day covered by 2019, 2019-06 or 2019-06-30."""
    hint = "write 2019, 2019-06 or 2019-06-30"
    try:
        if _YEAR.match(value):
            y = int(value)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if m := _MONTH.match(value):
            y, mo = int(m.group(1)), int(m.group(2))
            first = dt.date(y, mo, 1)
            nxt = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if m := _DAY.match(value):
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d
    except ValueError:
        raise QuerySyntaxError(f"invalid date '{value}'", pos, hint) from None
    raise QuerySyntaxError(f"invalid date '{value}'", pos, hint)
