"""When is a page's text layer too poor to use, so that the page is OCR'd instead?

Rule (documented in README): a page is OCR'd when its text layer
  1. has fewer than MIN_CHARS visible characters (no layer, or a stamp only), or
  2. is mostly unmapped glyphs ("(cid:12)", U+FFFD, private-use characters), or
  3. reads as gibberish: among its word-like tokens, fewer than MIN_WORDLIKE_SHARE look like words of a
     language (letters with at least one vowel, or numbers), which is what a bad hidden OCR layer on a
     scanned page looks like, or
  4. sits on a page that is mostly one scanned image (IMAGE_PAGE_SHARE of its area) while holding fewer
     than THIN_LAYER_CHARS characters: a scan whose only text is what a redaction tool stamped on it
     ("(b) (6)" labels) or a few words of a failed OCR pass.
  5. on a page whose images cover most of it (INK_CHECK_IMAGE_SHARE), leaves most of the page's ink
     uncovered: the rendered page's text-like ink (cells of a downsampled ink mask that are partly dark,
     not solid boxes or photo areas) lies mostly (UNCOVERED_INK_SHARE) farther than GLYPH_REACH from
     every text-layer glyph. That is a scanned form whose hidden layer holds only its exemption labels
     and a Bates stamp, however many characters those add up to: content only OCR can read.
Rules 1-4 are a pure function of the text and the image coverage, which the caller measures only when
the text is thin, so born-digital pages cost nothing extra. Rule 5 needs a render, so it runs only on
pages mostly covered by images, on a low-resolution render that the redaction-box search reuses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

MIN_CHARS = 20
MAX_BAD_GLYPH_SHARE = 0.10
MIN_WORDLIKE_SHARE = 0.55
MIN_TOKENS_FOR_WORD_TEST = 8
WORD_TEST_SAMPLE = 200
IMAGE_PAGE_SHARE = 0.5
THIN_LAYER_CHARS = 300
INK_CHECK_IMAGE_SHARE = 0.5
INK_CELL_POINTS = 3.0  # one cell of the ink mask: about a stroke's neighbourhood
GLYPH_REACH = 6.0  # points: ink this close to a glyph box is the glyph (scanner OCR layers sit loosely)
UNCOVERED_INK_SHARE = 0.5
MIN_UNCOVERED_POINTS2 = 2500.0  # about half a line of body text; less is specks, a signature, a logo
_DARK = 140  # gray level below which a pixel is ink
_INK_MIN, _INK_MAX = 0.1, 0.7  # a cell this dark is text-like ink; darker is a box or a photo

_TOKEN = re.compile(r"\S+")
_WORDLIKE = re.compile(
    r"^[\"'(\[]*(?:[A-Za-z]*[AEIOUYaeiouy][A-Za-z]*(?:['’-][A-Za-z]+)*|[A-Z]{2,6}|\d[\d.,:/$%-]*|[A-Za-z]\.?)"
    r"[\"')\].,;:!?]*$"
)
_MAYBE_BAD = re.compile(r"\(cid:|\ufffd|[\ue000-\uf8ff]")
_BAD_GLYPH = re.compile(r"\(cid:\d+\)|\ufffd|[\ue000-\uf8ff]")


@dataclass(frozen=True)
class TextVerdict:
    usable: bool
    reason: str


def is_thin(text: str) -> bool:
    return _visible(text) < THIN_LAYER_CHARS


def _visible(text: str) -> int:
    # str.split() runs in C; a per-character generator costs ~10 ms on a dense page.
    return sum(map(len, text.split()))


def judge_text_layer(text: str, image_share: float = 0.0) -> TextVerdict:
    """image_share: the largest image's share of the page area (0 when not measured)."""
    visible = _visible(text)
    if visible < MIN_CHARS:
        return TextVerdict(False, f"text layer has {visible} characters")
    bad = sum(len(m.group()) for m in _BAD_GLYPH.finditer(text)) if _MAYBE_BAD.search(text) else 0
    if bad / visible > MAX_BAD_GLYPH_SHARE:
        return TextVerdict(False, "text layer is mostly unmapped glyphs")
    # A sample of the tokens tells gibberish from prose as well as all of them do, at a fraction of the cost.
    tokens = text.split()[:WORD_TEST_SAMPLE]
    if len(tokens) >= MIN_TOKENS_FOR_WORD_TEST:
        share = sum(1 for tok in tokens if _WORDLIKE.match(tok)) / len(tokens)
        if share < MIN_WORDLIKE_SHARE:
            return TextVerdict(False, f"text layer reads as gibberish ({share:.0%} word-like tokens)")
    if image_share >= IMAGE_PAGE_SHARE and visible < THIN_LAYER_CHARS:
        return TextVerdict(False, f"scanned page with a thin text layer ({visible} characters)")
    return TextVerdict(True, "text layer")


@dataclass(frozen=True)
class InkCoverage:
    ink_points2: float  # area of text-like ink cells, points squared
    uncovered_points2: float  # of which farther than GLYPH_REACH from every glyph

    @property
    def uncovered_share(self) -> float:
        return self.uncovered_points2 / self.ink_points2 if self.ink_points2 > 0 else 0.0


def ink_coverage(
    gray: NDArray[np.uint8], dpi: float, glyphs: Sequence[tuple[float, float, float, float]]
) -> InkCoverage:
    """How much of the page's text-like ink the text layer's glyph boxes (x0, top, x1, bottom in
    points) account for. The image is cut into cells of INK_CELL_POINTS; a cell is text-like ink when
    part of it is dark (a stroke), not when it is nearly all dark (a redaction box, a photo), and cells
    next to solid ones are left out too (a box's edge is not text)."""
    cell = max(1, round(INK_CELL_POINTS * dpi / 72))
    rows, cols = gray.shape[0] // cell, gray.shape[1] // cell
    if rows < 3 or cols < 3:
        return InkCoverage(0.0, 0.0)
    dark = (gray[: rows * cell, : cols * cell] < _DARK).reshape(rows, cell, cols, cell).mean(axis=(1, 3))
    solid = ndimage.binary_dilation(dark > _INK_MAX, iterations=1)
    ink = (dark >= _INK_MIN) & ~solid
    # Photocopier edges and punch holes along the border are not content.
    ink[:2, :] = ink[-2:, :] = ink[:, :2] = ink[:, -2:] = False
    near = np.zeros_like(ink)
    per_cell = cell * 72 / dpi
    for x0, top, x1, bottom in glyphs:
        c0 = max(0, int((x0 - GLYPH_REACH) / per_cell))
        c1 = min(cols, int((x1 + GLYPH_REACH) / per_cell) + 1)
        r0 = max(0, int((top - GLYPH_REACH) / per_cell))
        r1 = min(rows, int((bottom + GLYPH_REACH) / per_cell) + 1)
        near[r0:r1, c0:c1] = True
    area = per_cell * per_cell
    return InkCoverage(float(ink.sum()) * area, float((ink & ~near).sum()) * area)


def judge_ink(coverage: InkCoverage) -> TextVerdict:
    """Rule 5 on a page already found usable by rules 1-4."""
    if coverage.uncovered_points2 >= MIN_UNCOVERED_POINTS2 and coverage.uncovered_share >= UNCOVERED_INK_SHARE:
        return TextVerdict(
            False, f"text layer misses most of the page's ink ({coverage.uncovered_share:.0%} far from any glyph)"
        )
    return TextVerdict(True, "text layer")
