"""Tying boxes to the exemption stamps printed on them, after them or in the margin of their line.

Only words a reader sees are read as a stamp: words printed on a box (leaks.printed_on) and words
outside every box. A word a box hides is never a stamp, never a label, and never ties codes to a box."""

from __future__ import annotations

from collections.abc import Sequence

from ingest.redactions.boxes import DetectedBox
from ingest.redactions.geometry import Rect, Word, center, reading_order, skew_slope, straighten
from ingest.redactions.leaks import covered, printed_on
from nlp.stamps import parse_label, stamp_label

# Words within this many points after a box on its line are read as the box's printed stamp.
LABEL_GAP = 24.0
# Words whose left edge lies beyond this share of the page width are margin stamps ("b6, b7C").
MARGIN_SHARE = 0.8


def assign_codes(boxes: Sequence[Rect], words: Sequence[Word], page_width: float, source: str) -> list[DetectedBox]:
    """Each box (in the order given) with its codes and its label: the stamp printed inside it, right
    after it (on its line, or at the start of the next line when the box ends its line), or in the right
    margin of its line. A box with none of these is a line of a longer redaction: it takes the codes of
    the next box in reading order, else the previous one, and no label. On a tilted scan, lines are
    straightened first (see `straighten`)."""
    slope = skew_slope(words)
    level_boxes = [straighten(b, slope) for b in boxes]
    level_words = [Word(w.text, straighten(w.rect, slope), w.on_top) for w in words if w.text.strip()]
    hidden = covered(level_words, level_boxes)
    readable = [w for i, w in enumerate(level_words) if i not in hidden]
    lines = reading_order(readable)
    order = sorted(range(len(boxes)), key=lambda i: (round(level_boxes[i].top), level_boxes[i].x0))
    ordered = [level_boxes[i] for i in order]
    tolerant = source == "image"
    found: list[tuple[tuple[str, ...], str]] = []
    for box in ordered:
        shown = {id(w) for w in printed_on(box, readable)}
        on_box = [w for line in lines for w in line if id(w) in shown]
        label = " ".join(w.text for w in on_box)
        codes = parse_label(label, tolerant) if on_box else ()
        if not codes:
            label = _following_text(box, lines, ordered)
            codes = parse_label(label, tolerant) if label else ()
        if not codes:
            label = _margin_text(box, lines, page_width)
            codes = parse_label(label, tolerant) if label else ()
        found.append((codes, stamp_label(label, tolerant) if codes else ""))
    result: list[DetectedBox] = []
    for n, (index, (codes, label)) in enumerate(zip(order, found, strict=True)):
        if not codes:
            later = [c for c, _ in found[n + 1 :] if c]
            earlier = [c for c, _ in found[:n] if c]
            codes = later[0] if later else (earlier[-1] if earlier else ())
        result.append(DetectedBox(boxes[index], source, codes, label))
    return result


def _following_text(box: Rect, lines: list[list[Word]], boxes: Sequence[Rect], max_words: int = 5) -> str:
    """The first words printed after the box: on its line, else at the start of the next line, unless
    those words stand on or after another box (they are that box's stamp)."""
    for n, line in enumerate(lines):
        if line[0].rect.vertical_overlap(box) < 0.5:
            continue
        after = [w for w in line if w.rect.x0 >= box.x1 - 1.0]
        if after:
            if after[0].rect.x0 - box.x1 > LABEL_GAP:
                return ""
            # Another box between the box and the words means the words belong to that box.
            if any(
                b is not box and box.x1 - 1 <= b.x0 < after[0].rect.x0 for b in boxes if b.vertical_overlap(box) >= 0.5
            ):
                return ""
            return " ".join(w.text for w in after[:max_words])
        if n + 1 < len(lines):
            nxt = lines[n + 1]
            # Only a stamp that opens the next line belongs to a box that closes this one, and only when
            # no box opens that line before it.
            opens_with_box = any(
                b.vertical_overlap(nxt[0].rect) >= 0.5 and b.x0 <= center(nxt[0].rect)[0] for b in boxes
            )
            if nxt[0].rect.top - box.bottom < 2 * box.height and not opens_with_box:
                return " ".join(w.text for w in nxt[:max_words])
        return ""
    return ""


def _margin_text(box: Rect, lines: list[list[Word]], page_width: float) -> str:
    for line in lines:
        if line[0].rect.vertical_overlap(box) >= 0.5:
            margin = [w for w in line if w.rect.x0 >= MARGIN_SHARE * page_width and w.rect.x0 >= box.x1]
            return " ".join(w.text for w in margin)
    return ""
