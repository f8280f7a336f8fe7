"""Pure pieces of redaction analytics on hand-made inputs: geometry, stamps, page kinds, signatures,
re-release diffs and Vaughn people."""

from __future__ import annotations

import numpy as np

from catalog.analytics import band_buckets, decode_signature, encode_signature, similarity
from ingest.neardup import BANDS, THRESHOLD, signature
from ingest.redactions.geometry import Rect, Word, skew_slope
from ingest.redactions.leaks import leaked_under
from ingest.redactions.raster import boxes_from_image
from ingest.redactions.stamps import assign_codes
from ingest.redactions.vector import FilledShape, Glyph, boxes_from_shapes
from ingest.slipsheets import PageKind, page_kind
from nlp.correspondents import author_recipient
from nlp.release_diff import page_diff
from nlp.stamps import parse_label


def _glyphs(text: str, x: float, top: float, white: bool = False, size: float = 10.0) -> list[Glyph]:
    return [Glyph(ch, Rect(x + i * 6, top, x + i * 6 + 5.5, top + size), white) for i, ch in enumerate(text)]


def test_dark_boxes_count_heading_bars_and_bare_grey_do_not() -> None:
    box = FilledShape(Rect(100, 100, 200, 112), 0.0)
    bar = FilledShape(Rect(50, 50, 550, 66), 0.1)
    shading = FilledShape(Rect(50, 200, 550, 214), 0.6)
    stamped_grey = FilledShape(Rect(50, 300, 150, 314), 0.6)
    glyphs = _glyphs("Inspections", 60, 52, white=True) + _glyphs("(b)(6)", 60, 302)
    found = boxes_from_shapes([box, bar, shading, stamped_grey], 612, 792, glyphs)
    assert found == [Rect(100, 100, 200, 112), Rect(50, 300, 150, 314)]


def test_pieces_of_one_box_merge() -> None:
    parts = [FilledShape(Rect(100, 100, 150, 112), 0.0), FilledShape(Rect(150.5, 100, 200, 112), 0.0)]
    assert boxes_from_shapes(parts, 612, 792) == [Rect(100, 100, 200, 112)]


def test_solid_regions_of_an_image_with_a_white_stamp_inside() -> None:
    dpi = 144
    page = np.full((792 * 2, 612 * 2), 255, dtype=np.uint8)
    page[200:230, 200:500] = 0  # a box 150 x 15 pt at (100, 100)
    page[208:222, 210:216] = 255  # white stamp strokes on it
    page[208:222, 222:226] = 255
    page[400:402, 100:600] = 0  # a thin rule: not a box
    page[600:610, 100:110] = 0  # a bullet: too small
    found = boxes_from_image(page, dpi)
    assert len(found) == 1
    r = found[0]
    assert abs(r.x0 - 100) < 2 and abs(r.x1 - 250) < 2 and abs(r.top - 100) < 2 and abs(r.bottom - 115) < 2


def test_codes_after_inside_margin_and_continued() -> None:
    words = [
        Word("Name", Rect(72, 100, 100, 110)),
        Word("(b)(6)", Rect(205, 100, 235, 110)),  # after box 1
        Word("Ex.", Rect(300, 120, 314, 130), on_top=True),  # inside box 2 (white stamp)
        Word("5", Rect(316, 120, 320, 130), on_top=True),
        Word("b7E", Rect(560, 140, 575, 150)),  # margin of box 3's line
    ]
    boxes = [
        Rect(110, 100, 200, 110),
        Rect(290, 120, 400, 130),
        Rect(300, 140, 500, 150),
        Rect(400, 160, 540, 170),  # ends its line; next line opens with a stamp
        Rect(72, 174, 140, 184),  # a box with nothing: continues to the next box
        Rect(72, 188, 120, 198),
    ]
    words += [Word("(b)(4)", Rect(125, 188, 155, 198))]
    got = [b.codes for b in assign_codes(boxes, words, 612, "text_layer")]
    assert got == [("b6",), ("b5",), ("b7E",), ("b4",), ("b4",), ("b4",)]


def test_tilted_lines_are_straightened_before_codes_are_read() -> None:
    slope = 0.02
    words = [
        Word(f"w{i}", Rect(72 + 40 * i, 100 + slope * (72 + 40 * i), 102 + 40 * i, 110 + slope * (72 + 40 * i)))
        for i in range(10)
    ]
    assert abs(skew_slope(words) - slope) < 0.002
    box = Rect(480, 100 + slope * 480, 540, 110 + slope * 540)
    stamp = Word("(b)(6)", Rect(545, 100 + slope * 545, 575, 110 + slope * 575))
    assert assign_codes([box], [*words, stamp], 612, "image")[0].codes == ("b6",)


def test_ocr_tolerant_stamps_only_beside_boxes() -> None:
    assert parse_label("=x.5 with") == ()
    assert parse_label("=x.5 with", tolerant=True) == ("b5",)
    assert parse_label("a (4) units", tolerant=True) == ("b4",)
    assert parse_label("(9) . will", tolerant=True) == ()
    assert parse_label("b6") == ("b6",)
    assert parse_label("(by(6), (b)(7)(C) at", tolerant=True) == ("b7C", "b6")
    assert parse_label("(b)(5); (b)(6", tolerant=True) == ("b5", "b6")
    assert parse_label("(b)(4) ; (2) extend", tolerant=True) == ("b4",)


