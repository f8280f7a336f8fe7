"""Grey labelled boxes on a page image (FDA's style: a mid-grey fill with "(b) (6)" printed on it).

Grey fills are also table shading, highlighted cells and photos, so a grey region is only a candidate:
it is a redaction when the words a reader sees on it are an exemption stamp (`labelled`). The image is
searched at about 100 dpi, which places a box to under a point and costs little.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from ingest.redactions.geometry import Rect, Word, center, overlaps
from nlp.stamps import parse_label

# The grey of a fill (0 black .. 255 white): FDA's fills are 0.67-0.75 luminance (170-190), and a scan
# shifts them by a few tens; lighter is paper, darker is toner that the dark-box search handles.
GREY_MIN = 120
GREY_MAX = 225
SEARCH_DPI = 100.0
# A fill is flat: its grey pixels vary little (a photo or a halftone varies much more).
MAX_GREY_SPREAD = 22.0
# Of the candidate's pixels, this share at least is grey (the rest is the stamp printed on it).
MIN_GREY_SHARE = 0.6
# A core pixel: this share of its 3 pt window at least is grey or darker.
CORE_SHARE = 0.9
# A drawn fill fills its bounding box.
MIN_FILL = 0.85
MIN_LENGTH = 20.0  # points, the longer side
MIN_SIDE = 6.0  # points, the shorter side
# At most this many words on a grey box: a stamp, not a shaded table cell with a code in its text.
MAX_STAMP_WORDS = 4


def grey_boxes_from_image(gray: NDArray[np.uint8], dpi: float) -> list[Rect]:
    """Flat grey rectangles of the page image, in points: candidates for `labelled`."""
    step = max(1, int(dpi // SEARCH_DPI))
    small = gray[::step, ::step]
    scale = 72.0 * step / dpi
    # The stamp's dark letters are part of the box: the core is grey-or-darker in nearly all of a 3 pt
    # window, which text strokes and anti-aliased glyph edges never fill.
    inked = small <= GREY_MAX
    window = max(3, round(3.0 / scale))
    core = window_counts(inked, window) >= math.ceil(CORE_SHARE * window * window)
    rows, cols = np.flatnonzero(core.any(axis=1)), np.flatnonzero(core.any(axis=0))
    if rows.size == 0:
        return []
    # Labelled within the rows and columns that hold a core pixel: the same regions in the same order
    # as over the whole page, for a fraction of the pixels on most pages.
    row0, col0 = int(rows[0]), int(cols[0])
    labels, _ = ndimage.label(core[row0 : int(rows[-1]) + 1, col0 : int(cols[-1]) + 1])
    height, width = small.shape
    pad = window // 2
    found: list[Rect] = []
    for slc in ndimage.find_objects(labels):
        if slc is None:
            continue
        top, bottom = max(0, row0 + slc[0].start - pad), min(height, row0 + slc[0].stop + pad)
        left, right = max(0, col0 + slc[1].start - pad), min(width, col0 + slc[1].stop + pad)
        r = Rect(left * scale, top * scale, right * scale, bottom * scale)
        if max(r.width, r.height) < MIN_LENGTH or min(r.width, r.height) < MIN_SIDE:
            continue
        if top <= 1 or left <= 1 or bottom >= height - 1 or right >= width - 1:
            continue  # a scanner's shadow along the edge
        region = small[top:bottom, left:right]
        region_inked = inked[top:bottom, left:right]
        region_tint = region_inked & (region >= GREY_MIN)
        if float(region_inked.mean()) < MIN_FILL:
            continue
        if float(region_tint.sum()) < MIN_GREY_SHARE * float(region_inked.sum()):
            continue  # mostly toner: a black box or bold print, not a grey fill
        greys = region[region_tint]
        if float(np.std(greys)) > MAX_GREY_SPREAD:
            continue
        found.append(r)
    return found


def window_counts(mask: NDArray[np.bool_], window: int) -> NDArray[np.uint8]:
    """How many pixels of the `window` x `window` square at each pixel are set (outside the image counts
    as unset), the square placed as scipy.ndimage's filters place it: `window // 2` before the pixel.
    Integer counts compared with a whole-number threshold: the same core as a float mean filter, in a
    few additions of shifted bytes instead of a filter over floats."""
    before = window // 2
    counts = mask.astype(np.uint8)
    for axis in (0, 1):
        n = counts.shape[axis]
        widths = [(0, 0), (0, 0)]
        widths[axis] = (before, window - 1 - before)
        padded = np.pad(counts, widths)
        total = np.zeros_like(counts)
        for k in range(window):
            total += padded[k : k + n] if axis == 0 else padded[:, k : k + n]
        counts = total
    return counts


def labelled(candidates: Sequence[Rect], words: Sequence[Word], taken: Sequence[Rect] = ()) -> list[Rect]:
    """The grey candidates a stamp is printed on (the words centred on them read as exemption codes,
    OCR's usual misreadings included), leaving out those that overlap a box found already."""
    kept: list[Rect] = []
    for r in candidates:
        if any(overlaps(r, t) for t in taken):
            continue
        on = [w.text for w in words if r.contains_point(*center(w.rect), inset=-0.5)]
        if on and len(on) <= MAX_STAMP_WORDS and parse_label(" ".join(on), tolerant=True):
            kept.append(r)
    return kept
