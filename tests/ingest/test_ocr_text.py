"""Rebuilding page text from tesseract's word table, and the render budget."""

from __future__ import annotations

from ingest.ocr import render_dpi, text_from_tesseract_data


def test_words_lines_and_blocks_are_rebuilt() -> None:
    data: dict[str, list[object]] = {
        "text": ["", "FOIA", "Request", "", "Sent:", "June", "3,", "2019", "Body"],
        "block_num": [1, 1, 1, 1, 1, 1, 1, 1, 2],
        "par_num": [1, 1, 1, 1, 1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 2, 2, 2, 2, 2, 1],
        "conf": [-1, 90, 80, -1, 70, 60, 50, 40, 100],
    }
    text, confidence = text_from_tesseract_data(data)
    assert text == "FOIA Request\nSent: June 3, 2019\n\nBody"
    assert confidence == round((90 + 80 + 70 + 60 + 50 + 40 + 100) / 7, 2)


def test_an_empty_page_has_no_text_and_no_confidence() -> None:
    text, confidence = text_from_tesseract_data(
        {"text": [], "block_num": [], "par_num": [], "line_num": [], "conf": []}
    )
    assert (text, confidence) == ("", None)


def test_render_dpi_drops_to_stay_inside_the_pixel_budget() -> None:
    assert render_dpi(612, 792, 300, 40_000_000) == 300  # letter page: 8.4 MP
    huge = render_dpi(72 * 200, 72 * 200, 300, 40_000_000)  # 200 x 200 inches
    assert huge < 300
    assert (200 * huge) ** 2 <= 40_000_000 or huge == 36
