"""Redaction boxes on a page: where they are, which exemption codes they carry, and what leaked.

Pure geometry over plain values: filled rectangles (from pdfplumber, on pages with a text layer) or a
grayscale page image (the OCR render, on scanned pages) in, boxes in PDF points (top-left origin) out.
The I/O that feeds these functions lives in ingest/redaction_io.py and ingest/ocr.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from nlp.exemptions import find_exemptions

# A box must be at least this big (points): smaller filled shapes are bullets, rules and table borders.
MIN_BOX_WIDTH = 4.0
MIN_BOX_HEIGHT = 4.0
# Fill luminance (0 black .. 1 white) below which a filled rectangle reads as a redaction: black and the
# dark grey some agencies use, not the light table shading around 0.8.
DARK_LUMINANCE = 0.35
# Words within this many points after a box on its line are read as the box's printed stamp.
LABEL_GAP = 24.0
# Words whose left edge lies beyond this share of the page width are margin stamps ("b6, b7C").
MARGIN_SHARE = 0.8


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
class FilledShape:
    """A filled rectangle as the PDF draws it, with its fill luminance (0 black .. 1 white)."""

    rect: Rect
    luminance: float


@dataclass(frozen=True)
class Glyph:
    """One character of the text layer, with whether it is drawn white (a stamp inside a black box)."""

    text: str
    rect: Rect
    white: bool = False


@dataclass(frozen=True)
class Word:
    text: str
    rect: Rect


@dataclass(frozen=True)
class DetectedBox:
    rect: Rect
    source: str  # "text_layer" | "image"
    codes: tuple[str, ...] = ()
    label: str = ""  # the stamp as printed next to or inside the box
    leaked_text: str | None = None  # text-layer words still under the box (a failed redaction)
    context: str = ""  # the visible words around the box: "... Contact [box] at ..."


@dataclass(frozen=True)
class PageRedactions:
    boxes: tuple[DetectedBox, ...]
    redacted_share: float  # share of the page's text area under boxes, 0..1

    @property
    def failed(self) -> bool:
        return any(b.leaked_text for b in self.boxes)

    @property
    def leaked_text(self) -> str | None:
        leaked = [b.leaked_text for b in self.boxes if b.leaked_text]
        return " | ".join(leaked) if leaked else None


def luminance(color: object) -> float | None:
    """A PDF fill colour (gray, RGB or CMYK tuple, as pdfplumber reports it) as luminance, or None."""
    if isinstance(color, int | float):
        return float(color)
    if not isinstance(color, tuple | list) or not all(isinstance(v, int | float) for v in color):
        return None  # patterns, named colour spaces
    values = [float(v) for v in color]
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        r, g, b = values
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(values) == 4:
        c, m, y, k = values
        return (1 - k) * (1 - (0.299 * c + 0.587 * m + 0.114 * y))
    return None


def boxes_from_shapes(
    shapes: Iterable[FilledShape], page_width: float, page_height: float, glyphs: Sequence[Glyph] = ()
) -> list[Rect]:
    """Filled rectangles big enough to hide a word, merged where a producer drew one box in pieces.

    Dark boxes count unless white words that are not a stamp are printed on them (a heading bar);
    grey boxes (FDA's style) count only when what is printed on them is an exemption stamp, because
    grey fills are also table shading."""
    sized = [
        s
        for s in shapes
        if s.rect.width >= MIN_BOX_WIDTH
        and s.rect.height >= MIN_BOX_HEIGHT
        # A filled shape covering the whole page is a background, not a redaction.
        and s.rect.area < 0.97 * page_width * page_height
    ]
    dark = merge_touching([s.rect for s in sized if s.luminance <= DARK_LUMINANCE], gap=1.0)
    grey = merge_touching([s.rect for s in sized if DARK_LUMINANCE < s.luminance <= GREY_LUMINANCE], gap=1.0)
    kept = [r for r in dark if not _heading_bar(r, glyphs)]
    kept += [r for r in grey if _stamped(r, glyphs) and not any(_overlaps(r, d) for d in kept)]
    return sorted(kept, key=lambda r: (r.top, r.x0))


# Grey fills up to this luminance may be redactions when a stamp is printed on them.
GREY_LUMINANCE = 0.85


def _printed_on(r: Rect, glyphs: Sequence[Glyph], white: bool | None = None) -> str:
    on = [g for g in glyphs if (white is None or g.white is white) and r.contains_point(*_center(g.rect))]
    return "".join(g.text for g in sorted(on, key=lambda g: (round(g.rect.top), g.rect.x0))).strip()


def _heading_bar(r: Rect, glyphs: Sequence[Glyph]) -> bool:
    text = _printed_on(r, glyphs, white=True)
    return len(text.replace(" ", "")) >= 3 and not _only_codes(text)


def _stamped(r: Rect, glyphs: Sequence[Glyph]) -> bool:
    text = _printed_on(r, glyphs)
    return bool(text) and _only_codes(text)


def _overlaps(a: Rect, b: Rect) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


@dataclass(frozen=True)
class DrawnObject:
    """A text run or a filled shape, in the order the page draws them."""

    kind: str  # "text" | "fill"
    rect: Rect
    luminance: float | None = None  # fills only


# A white fill counts as white-out when it covers at least this share of its area with text drawn earlier.
WHITEOUT_COVER = 0.3


def whiteouts_over_text(ordered: Sequence[DrawnObject]) -> list[Rect]:
    """White filled rectangles drawn after text they cover and under no later text: the words are in the
    text layer but painted over (a white-out redaction that leaves the text behind). A white cell
    background is drawn before its text, so it is not one."""
    found = []
    for k, obj in enumerate(ordered):
        if obj.kind != "fill" or obj.luminance is None or obj.luminance < 0.95:
            continue
        if obj.rect.width < MIN_BOX_WIDTH or obj.rect.height < MIN_BOX_HEIGHT:
            continue
        before = sum(_intersection(obj.rect, t.rect) for t in ordered[:k] if t.kind == "text")
        after = any(_intersection(obj.rect, t.rect) > 0 for t in ordered[k + 1 :] if t.kind == "text")
        if before >= WHITEOUT_COVER * obj.rect.area and not after:
            found.append(obj.rect)
    return found


def _intersection(a: Rect, b: Rect) -> float:
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


def boxes_from_image(
    gray: NDArray[np.uint8], dpi: float, min_width: float = 8.0, min_height: float = 5.0
) -> list[Rect]:
    """Solid dark regions of a page image (0 black .. 255 white), in points.

    A pixel is in the core of a region when nearly all of a small window around it is dark: text
    strokes (about 1 pt wide) never fill a 3 pt window, a marker box does. White stamps printed inside a
    box break its core into pieces, which are merged back along the line.
    """
    scale = 72.0 / dpi
    dark = (gray < 110).astype(np.float32)
    window = max(3, round(3.0 * dpi / 72.0))
    fraction = ndimage.uniform_filter(dark, size=window, mode="constant")
    core = fraction >= 0.9
    labels, count = ndimage.label(core)
    if count == 0:
        return []
    height, width = gray.shape
    pad = window // 2
    found: list[Rect] = []
    for slc in ndimage.find_objects(labels):
        if slc is None:
            continue
        top, bottom = max(0, slc[0].start - pad), min(height, slc[0].stop + pad)
        left, right = max(0, slc[1].start - pad), min(width, slc[1].stop + pad)
        # Photocopier edges and punch holes touch the border of the scan.
        if top <= 2 or left <= 2 or bottom >= height - 2 or right >= width - 2:
            continue
        region = dark[top:bottom, left:right]
        if region.mean() < 0.45:
            continue
        found.append(Rect(left * scale, top * scale, right * scale, bottom * scale))
    rects = drop_contained(merge_touching(found, gap=4.0, side_by_side=True))
    # Smaller dark squares are icons and bullets; a box hides at least a short word.
    return [
        r for r in rects if r.width >= min_width and r.height >= min_height and r.area < 0.9 * width * height * scale**2
    ]


def whiteout_from_image(gray: NDArray[np.uint8], dpi: float) -> list[Rect]:
    """White-out on a scan: rectangles of pure white (a box drawn in software over the scanned image)
    on paper that is not pure white. On a scan whose paper is already pure white a white box cannot be
    told from the paper, so nothing is returned."""
    scale = 72.0 / dpi
    light = gray[gray > 200]
    if light.size == 0 or float(np.median(light)) >= 252.0:
        return []
    window = max(3, round(3.0 * dpi / 72.0))
    fraction = ndimage.uniform_filter((gray >= 254).astype(np.float32), size=window, mode="constant")
    labels, count = ndimage.label(fraction >= 0.98)
    if count == 0:
        return []
    height, width = gray.shape
    pad = window // 2
    found: list[Rect] = []
    for index, slc in enumerate(ndimage.find_objects(labels), start=1):
        if slc is None:
            continue
        top, bottom = max(0, slc[0].start - pad), min(height, slc[0].stop + pad)
        left, right = max(0, slc[1].start - pad), min(width, slc[1].stop + pad)
        if top <= 2 or left <= 2 or bottom >= height - 2 or right >= width - 2:
            continue
        # A drawn box fills its bounding box; a blob of clean paper does not.
        filled = float((labels[slc] == index).mean())
        r = Rect(left * scale, top * scale, right * scale, bottom * scale)
        if filled >= 0.8 and r.width >= 20.0 and r.height >= 6.0:
            found.append(r)
    return found


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


def parse_label(text: str, tolerant: bool = False) -> tuple[str, ...]:
    """Exemption codes in a stamp printed by a box. A bare compact stamp ("b6") is accepted here,
    because its place beside a box is the support the running-text extractor otherwise asks for.
    `tolerant` (OCR'd stamps) also reads the usual misreadings of a stamp's first words: "=x.5" for
    "Ex. 5", "a (4)" or "(o)(6)" for "(b)(4)", "(b)(6)"; only the stamp's place beside a box makes that
    safe, so it is never applied to running text."""
    mentions = find_exemptions(text) or find_exemptions(f"exempt {text}")
    codes = tuple(dict.fromkeys(m.code for m in mentions))
    if not tolerant:
        return codes
    head = " ".join(text.split()[:4])
    if codes:
        # A stamp read in part ("(by(6), (b)(7)(C)"): a number right after a broken "(b)" counts too.
        broken = [m for m in _OCR_PAREN.finditer(head) if m.start() > 0 and head[m.start() - 1] in ")]|}yY"]
        extra = [f"b{m.group(1)}" + (m.group(2).upper() if m.group(1) == "7" and m.group(2) else "") for m in broken]
        return tuple(dict.fromkeys([*codes, *(c for c in extra if c != "b9")]))
    found: list[str] = []
    if m := _OCR_EX.match(head):
        found.append(f"b{m.group(1)}" + (m.group(2) if m.group(1) == "7" and m.group(2) else ""))
    else:
        for m in _OCR_PAREN.finditer(head):
            # A lone "(9)" is far more often OCR noise at a box's edge than exemption 9 (wells).
            if m.group(1) != "9":
                found.append(f"b{m.group(1)}" + (m.group(2).upper() if m.group(1) == "7" and m.group(2) else ""))
    return tuple(dict.fromkeys(found))


_OCR_EX = re.compile(r"^\W{0,2}[EeB=£€]x[.,]?\s*([1-9])\s*([A-F])?(?![0-9])")
# The closing parenthesis of the last stamp may be cut off at the end of the words read: "(b)(6".
_OCR_PAREN = re.compile(r"\(\s*([1-9])\s*(?:[)\]|}]|$)(?:\s*[(\[{]\s*([A-Fa-f])\s*[)\]|}])?")


def assign_codes(boxes: Sequence[Rect], words: Sequence[Word], page_width: float, source: str) -> list[DetectedBox]:
    """Tie each box to the codes printed inside it, right after it (on its line, or at the start of the
    next line when the box ends its line), or in the right margin of its line. A box with none of these
    is a line of a longer redaction: it takes the codes of the next box in reading order, else the
    previous one. On a tilted scan, lines are straightened first (see `straighten`)."""
    slope = skew_slope(words)
    level_words = [Word(w.text, straighten(w.rect, slope)) for w in words if w.text.strip()]
    level_boxes = [straighten(b, slope) for b in boxes]
    lines = reading_order(level_words)
    order = sorted(range(len(boxes)), key=lambda i: (round(level_boxes[i].top), level_boxes[i].x0))
    ordered = [level_boxes[i] for i in order]
    found: list[tuple[tuple[str, ...], str]] = []
    for box in ordered:
        inside = [w for line in lines for w in line if box.contains_point(*_center(w.rect), inset=-0.5)]
        label = " ".join(w.text for w in inside)
        tolerant = source == "image"
        codes = parse_label(label, tolerant) if inside else ()
        if not codes:
            label = _following_text(box, lines, ordered)
            codes = parse_label(label, tolerant) if label else ()
        if not codes:
            label = _margin_text(box, lines, page_width)
            codes = parse_label(label, tolerant) if label else ()
        found.append((codes, label if codes else ""))
    result: list[DetectedBox] = []
    for n, (index, (codes, label)) in enumerate(zip(order, found, strict=True)):
        if not codes:
            later = [c for c, _ in found[n + 1 :] if c]
            earlier = [c for c, _ in found[:n] if c]
            codes = later[0] if later else (earlier[-1] if earlier else ())
        result.append(DetectedBox(boxes[index], source, codes, label))
    return result


def skew_slope(words: Sequence[Word]) -> float:
    """The page's tilt as a slope (dy/dx), the median over neighbouring words on a line: 0 on a
    born-digital page, about 0.005-0.03 on a scan tilted 0.3-1.5 degrees."""
    slopes: list[float] = []
    for w in words:
        h = max(1.0, w.rect.height)
        right = [
            v
            for v in words
            if w.rect.x1 <= v.rect.x0 <= w.rect.x1 + 2 * h and abs(_center(v.rect)[1] - _center(w.rect)[1]) < 0.5 * h
        ]
        if right:
            v = min(right, key=lambda v: v.rect.x0)
            (x1, y1), (x2, y2) = _center(w.rect), _center(v.rect)
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
    cx, cy = _center(r)
    level_cy = cy - slope * cx
    height = max(r.height - abs(slope) * r.width, 0.5 * r.height)
    return Rect(r.x0, level_cy - height / 2, r.x1, level_cy + height / 2)


def _center(r: Rect) -> tuple[float, float]:
    return (r.x0 + r.x1) / 2, (r.top + r.bottom) / 2


def _following_text(box: Rect, lines: list[list[Word]], boxes: Sequence[Rect], max_words: int = 5) -> str:
    """The first words printed after the box: on its line, else at the start of the next line."""
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
            # Only a stamp that opens the next line belongs to a box that closes this one.
            if nxt[0].rect.top - box.bottom < 2 * box.height:
                return " ".join(w.text for w in nxt[:max_words])
        return ""
    return ""


def _margin_text(box: Rect, lines: list[list[Word]], page_width: float) -> str:
    for line in lines:
        if line[0].rect.vertical_overlap(box) >= 0.5:
            margin = [w for w in line if w.rect.x0 >= MARGIN_SHARE * page_width and w.rect.x0 >= box.x1]
            return " ".join(w.text for w in margin)
    return ""


def leaked_under(box: Rect, glyphs: Sequence[Glyph]) -> str | None:
    """Text-layer characters drawn under a box that a reader cannot see: a failed redaction. White
    characters are the stamp printed on the box, not hidden text; so is a leftover that is only a code."""
    under = [g for g in glyphs if not g.white and g.text.strip() and box.contains_point(*_center(g.rect), inset=0.5)]
    if not under:
        return None
    words = reading_order([Word(g.text, g.rect) for g in under])
    text = " ".join(_join_glyphs(line) for line in words).strip()
    if not text or _only_codes(text):
        return None
    return text


def words_from_glyphs(glyphs: Sequence[Glyph]) -> list[Word]:
    """Words built from characters: a new word at a gap, at a change of font size, or at a change of
    colour. White stamps drawn over hidden black text and small stamps set tight against the next word
    ("Ex. 4for") come apart this way, where pdfplumber's extract_words glues them."""
    words: list[Word] = []
    for white in (False, True):
        lines = reading_order([Word(g.text, g.rect) for g in glyphs if g.white is white])
        for line in lines:
            current: list[Word] = []
            for g in line:
                if current:
                    prev = current[-1]
                    size = max(1.0, min(prev.rect.height, g.rect.height))
                    gap = g.rect.x0 - prev.rect.x1
                    resized = abs(prev.rect.height - g.rect.height) > 0.1 * size
                    if not g.text.strip() or gap > 0.15 * size or gap < -0.5 * size or resized:
                        words.append(_word(current))
                        current = []
                if g.text.strip():
                    current.append(g)
            if current:
                words.append(_word(current))
    return words


def _word(glyphs: list[Word]) -> Word:
    return Word(
        "".join(g.text for g in glyphs),
        Rect(
            min(g.rect.x0 for g in glyphs),
            min(g.rect.top for g in glyphs),
            max(g.rect.x1 for g in glyphs),
            max(g.rect.bottom for g in glyphs),
        ),
    )


def _join_glyphs(line: list[Word]) -> str:
    out = ""
    prev: Word | None = None
    for g in line:
        if prev is not None and g.rect.x0 - prev.rect.x1 > 0.25 * max(1.0, g.rect.height):
            out += " "
        out += g.text
        prev = g
    return out


def _only_codes(text: str) -> bool:
    mentions = find_exemptions(text)
    covered = sum(m.end - m.start for m in mentions)
    return bool(mentions) and covered >= 0.8 * len(text.replace(" ", ""))


def with_leaks(boxes: Sequence[DetectedBox], glyphs: Sequence[Glyph]) -> list[DetectedBox]:
    return [replace(b, leaked_text=leaked_under(b.rect, glyphs)) for b in boxes]


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
    visible = [w for w in words if not any(b.contains_point(*_center(w.rect), inset=0.5) for b in boxes)]
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


def substantive_leaks(found: PageRedactions) -> PageRedactions:
    """The same redactions, keeping as leaked only text with a word of three letters or digits."""
    boxes = tuple(
        b if b.leaked_text is None or re.search(r"\w{3}", b.leaked_text) else replace(b, leaked_text=None)
        for b in found.boxes
    )
    return PageRedactions(boxes, found.redacted_share)


def hidden_spans(text_boxes: Sequence[tuple[int, Rect]], boxes: Sequence[Rect]) -> list[int]:
    """Indexes of characters (by their box in page points) whose centre lies under a redaction box."""
    return [i for i, r in text_boxes if any(b.contains_point(*_center(r), inset=0.5) for b in boxes)]
