"""Character error rate, the measure OCR tests bound (shared by tests and bench)."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein


def normalize(text: str) -> str:
    """Compare what a reader sees: whitespace runs collapsed, curly quotes and dashes made plain."""
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def edit_distance(a: str, b: str) -> int:
    # Levenshtein distance in C: a page of OCR text is a few thousand characters, and the quadratic
    # pure-Python loop took minutes over a benchmark's pages.
    return int(Levenshtein.distance(a, b))


def cer(reference: str, hypothesis: str) -> float:
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)