def test_leaked_text_is_the_black_text_under_a_box() -> None:
    box = Rect(100, 100, 200, 112)
    assert leaked_under(box, _glyphs("Jane Roe", 105, 101)) == "Jane Roe"
    assert leaked_under(box, _glyphs("(b)(6)", 105, 101, white=True)) is None
    assert leaked_under(box, _glyphs("Jane", 300, 101)) is None


def test_slip_sheets() -> None:
    assert (
        page_kind("WITHHELD IN FULL\nFour pages withheld in full pursuant to (b)(7)(E)\nCBP-002213")
        is PageKind.WITHHELD_IN_FULL
    )
    assert page_kind("Page(s) withheld pursuant to (b)(5)") is PageKind.WITHHELD_IN_FULL
    assert page_kind("Duplicate") is PageKind.DUPLICATE
    assert page_kind("Referred to another agency for direct response") is PageKind.REFERRED
    assert page_kind("Enclosure: test plan, version 2 (withheld in full, (b)(7)(E))\ncc: OGC") is PageKind.CONTENT
    assert page_kind("A letter " * 80 + "\nwithheld in full") is PageKind.CONTENT
    assert page_kind("", redacted_share=0.95) is PageKind.WITHHELD_IN_FULL


def test_signatures_survive_changed_redactions_and_round_trip() -> None:
    text = (
        "The pilot ran from March to June with the Rekognition service hosted in the agency cloud account. "
        "Results were shared with the program office and the contractor reviewed every match by hand before "
        "any lead was sent to a field office for follow up."
    )
    redacted = text.replace("Rekognition service", "(b)(7)(E)").replace("program office", "(b)(6)")
    a, b = signature(text), signature(redacted)
    assert a is not None and b is not None
    assert similarity(a, b) >= THRESHOLD
    assert similarity(a, signature("An unrelated page about body cameras " * 5) or ()) < 0.2
    assert decode_signature(encode_signature(a)) == a
    assert len(band_buckets(a, BANDS)) == BANDS
    assert signature("Duplicate") is None


def test_page_diff_shows_what_one_release_hides() -> None:
    first = "Contact (b)(6) at the field office about (b)(7)(E) tomorrow."
    second = "Contact Agent Ruiz (b)(6) at the field office about the trial accounts tomorrow."
    diff = page_diff(second, first, {"b6"}, {"b6", "b7E"})
    assert diff.only_here == ["Agent Ruiz", "the trial accounts"]
    assert diff.only_there == []
    assert diff.codes_only_there == ["b7E"] and diff.codes_only_here == []
    # Each release's own Bates number, punctuation and restamping are not changes of content.
    same = page_diff(
        "See it ? b7E ICE-2019-000303",
        "See it (b)(7)(E)? ICE-2020-001146",
        (),
        (),
        ("ICE-2019-000303", "ICE-2020-001146"),
    )
    assert same.only_here == [] and same.only_there == []


def test_author_and_recipient_where_the_record_says() -> None:
    assert author_recipient("From: Silva, Sathya\nTo: Lin Hang\nSubject: RE") == ("Silva, Sathya", "Lin Hang")
    assert author_recipient("Dear Ms. Whitcombe:\nThis is the final response.\nSincerely,\n\nJane Doe") == (
        "Jane Doe",
        "Ms. Whitcombe",
    )
    assert author_recipient("Just a table of numbers") == (None, None)
    # A withheld name says so; "Total" is not a "To:" line.
    assert author_recipient("Total Award Amount: (b)(4)\nFrom: Ex. 6, Ex. 7C") == ("[withheld: b6, b7C]", None)


def test_whiteout_on_a_grainy_scan_and_not_on_clean_paper() -> None:
    from ingest.redactions.raster import whiteout_from_image

    dpi = 144
    rng = np.random.default_rng(0)
    page = rng.integers(225, 250, size=(792 * 2, 612 * 2), dtype=np.uint8)  # grainy paper
    page[300:303, 200:900] = 20  # a line of text, roughly
    page[400:430, 300:600] = 255  # a white box 150 x 15 pt at (150, 200)
    found = whiteout_from_image(page, dpi)
    assert len(found) == 1
    r = found[0]
    assert abs(r.x0 - 150) < 2 and abs(r.x1 - 300) < 2 and abs(r.top - 200) < 2 and abs(r.bottom - 215) < 2
    clean = np.full((792 * 2, 612 * 2), 255, dtype=np.uint8)
    assert whiteout_from_image(clean, dpi) == []


def test_white_fill_over_earlier_text_is_whiteout_and_a_cell_background_is_not() -> None:
    from ingest.redactions.vector import DrawnObject, whiteouts_over_text

    line = DrawnObject("text", Rect(72, 100, 400, 112))
    cover = DrawnObject("fill", Rect(150, 99, 250, 113), 1.0)
    cell = DrawnObject("fill", Rect(72, 200, 300, 214), 1.0)
    cell_text = DrawnObject("text", Rect(75, 201, 200, 213))
    dark = DrawnObject("fill", Rect(300, 99, 350, 113), 0.0)
    assert whiteouts_over_text([line, cover, cell, cell_text, dark]) == [Rect(150, 99, 250, 113)]
