"""Plane geometry of a page in PDF points (top-left origin): rectangles, words, lines in reading order,
merging the pieces of one box, and the tilt of a scan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rect:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def contains_point(self, x: float, y: float, inset: float = 0.0) -> bool:
        return self.x0 + inset <= x <= self.x1 - inset and self.top + inset <= y <= self.bottom - inset

    def vertical_overlap(self, other: Rect) -> float:
        """Overlap of the two vertical extents as a share of the shorter one."""
        shared = min(self.bottom, other.bottom) - max(self.top, other.top)
        shorter = min(self.height, other.height)
        return shared / shorter if shorter > 0 else 0.0


@dataclass(frozen=True)
class Word:
    """A word as a reader's eye or an extractor meets it. `on_top`: drawn in a colour that stands out on
    a dark box (the text layer's white characters), so inside a box it is the stamp printed on the box,
    not a word hidden under it. OCR'd words are read off the image a reader sees and are always on top."""

    text: str
    rect: Rect
    on_top: bool = False


def center(r: Rect) -> tuple[float, float]:
    return (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2


def overlaps(a: Rect, b: Rect) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def intersection(a: Rect, b: Rect) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top))


def merge_touching(rects: Sequence[Rect], gap: float, side_by_side: bool = False) -> list[Rect]:
    """Merge rectangles on the same line whose horizontal gap is at most `gap`, or that overlap.

    `side_by_side` merges only pieces next to each other on a line: the bounding boxes of tilted boxes on
    consecutive lines of a scan overlap, and must stay apart."""
    pending = sorted(rects, key=lambda r: (r.top, r.x0))
    merged: list[Rect] = []
    changed = True
    while changed:
        changed = False
        merged = []
        for r in pending:
            for i, m in enumerate(merged):
                same_line = m.vertical_overlap(r) >= 0.6
                near = r.x0 <= m.x1 + gap and m.x0 <= r.x1 + gap
                overlapping = r.x0 < m.x1 and m.x0 < r.x1 and r.top < m.bottom and m.top < r.bottom
                if side_by_side:
                    shared = min(m.x1, r.x1) - max(m.x0, r.x0)
                    near = near and shared <= 0.5 * min(m.width, r.width)
                    overlapping = False
                if (same_line and near) or overlapping:
                    merged[i] = Rect(min(m.x0, r.x0), min(m.top, r.top), max(m.x1, r.x1), max(m.bottom, r.bottom))
                    changed = True
                    break
            else:
                merged.append(r)
        pending = sorted(merged, key=lambda r: (r.top, r.x0))
    return pending


def drop_contained(rects: Sequence[Rect], share: float = 0.6) -> list[Rect]:
    """Without the pieces that lie mostly inside a bigger box: the dark bits between the letters of a
    white stamp printed on a box come out as fragments of their own."""

    def inside(small: Rect, big: Rect) -> bool:
        ix = max(0.0, min(small.x1, big.x1) - max(small.x0, big.x0))
        iy = max(0.0, min(small.bottom, big.bottom) - max(small.top, big.top))
        return big.area > small.area and ix * iy >= share * small.area

    return [r for r in rects if not any(inside(r, other) for other in rects if other is not r)]


def reading_order(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into lines (by vertical overlap) and sorted left to right, lines top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.rect.top + w.rect.bottom) / 2):
        for line in lines:
            if line[0].rect.vertical_overlap(word.rect) >= 0.5:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.rect.x0)
    lines.sort(key=lambda line: min(w.rect.top for w in line))
    return lines


def skew_slope(words: Sequence[Word]) -> float:
    """The page's tilt as a slope (dy/dx), the median over neighbouring words on a line: 0 on a
    born-digital page, about 0.005-0.03 on a scan tilted 0.3-1.5 degrees."""
    slopes: list[float] = []
    for w in words:
        h = max(1.0, w.rect.height)
        right = [
            v
            for v in words
            if w.rect.x1 <= v.rect.x0 <= w.rect.x1 + 2 * h and abs(center(v.rect)[1] - center(w.rect)[1]) < 0.5 * h
        ]
        if right:
            v = min(right, key=lambda v: v.rect.x0)
            (x1, y1), (x2, y2) = center(w.rect), center(v.rect)
            if x2 - x1 > h:
                slopes.append((y2 - y1) / (x2 - x1))
    if len(slopes) < 5:
        return 0.0
    return float(np.median(slopes))


def straighten(r: Rect, slope: float) -> Rect:
    """The rectangle with the tilt sheared out: its centre moved to where the line would be level, and
    the height a tilted box's bounding box gains (slope x width) taken off again."""
    if slope == 0.0:
        return r
    cx, cy = center(r)
    level_cy = cy - slope * cx
    height = max(r.height - abs(slope) * r.width, 0.5 * r.height)
    return Rect(r.x0, level_cy - height / 2, r.x1, level_cy + height / 2)
