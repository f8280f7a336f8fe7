"""Which shapes on a page image are redaction boxes (issue 15): black boxes but not discs, logo pieces or
pen specks; grey boxes only with a stamp printed on them; empty frames only on a page whose margin prints
exemption codes. Images are drawn here, so every expected box is the one the test drew."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from ingest.redactions.geometry import Rect, Word
from ingest.redactions.grey import grey_boxes_from_image, labelled
from ingest.redactions.outlines import on_coded_page, outlined_boxes_from_image
from ingest.redactions.raster import boxes_from_image

DPI = 300
PT = DPI / 72


def page() -> NDArray[np.uint8]:
    return np.full((int(792 * PT), int(612 * PT)), 250, dtype=np.uint8)


def fill(img: NDArray[np.uint8], r: Rect, value: int) -> None:
    img[int(r.top * PT) : int(r.bottom * PT), int(r.x0 * PT) : int(r.x1 * PT)] = value


def near(found: list[Rect], want: Rect, tol: float = 2.0) -> bool:
    return any(
        abs(f.x0 - want.x0) <= tol
        and abs(f.x1 - want.x1) <= tol
        and abs(f.top - want.top) <= tol
        and abs(f.bottom - want.bottom) <= tol
        for f in found
    )


def test_black_box_is_found_and_a_disc_is_not() -> None:
    img = page()
    box = Rect(100, 100, 250, 114)
    fill(img, box, 10)
    yy, xx = np.mgrid[: img.shape[0], : img.shape[1]]
    cx, cy, radius = 300 * PT, 400 * PT, 80 * PT
    img[(xx - cx) ** 2 + (yy - cy) ** 2 <= radius**2] = 15
    found = boxes_from_image(img, DPI)
    assert near(found, box)
    assert not any(f.width > 100 and f.top > 300 for f in found)  # the pie chart


def test_small_dark_pieces_are_not_boxes() -> None:
    img = page()
    fill(img, Rect(100, 100, 112, 106), 10)  # a logo's piece or a bullet, 12 x 6 pt
    fill(img, Rect(100, 200, 130, 205.5), 10)  # a thin speck, 30 x 5.5 pt ...
    img[int(201 * PT) : int(204 * PT), int(100 * PT) : int(130 * PT) : 3] = 250  # ... that does not fill
    assert boxes_from_image(img, DPI) == []


def test_a_thin_box_that_fills_itself_stays() -> None:
    img = page()
    box = Rect(150, 300, 190, 306)  # a spreadsheet cell's box, 6 pt tall
    fill(img, box, 10)
    assert near(boxes_from_image(img, DPI), box)


def test_grey_box_counts_only_with_a_stamp_on_it() -> None:
    img = page()
    stamped, shaded = Rect(100, 100, 260, 116), Rect(100, 200, 260, 216)
    fill(img, stamped, 185)
    fill(img, shaded, 185)
    fill(img, Rect(110, 104, 140, 112), 20)  # the printed "(b) (6)"
    candidates = grey_boxes_from_image(img, DPI)
    assert near(candidates, stamped, 1.5) and near(candidates, shaded, 1.5)
    words = [Word("(b) (6)", Rect(110, 104, 140, 112), on_top=True), Word("Total", Rect(110, 204, 140, 212))]
    kept = labelled(candidates, words)
    assert near(kept, stamped, 1.5)
    assert not near(kept, shaded, 1.5)  # a shaded table cell with a word in it


def test_textured_grey_is_not_a_fill() -> None:
    img = page()
    rng = np.random.default_rng(0)
    region = (slice(int(100 * PT), int(180 * PT)), slice(int(100 * PT), int(300 * PT)))
    img[region] = rng.integers(125, 225, size=img[region].shape, dtype=np.uint8)  # a photo's grain
    assert grey_boxes_from_image(img, DPI) == []


def test_black_box_is_not_a_grey_candidate() -> None:
    img = page()
    fill(img, Rect(100, 100, 260, 116), 10)
    assert grey_boxes_from_image(img, DPI) == []


def frame(img: NDArray[np.uint8], r: Rect) -> None:
    line = 0.75
    fill(img, Rect(r.x0, r.top, r.x1, r.top + line), 20)
    fill(img, Rect(r.x0, r.bottom - line, r.x1, r.bottom), 20)
    fill(img, Rect(r.x0, r.top, r.x0 + line, r.bottom), 20)
    fill(img, Rect(r.x1 - line, r.top, r.x1, r.bottom), 20)


@pytest.mark.parametrize("with_codes", [True, False])
def test_empty_frames_count_on_a_page_with_margin_codes(with_codes: bool) -> None:
    img = page()
    redacted, check_box = Rect(100, 100, 250, 114), Rect(100, 200, 110, 210)
    frame(img, redacted)
    frame(img, check_box)
    candidates = outlined_boxes_from_image(img, DPI)
    assert near(candidates, redacted)
    assert not near(candidates, check_box)
    margin = [Word("b6", Rect(560, 100, 572, 108)), Word("b7C", Rect(560, 110, 576, 118))] if with_codes else []
    words = [Word("contacted", Rect(40, 102, 95, 112)), *margin]
    kept = on_coded_page(candidates, words, 612)
    assert near(kept, redacted) is with_codes


def test_a_frame_with_words_in_it_is_a_field() -> None:
    img = page()
    field = Rect(400, 100, 500, 114)
    frame(img, field)
    words = [Word("08/24/2017", Rect(410, 103, 470, 111)), Word("b6", Rect(560, 100, 572, 108))]
    assert on_coded_page(outlined_boxes_from_image(img, DPI), words, 612) == []
