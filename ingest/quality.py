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
The rule is a pure function of the text and the image coverage, which the caller measures only when the
text is thin, so born-digital pages cost nothing extra.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_CHARS = 20
MAX_BAD_GLYPH_SHARE = 0.10
MIN_WORDLIKE_SHARE = 0.55
MIN_TOKENS_FOR_WORD_TEST = 8
WORD_TEST_SAMPLE = 200
IMAGE_PAGE_SHARE = 0.5
THIN_LAYER_CHARS = 300

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
