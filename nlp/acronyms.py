"""Abbreviations a record defines for itself: "Office of Vaccines Research and Review (OVRR)".

The long form is found with the Schwartz-Hearst rule (Schwartz & Hearst 2003): the abbreviation's letters
are matched right to left inside the words before the parenthesis, its first letter at the start of a
word, and the long form starts at that word. So "(OVRR)" takes "Office of Vaccines Research and Review",
and "(the PAC)" after "Public Access Counselor" takes the counselor; a parenthesis whose letters cannot be
found in the words before it ("(b)(6)", "(2019)") defines nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "(OVRR)", "("CBER")", "(the "PAC")", "(hereinafter "DMPED")": 2-10 characters, a capital first.
_PAREN = re.compile(
    r"\(\s*(?:the\s+|hereinafter\s+(?:the\s+)?|herein\s+)?[\"'\u201c\u2018]?"
    r"(?P<abbr>[A-Z][A-Za-z&]{1,9})[\"'\u201d\u2019]?\s*\)"
)
# Words a long form may span without giving the abbreviation a letter.
_MINOR = frozenset({"of", "and", "the", "for", "on", "in", "at", "to", "&", "de", "la"})
MAX_WORDS = 10


@dataclass(frozen=True)
class Definition:
    abbr: str
    long_start: int  # offsets of the long form in the text
    long_end: int
    abbr_start: int  # offsets of the abbreviation inside the parenthesis
    abbr_end: int


def _long_form_start(words: list[tuple[int, str]], abbr: str) -> int | None:
    """Index into `words` where the long form starts, or None (Schwartz-Hearst, right to left)."""
    letters = [c.lower() for c in abbr if c.isalnum()]
    if sum(c.isupper() for c in abbr) < 2:
        return None  # "(Inc)", "(Yes)": a capitalised word, not an abbreviation
    joined = ""
    starts: list[int] = []  # position in `joined` where each word starts
    for _, w in words:
        starts.append(len(joined))
        joined += w.lower() + " "
    li = len(letters) - 1
    pos = len(joined) - 1
    while li > 0:
        pos -= 1
        while pos >= 0 and joined[pos] != letters[li]:
            pos -= 1
        if pos < 0:
            return None
        li -= 1
    # The first letter opens a word that is itself part of the name: "(OVRR)" skips the "of" of
    # "Office of Vaccines Research and Review" and takes the "Office" before it.
    index = next(
        (
            i
            for i in range(len(words) - 1, -1, -1)
            if starts[i] < pos
            and words[i][1][:1].lower() == letters[0]
            and words[i][1].lower() not in _MINOR
            and words[i][1][:1].isupper()
        ),
        None,
    )
    if index is None:
        return None
    # Every capitalised word of the long form should give a letter: "Chicago Police Department (FOIA)"
    # is not a definition of FOIA, though its letters can be found.
    capitalised = [w for _, w in words[index:] if w[:1].isupper() and w.lower() not in _MINOR]
    if len(capitalised) > len(letters) + 1:
        return None
    return index


def find_definitions(text: str) -> list[Definition]:
    found: list[Definition] = []
    for m in _PAREN.finditer(text):
        head = text[max(0, m.start() - 160) : m.start()]
        words = [(w.start(), w.group()) for w in re.finditer(r"[\w&'\u2019.-]+", head)]
        # The long form lies in the sentence's last words; stop at a line break of a column gap.
        words = words[-MAX_WORDS:]
        if not words:
            continue
        abbr = m.group("abbr")
        index = _long_form_start(words, abbr)
        if index is None:
            continue
        offset = max(0, m.start() - 160)
        long_start = offset + words[index][0]
        long_end = offset + words[-1][0] + len(words[-1][1].rstrip(".,"))
        if re.search(r"\n\s*\n|[;:]", text[long_start:long_end]):
            continue
        found.append(Definition(abbr, long_start, long_end, m.start("abbr"), m.end("abbr")))
    return found


def abbreviation_uses(text: str, abbr: str) -> list[tuple[int, int]]:
    """Where `abbr` is written as a word of its own, in its own case (also with a possessive)."""
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", text)]
