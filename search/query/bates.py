"""Bates numbers as a series and a number, so a range compares numerically within one prefix.

`FBI-000117` is series `fbi` (the prefix's key, as search.query.fields.slug makes keys) and number
117; `FBI 117` and `fbi_000117` are the same page stamp. A stamp without a prefix has series "#",
which no prefix key can be (keys hold letters, digits and "-" only).
"""

from __future__ import annotations

import re

from search.query.fields import slug

MAX_BATES_DIGITS = 18  # significant digits: the number must fit a signed 64-bit index field
NO_PREFIX = "#"
_TRAILING_NUMBER = re.compile(r"(.*?)(\d+)\s*$", re.DOTALL)


def bates_series(prefix: str) -> str:
    return slug(prefix) or NO_PREFIX


def bates_parts(stamp: str) -> tuple[str, int] | None:
    """(series, number) of a Bates stamp; None when it ends in no number or one too long to index."""
    m = _TRAILING_NUMBER.match(stamp.strip())
    if m is None or len(m.group(2).lstrip("0")) > MAX_BATES_DIGITS:
        return None
    return bates_series(m.group(1)), int(m.group(2))
