"""Boxes drawn in a PDF's content (pages with a text layer): filled rectangles by their fill, white-out
by drawing order, and words built from the text layer's characters with their colour."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.redactions.geometry import Rect, Word, center, intersection, merge_touching, overlaps, reading_order
from nlp.stamps import only_codes

# A box must be at least this big (points): smaller filled shapes are bullets, rules and table borders.
MIN_BOX_WIDTH = 4.0
MIN_BOX_HEIGHT = 4.0
# Fill luminance (0 black .. 1 white) below which a filled rectangle reads as a redaction: black and the
# dark grey some agencies use, not the light table shading around 0.8.
DARK_LUMINANCE = 0.35
# Grey fills up to this luminance may be redactions when a stamp is printed on them.
GREY_LUMINANCE = 0.85
# A white fill counts as white-out when it covers at least this share of its area with text drawn earlier.
WHITEOUT_COVER = 0.3


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
class DrawnObject:
    """A text run or a filled shape, in the order the page draws them."""

    kind: str  # "text" | "fill"
    rect: Rect
    luminance: float | None = None  # fills only


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
    kept += [r for r in grey if _stamped(r, glyphs) and not any(overlaps(r, d) for d in kept)]
    return sorted(kept, key=lambda r: (r.top, r.x0))


def _printed_on(r: Rect, glyphs: Sequence[Glyph], white: bool | None = None) -> str:
    on = [g for g in glyphs if (white is None or g.white is white) and r.contains_point(*center(g.rect))]
    return "".join(g.text for g in sorted(on, key=lambda g: (round(g.rect.top), g.rect.x0))).strip()


def _heading_bar(r: Rect, glyphs: Sequence[Glyph]) -> bool:
    text = _printed_on(r, glyphs, white=True)
    return len(text.replace(" ", "")) >= 3 and not only_codes(text)


def _stamped(r: Rect, glyphs: Sequence[Glyph]) -> bool:
    text = _printed_on(r, glyphs)
    return bool(text) and only_codes(text)


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
        before = sum(intersection(obj.rect, t.rect) for t in ordered[:k] if t.kind == "text")
        after = any(intersection(obj.rect, t.rect) > 0 for t in ordered[k + 1 :] if t.kind == "text")
        if before >= WHITEOUT_COVER * obj.rect.area and not after:
            found.append(obj.rect)
    return found


def words_from_glyphs(glyphs: Sequence[Glyph]) -> list[Word]:
    """Words built from characters: a new word at a gap, at a change of font size, or at a change of
    colour. White stamps drawn over hidden black text and small stamps set tight against the next word
    ("Ex. 4for") come apart this way, where pdfplumber's extract_words glues them. A white word is
    `on_top`: printed on a box, never a word the box hides."""
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
                        words.append(_word(current, white))
                        current = []
                if g.text.strip():
                    current.append(g)
            if current:
                words.append(_word(current, white))
    return words


def _word(glyphs: list[Word], on_top: bool) -> Word:
    return Word(
        "".join(g.text for g in glyphs),
        Rect(
            min(g.rect.x0 for g in glyphs),
            min(g.rect.top for g in glyphs),
            max(g.rect.x1 for g in glyphs),
            max(g.rect.bottom for g in glyphs),
        ),
        on_top,
    )
