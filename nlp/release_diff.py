"""What one release of a page shows that another release of it does not, word by word."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.exemptions import ordered_codes
from nlp.stamps import is_stamp_only

_WORDS = re.compile(r"\S+")


@dataclass(frozen=True)
class PageDiff:
    only_here: list[str] = field(default_factory=list)  # visible here, absent (redacted or changed) there
    only_there: list[str] = field(default_factory=list)
    codes_only_here: list[str] = field(default_factory=list)
    codes_only_there: list[str] = field(default_factory=list)


def _is_content(segment: str) -> bool:
    return bool(re.search(r"\w", segment)) and not is_stamp_only(segment)


def page_diff(
    text_here: str,
    text_there: str,
    codes_here: Iterable[str],
    codes_there: Iterable[str],
    ignore: Iterable[str | None] = (),
) -> PageDiff:
    """What one release of a page shows that the other does not, word by word, and the codes claimed
    on one release only. Stamps are compared as codes, not as text; the words in `ignore` (each
    release's own Bates number) and punctuation-only changes are not changes of content."""
    skip = {w for w in ignore if w}
    here = [w for w in _WORDS.findall(text_here) if w not in skip]
    there = [w for w in _WORDS.findall(text_there) if w not in skip]
    matcher = difflib.SequenceMatcher(a=here, b=there, autojunk=False)
    only_here: list[str] = []
    only_there: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if a1 > a0 and _is_content(segment := " ".join(here[a0:a1])):
            only_here.append(segment)
        if b1 > b0 and _is_content(segment := " ".join(there[b0:b1])):
            only_there.append(segment)
    a, b = set(codes_here), set(codes_there)
    return PageDiff(only_here, only_there, list(ordered_codes(a - b)), list(ordered_codes(b - a)))
