"""Outlined boxes on a page image (the FBI's style: an empty white box with a thin black frame where the
text was, the exemption codes printed in the right margin of the lines).

An empty frame is also a form's field, a table cell or a check box, so a frame is only a candidate: it is
a redaction on a page whose right margin carries exemption codes (`on_coded_page`). The image is
searched at about 100 dpi.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from ingest.redactions.geometry import Rect, Word, overlaps
from nlp.stamps import parse_label

SEARCH_DPI = 100.0
PAPER = 170  # at least this light (0 black .. 255 white) is the inside of a frame
INK = 140  # at most this dark is the frame's line
# A frame holds one line of text or a few: 6-60 pt tall, at least 20 pt and 1.5 heights wide (a check box
# is square, a text field of a form usually taller or holds printed words).
MIN_HEIGHT, MAX_HEIGHT = 6.0, 60.0
MIN_WIDTH = 20.0
MIN_ASPECT = 1.5
# The inside is empty paper that fills its bounding box, and a dark line runs round it (checked one to
# three pixels outside the inside's edge, on this share of the perimeter at least).
MIN_INSIDE_FILL = 0.95
MIN_FRAME_SHARE = 0.9
# Words from this share of the page width on are the margin where the FBI prints a line's codes.
MARGIN_SHARE = 0.8


def outlined_boxes_from_image(gray: NDArray[np.uint8], dpi: float) -> list[Rect]:
    """Empty framed rectangles of the page image, in points: candidates for `on_coded_page`."""
    step = max(1, int(dpi // SEARCH_DPI))
    small = gray[::step, ::step]
    scale = 72.0 * step / dpi
    paper = small >= PAPER
    ink = small <= INK
    # The paper around the text is one region touching the edge of the page; the inside of a closed frame
    # (or of a letter's loop) is a region of its own.
    labels, count = ndimage.label(paper)
    if count == 0:
        return []
    height, width = small.shape
    # Every region's extent at once (most are a letter's loop or the page's paper); only those of a
    # frame's size, away from the edge, are looked at one by one.
    slices = ndimage.find_objects(labels)
    extents = np.array([(s[0].start, s[0].stop, s[1].start, s[1].stop) for s in slices], dtype=np.int64)
    tops, bottoms, lefts, rights = extents.T
    # In the same float operations as Rect.height and Rect.width, so a frame on a limit is judged alike.
    heights, widths = bottoms * scale - tops * scale, rights * scale - lefts * scale
    sized = (
        (tops >= 3)
        & (lefts >= 3)
        & (bottoms <= height - 3)
        & (rights <= width - 3)
        & (heights >= MIN_HEIGHT)
        & (heights <= MAX_HEIGHT)
        & (widths >= MIN_WIDTH)
        & (widths >= MIN_ASPECT * heights)
    )
    found: list[Rect] = []
    for i in np.flatnonzero(sized):
        slc = slices[i]
        top, bottom, left, right = slc[0].start, slc[0].stop, slc[1].start, slc[1].stop
        if float((labels[slc] == i + 1).mean()) < MIN_INSIDE_FILL:
            continue
        if _framed(ink, top, bottom, left, right):
            found.append(Rect((left - 1) * scale, (top - 1) * scale, (right + 1) * scale, (bottom + 1) * scale))
    return found


def _framed(ink: NDArray[np.bool_], top: int, bottom: int, left: int, right: int) -> bool:
    """Whether a dark line runs round the region: each side's one-to-three-pixel band outside it is
    dark along nearly all its length."""
    sides = (
        ink[top - 3 : top, left:right].any(axis=0),
        ink[bottom : bottom + 3, left:right].any(axis=0),
        ink[top:bottom, left - 3 : left].any(axis=1),
        ink[top:bottom, right : right + 3].any(axis=1),
    )
    return all(side.size and float(side.mean()) >= MIN_FRAME_SHARE for side in sides)


def on_coded_page(
    candidates: Sequence[Rect], words: Sequence[Word], page_width: float, taken: Sequence[Rect] = ()
) -> list[Rect]:
    """The frames of a page whose right margin prints exemption codes, without words inside them and
    apart from boxes found already; none on any other page."""
    if not coded_margin(words, page_width):
        return []
    return [
        r
        for r in candidates
        if not any(overlaps(r, t) for t in taken)
        and not any(r.contains_point((w.rect.x0 + w.rect.x1) / 2, (w.rect.top + w.rect.bottom) / 2) for w in words)
    ]


def coded_margin(words: Sequence[Word], page_width: float) -> bool:
    """Whether the page's right margin prints exemption codes: without them no frame of the page is kept,
    so the frame search need not run at all."""
    margin = " ".join(w.text for w in words if w.rect.x0 >= MARGIN_SHARE * page_width)
    return bool(margin) and bool(parse_label(margin, tolerant=True))
