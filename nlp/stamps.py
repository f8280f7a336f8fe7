"""Reading an exemption stamp printed by a redaction box: its codes, and its text as a box label.

A box's label is the stamp only: the exemption mentions of the words read as its stamp, each as printed,
joined by ", ". Nothing else of those words is kept, so a label never carries running text after the box
nor, on a failed redaction, the words still under it (docs/ANALYTICS.md, "Box labels").
"""

from __future__ import annotations

import re

from nlp.exemptions import find_exemptions
from nlp.types import ExemptionMention

# The closing parenthesis of the last stamp may be cut off at the end of the words read: "(b)(6".
_OCR_EX = re.compile(r"^\W{0,2}[EeB=£€]x[.,]?\s*([1-9])\s*([A-F])?(?![0-9])")
_OCR_PAREN = re.compile(r"\(\s*([1-9])\s*(?:[)\]|}]|$)(?:\s*[(\[{]\s*([A-Fa-f])\s*[)\]|}])?")
_BARE_PREFIX = "exempt "


def stamp_mentions(text: str) -> list[ExemptionMention]:
    """The exemption mentions of a stamp, offsets into `text`. A bare compact stamp ("b6") counts here,
    because its place beside a box is the support the running-text extractor otherwise asks for."""
    mentions = find_exemptions(text)
    if mentions:
        return mentions
    shift = len(_BARE_PREFIX)
    return [
        ExemptionMention(m.code, m.kind, m.start - shift, m.end - shift, m.text)
        for m in find_exemptions(_BARE_PREFIX + text)
        if m.start >= shift
    ]


def parse_label(text: str, tolerant: bool = False) -> tuple[str, ...]:
    """Exemption codes in a stamp printed by a box. `tolerant` (OCR'd stamps) also reads the usual
    misreadings of a stamp's first words: "=x.5" for "Ex. 5", "a (4)" or "(o)(6)" for "(b)(4)", "(b)(6)";
    only the stamp's place beside a box makes that safe, so it is never applied to running text."""
    codes = tuple(dict.fromkeys(m.code for m in stamp_mentions(text)))
    if not tolerant:
        return codes
    head = " ".join(text.split()[:4])
    if codes:
        # A stamp read in part ("(by(6), (b)(7)(C)"): a number right after a broken "(b)" counts too.
        broken = [m for m in _OCR_PAREN.finditer(head) if m.start() > 0 and head[m.start() - 1] in ")]|}yY"]
        extra = [_code(m.group(1), m.group(2)) for m in broken]
        return tuple(dict.fromkeys([*codes, *(c for c in extra if c != "b9")]))
    return tuple(dict.fromkeys(_code(m.group(1), m.group(2)) for m in _tolerant_matches(head)))


def stamp_label(text: str, tolerant: bool = False) -> str:
    """The stamp in the words read as one: each exemption mention as printed, in order, without repeats,
    joined by ", "; "" when they hold no stamp. Applied to a stored label it gives the same label again,
    and strips whatever an older label held besides its stamp."""
    parts = [m.text.strip() for m in stamp_mentions(text)]
    if not parts and tolerant:
        parts = [m.group(0).strip() for m in _tolerant_matches(" ".join(text.split()[:4]))]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def only_codes(text: str) -> bool:
    """Text that is nothing but exemption stamps (80 % of its non-space characters in mentions)."""
    mentions = find_exemptions(text)
    covered = sum(m.end - m.start for m in mentions)
    return bool(mentions) and covered >= 0.8 * len(text.replace(" ", ""))


def _tolerant_matches(head: str) -> list[re.Match[str]]:
    if m := _OCR_EX.match(head):
        return [m]
    # A lone "(9)" is far more often OCR noise at a box's edge than exemption 9 (wells).
    return [m for m in _OCR_PAREN.finditer(head) if m.group(1) != "9"]


def _code(number: str, part: str | None) -> str:
    return f"b{number}" + (part.upper() if number == "7" and part else "")


_COMPACT_STAMP = re.compile(r"(?<![\w])[bB][1-9][A-Fa-f]?(?![\w])")


def is_stamp_only(segment: str) -> bool:
    """Words that are only exemption stamps (and punctuation), a bare compact one ("b7E") included:
    beside the text it stamps such a segment names codes, it is not content."""
    rest = segment
    for m in sorted(find_exemptions(segment), key=lambda m: -m.start):
        rest = rest[: m.start] + " " + rest[m.end :]
    stripped = _COMPACT_STAMP.sub(" ", rest)
    return stripped != segment and not re.sub(r"[\W_]", "", stripped)
