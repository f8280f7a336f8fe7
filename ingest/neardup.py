"""Near-duplicate pages across productions: MinHash over shingled page text, banded for LSH.

A page released twice with different redactions differs only where one release hides what the other
shows, and in its stamps; exemption codes and Bates-like tokens are dropped before shingling so a
re-release with new stamps still hashes alike. Bands are stored in the catalog (band, bucket) so that
candidates are found with an indexed join, and verified on the stored signatures.

Measured in bench/eval_redactions.py (bench/RESULTS.md, "FOIA analytics").
"""

from __future__ import annotations

import re

from datasketch import MinHash

from catalog.analytics import BANDS, similarity
from nlp.exemptions import find_exemptions

__all__ = ["BANDS", "NUM_PERM", "THRESHOLD", "shingles", "signature", "similarity", "tokens"]

NUM_PERM = 128  # with BANDS = 32 bands of 4 rows, pairs at Jaccard 0.5 become candidates with p = 0.87
SHINGLE = 3  # word 3-grams
# A pair is a near duplicate at this estimated Jaccard similarity of shingle sets or above (measured:
# re-releases with a third of their boxes changed stay above 0.6; distinct pages of one template sit
# below 0.35).
THRESHOLD = 0.5
# Pages with fewer shingles (slip sheets, signature blocks) say too little to call them duplicates.
MIN_SHINGLES = 12
SEED = 1

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")


def tokens(text: str) -> list[str]:
    """Lower-case words without exemption stamps, which differ between releases of the same page."""
    spans = [(m.start, m.end) for m in find_exemptions(text)]
    kept = []
    last = 0
    for start, end in spans:
        kept.append(text[last:start])
        last = end
    kept.append(text[last:])
    return _TOKEN.findall(" ".join(kept).lower())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = tokens(text)
    if len(words) < k:
        return set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(text: str) -> tuple[int, ...] | None:
    """The page's MinHash signature (NUM_PERM 32-bit values), or None when the page is too short."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return tuple(int(v) for v in mh.hashvalues)
