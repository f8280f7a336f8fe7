"""Boxes in a page image (0 black .. 255 white), in PDF points: black boxes, and white-out drawn in
software over a scan."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from ingest.redactions.geometry import Rect, drop_contained, merge_touching


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
