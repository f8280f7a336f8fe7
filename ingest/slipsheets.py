"""What kind of page it is: a page of the record, or a slip sheet standing in for pages not released.

Pure: the page's visible text (and how much of it is under boxes) in, a kind out. Slip sheets are short;
a long page that mentions "withheld in full" in prose (a cover letter) is still a content page.
"""

from __future__ import annotations

import re
from enum import StrEnum


class PageKind(StrEnum):
    CONTENT = "content"
    WITHHELD_IN_FULL = "withheld_in_full"  # "Withheld in full", "Page(s) withheld pursuant to ...", a black page
    DUPLICATE = "duplicate"  # "Duplicate", "Duplicate of page 12"
    REFERRED = "referred"  # "Referred to another agency", "Referral/Direct"


# A slip sheet says what it is in a few words; more than this and the phrase is prose about withholding.
MAX_SLIP_WORDS = 60
# A page this much under boxes released nothing readable: withheld in full even without a slip sheet.
FULLY_REDACTED_SHARE = 0.85

# Each pattern must open a line (after at most a few stray OCR marks): a slip sheet leads with what it
# is, while prose that mentions a withholding ("Enclosure: test plan (withheld in full)") does not.
_LEAD = r"^[^\w\n]{0,3}"
_WITHHELD = re.compile(
    _LEAD + r"(?:(?:\w+\s+){0,2}pages?\s*(?:\(s\))?\s+(?:\w+\s+){0,3}withheld|withheld\s+in\s+(?:full|its\s+entirety)"
    r"|deleted\s+page|denied\s+in\s+full|page\s+(?:intentionally\s+)?withheld|page\s+\d+\s*~\s*b\d)",
    re.IGNORECASE | re.MULTILINE,
)
_DUPLICATE = re.compile(_LEAD + r"(?:page\s+\d+\s*~\s*)?(?:duplicate|dup\s+of)\b", re.IGNORECASE | re.MULTILINE)
_REFERRED = re.compile(
    _LEAD + r"(?:(?:\w+\s+){0,3}refer(?:red|ral)\b|page\s+\d+\s*~\s*referral)", re.IGNORECASE | re.MULTILINE
)
_WORD = re.compile(r"\w+")


def page_kind(text: str, redacted_share: float = 0.0) -> PageKind:
    words = _WORD.findall(text)
    if len(words) <= MAX_SLIP_WORDS:
        # Referral and duplicate sheets often also say "withheld"; the more specific reason wins.
        if _REFERRED.search(text):
            return PageKind.REFERRED
        if _DUPLICATE.search(text):
            return PageKind.DUPLICATE
        if _WITHHELD.search(text):
            return PageKind.WITHHELD_IN_FULL
    if redacted_share >= FULLY_REDACTED_SHARE:
        return PageKind.WITHHELD_IN_FULL
    return PageKind.CONTENT
