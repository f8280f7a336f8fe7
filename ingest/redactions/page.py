"""One page's redactions from its boxes, words and glyphs: codes and stamp per box, failed redactions,
the visible context a Vaughn row quotes, and the share of the page redacted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.redactions.boxes import PageRedactions
from ingest.redactions.geometry import Rect, Word, center, reading_order
from ingest.redactions.leaks import with_leaks
from ingest.redactions.stamps import assign_codes
from ingest.redactions.vector import Glyph


def page_redactions(
    boxes: Sequence[Rect],
    words: Sequence[Word],
    glyphs: Sequence[Glyph],
    page_width: float,
    source: str,
) -> PageRedactions:
    """Everything about one page's redactions from its boxes, its words and (text layer) its glyphs."""
    detected = assign_codes(boxes, words, page_width, source)
    if glyphs:
        detected = with_leaks(detected, glyphs)
    visible = [w for w in words if not any(b.contains_point(*center(w.rect), inset=0.5) for b in boxes)]
    lines = reading_order(visible)
    detected = [replace(b, context=box_context(b.rect, lines)) for b in detected]
    return PageRedactions(tuple(detected), redacted_share(boxes, visible))


def box_context(box: Rect, lines: list[list[Word]], words: int = 8) -> str:
    """The visible words before and after a box on its line, with the box as "[...]": the text a Vaughn
    index row quotes. Only words outside every box are given, so a failed redaction leaks nothing here."""
    for line in lines:
        if line[0].rect.vertical_overlap(box) < 0.5 and not any(w.rect.vertical_overlap(box) >= 0.5 for w in line):
            continue
        before = [w.text for w in line if w.rect.x1 <= box.x0 + 1.0][-words:]
        after = [w.text for w in line if w.rect.x0 >= box.x1 - 1.0][:words]
        return " ".join([*before, "[...]", *after])
    return "[...]"


def redacted_share(boxes: Sequence[Rect], words: Sequence[Word]) -> float:
    """Share of the text area (the bounding box of words and boxes) that boxes cover."""
    if not boxes:
        return 0.0
    every = [*boxes, *(w.rect for w in words)]
    area = Rect(
        min(r.x0 for r in every), min(r.top for r in every), max(r.x1 for r in every), max(r.bottom for r in every)
    )
    if area.area <= 0:
        return 0.0
    covered = sum(b.area for b in boxes)  # merged boxes do not overlap
    return round(min(1.0, covered / area.area), 4)
