"""Date mentions in page text, normalized to ISO 8601 (YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt
import re

from nlp.types import DateMention

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    # A month misspelled or OCR'd ("Febuary", "Septmber", "Decmber"): checked by _fuzzy_month.
    r"|[A-Za-z]{4,10})\.?"
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def month_number(word: str) -> int | None:
    """1-12 for a month name, its abbreviation, or a misspelling one edit from a name of 6+ letters (two
    edits from one of 8+): "Febuary", "Novmber"; a short word ("Mayor", "Marc") is never a month."""
    w = word.lower().rstrip(".")
    if w in MONTHS or w in _MONTH_NAMES or w == "sept":
        return MONTHS[w[:3]]
    for number, name in enumerate(_MONTH_NAMES, 1):
        allowed = 2 if len(name) >= 8 else 1 if len(name) >= 6 else 0
        if allowed and len(w) >= 5 and _distance(w, name) <= allowed:
            return number
    return None


_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR4 = r"(?P<year>(?:19|20)\d\d)"
_SPACE = r"[ \t]*\n?[ \t]*"  # one line break at most: "June 12,\n2019" in wrapped text

_PATTERNS = [
    # June 12, 2019 / Jun. 12 2019 / JUNE 12TH, 2019
    re.compile(rf"\b{_MONTH}[ \t]+{_DAY},?{_SPACE}{_YEAR4}\b", re.IGNORECASE),
    # 12 June 2019 / 12th of June, 2019
    re.compile(rf"\b{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH},?{_SPACE}{_YEAR4}\b", re.IGNORECASE),
    # 23-Feb-2021 / 16-JUL-21
    re.compile(
        r"\b(?P<day>[0-3]?\d)-(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*-"
        r"(?P<year>(?:19|20)?\d\d)\b",
        re.IGNORECASE,
    ),
    # 2019-06-12 / 2023/03/20
    re.compile(
        r"(?<![\d/.-])(?P<year>(?:19|20)\d\d)(?P<sep>[-/])(?P<nmonth>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d/])"
    ),
    # 06/12/2019 / 6/12/19 / 09-17-2015 (US order, day first only when the first number exceeds 12)
    re.compile(
        r"(?<![\d/.-])(?P<a>[01]?\d|[23]\d)(?P<sep>[/-])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d\d|\d\d)(?![\d/]|-\d)"
    ),
]


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _to_date(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    year = _year(groups["year"])
    if groups.get("month"):
        number = month_number(groups["month"])
        if number is None:
            return None
        month, day = number, int(groups["day"])
    elif groups.get("nmonth"):
        month, day = int(groups["nmonth"]), int(groups["day"])
    else:
        a, b = int(groups["a"]), int(groups["b"])
        month, day = (b, a) if a > 12 else (a, b)
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            date = _to_date(m)
            if date is None:
                continue
            found.append(DateMention(date.isoformat(), start, end, text[start:end]))
            taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return found
