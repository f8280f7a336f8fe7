"""Boxes in a page image (0 black .. 255 white), in PDF points: black boxes, and white-out drawn in
software over a scan."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from ingest.redactions.geometry import Rect, drop_contained, merge_touching

# A box hides at least a short word: its longer side is at least this long (points). Shorter dark bits
# are pieces of a logo, a bullet, a check box or a speck of a pen stroke.
MIN_BOX_LENGTH = 20.0
# A box thinner than this (points) has no room for a stamp, so it fills its bounding box; a pen stroke or
# a thick rule's speck of that height does not.
THIN_BOX = 8.0
THIN_BOX_FILL = 0.75


def boxes_from_image(
    gray: NDArray[np.uint8],
    dpi: float,
    min_width: float = 8.0,
    min_height: float = 5.0,
    min_length: float = MIN_BOX_LENGTH,
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
    # The shape is judged on the whole box, once its pieces are merged: a white stamp cuts the box it is
    # printed on into pieces that are no box shape on their own.
    rects = [r for r in rects if box_shaped(gray, dark, r, scale)]
    # Smaller dark squares are icons and bullets; a box hides at least a short word.
    return [
        r
        for r in rects
        if r.width >= min_width
        and r.height >= min_height
        and max(r.width, r.height) >= min_length
        and (r.height >= THIN_BOX or _fill(dark, r, scale) >= THIN_BOX_FILL)
        and r.area < 0.9 * width * height * scale**2
    ]


def _fill(dark: NDArray[np.float32], r: Rect, scale: float) -> float:
    region = dark[round(r.top / scale) : round(r.bottom / scale), round(r.x0 / scale) : round(r.x1 / scale)]
    return float(region.mean()) if region.size else 0.0


# A box is as tall in every column (even tilted on a scan: a sheared rectangle's columns all cross it
# alike), or as wide in every row (a stamp printed on it thins some columns, never whole rows); a disc, a
# pie chart, a seal, a signature or a logo's lettering is neither. The thinnest few per cent of columns
# (or of rows) must reach PROFILE_SHARE of the median one.
PROFILE_SHARE = 0.5
PROFILE_PERCENTILE = 3
# A box not much wider than tall also fills the corners of its bounding box (each corner patch,
# CORNER_SHARE of the height and width, at least CORNER_DARK dark): a tilt of 1.5 degrees cuts only thin
# wedges off them. Wider boxes are left to the profiles, because there the tilt's wedge spans a corner.
CORNER_SHARE = 0.25
CORNER_DARK = 0.5
CORNER_MAX_ASPECT = 4.0
# Toner and marker boxes are near black; a tinted fill that only just passes for dark (a blue pie chart,
# a coloured logo, a photo: about 100 of 255) breaks into specks along the threshold. The dark pixels of
# a box must have a median at most this dark.
BOX_MEDIAN_GRAY = 90


def box_shaped(gray: NDArray[np.uint8], dark: NDArray[np.float32], r: Rect, scale: float) -> bool:
    """Whether the dark region in `r` (points) is a filled box: even profiles, filled corners, not a tint."""
    top, bottom = round(r.top / scale), round(r.bottom / scale)
    left, right = round(r.x0 / scale), round(r.x1 / scale)
    if bottom - top < 2 or right - left < 2:
        return True
    region = dark[top:bottom, left:right]
    inked = gray[top:bottom, left:right][region > 0]
    if inked.size and float(np.median(inked)) > BOX_MEDIAN_GRAY:
        return False
    return _rectangular(region)


def _rectangular(region: NDArray[np.float32]) -> bool:
    inner = region[2:-2, 2:-2] if min(region.shape) > 8 else region
    even = False
    for profile in (inner.sum(axis=0), inner.sum(axis=1)):
        median = float(np.median(profile))
        if median > 0 and float(np.percentile(profile, PROFILE_PERCENTILE)) >= PROFILE_SHARE * median:
            even = True
    h, w = region.shape
    if not even or w >= CORNER_MAX_ASPECT * h:
        return even
    dh, dw = max(1, round(CORNER_SHARE * h)), max(1, round(CORNER_SHARE * w))
    corners = (region[:dh, :dw], region[:dh, -dw:], region[-dh:, :dw], region[-dh:, -dw:])
    return min(float(c.mean()) for c in corners) >= CORNER_DARK


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
