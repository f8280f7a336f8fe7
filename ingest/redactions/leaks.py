"""Failed redactions: the text-layer words a box covers but does not remove, told apart from the stamp
printed on top of the box."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.redactions.boxes import DetectedBox, PageRedactions
from ingest.redactions.geometry import Rect, Word, center, reading_order
from ingest.redactions.vector import Glyph
from nlp.stamps import only_codes

# How far past a box's edge a word's centre may lie and still count as inside it (points): generous,
# because a word at the edge of a box is half hidden, and a hidden word must never pass for a visible one.
EDGE = 0.5


def inside(box: Rect, word: Word) -> bool:
    return box.contains_point(*center(word.rect), inset=-EDGE)


def printed_on(box: Rect, words: Sequence[Word]) -> list[Word]:
    """The words a reader sees on the box: those drawn on top of it (white on black, or OCR'd off the
    image), and dark text-layer words under it only when together they are nothing but a stamp (a dark
    stamp on a grey box, a scanner's OCR layer of the stamp). Any other word under the box is hidden."""
    under = [w for w in words if inside(box, w)]
    on_top = [w for w in under if w.on_top]
    dark = [w for w in under if not w.on_top]
    if dark and only_codes(" ".join(w.text for w in dark)):
        return under
    return on_top


def covered(words: Sequence[Word], boxes: Sequence[Rect]) -> set[int]:
    """Indexes of the words some box hides (under it, and not printed on it)."""
    shown = {id(w) for b in boxes for w in printed_on(b, words)}
    return {i for i, w in enumerate(words) if id(w) not in shown and any(inside(b, w) for b in boxes)}


def leaked_under(box: Rect, glyphs: Sequence[Glyph]) -> str | None:
    """Text-layer characters drawn under a box that a reader cannot see: a failed redaction. White
    characters are the stamp printed on the box, not hidden text; so is a leftover that is only a code."""
    under = [g for g in glyphs if not g.white and g.text.strip() and box.contains_point(*center(g.rect), inset=0.5)]
    if not under:
        return None
    words = reading_order([Word(g.text, g.rect) for g in under])
    text = " ".join(_join_glyphs(line) for line in words).strip()
    if not text or only_codes(text):
        return None
    return text


def with_leaks(boxes: Sequence[DetectedBox], glyphs: Sequence[Glyph]) -> list[DetectedBox]:
    return [replace(b, leaked_text=leaked_under(b.rect, glyphs)) for b in boxes]


def substantive_leaks(found: PageRedactions) -> PageRedactions:
    """The same redactions, keeping as leaked only text with a word of three letters or digits."""
    boxes = tuple(
        b if b.leaked_text is None or re.search(r"\w{3}", b.leaked_text) else replace(b, leaked_text=None)
        for b in found.boxes
    )
    return PageRedactions(boxes, found.redacted_share)


def _join_glyphs(line: list[Word]) -> str:
    out = ""
    prev: Word | None = None
    for g in line:
        if prev is not None and g.rect.x0 - prev.rect.x1 > 0.25 * max(1.0, g.rect.height):
            out += " "
        out += g.text
        prev = g
    return out
