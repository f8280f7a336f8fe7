"""Calendar bucket numbers for timelines, identical in every engine (see search.index_fields)."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.date(1970, 1, 1)


def bucket_numbers(d: dt.date) -> dict[str, int]:
    day = (d - EPOCH).days
    return {
        "day": day,
        "week": (day + 3) // 7,  # 1970-01-01 was a Thursday; +3 makes weeks start on Monday
        "month": d.year * 12 + d.month - 1,
        "quarter": d.year * 4 + (d.month - 1) // 3,
        "year": d.year,
    }


def bucket_start(interval: str, number: int) -> dt.date:
    if interval == "day":
        return EPOCH + dt.timedelta(days=number)
    if interval == "week":
        return EPOCH + dt.timedelta(days=number * 7 - 3)
    if interval == "month":
        return dt.date(number // 12, number % 12 + 1, 1)
    if interval == "quarter":
        return dt.date(number // 4, (number % 4) * 3 + 1, 1)
    if interval == "year":
        return dt.date(number, 1, 1)
    raise ValueError(f"unknown interval {interval!r}")
