"""The rule that decides when a page is OCR'd (README: "OCR where needed")."""

from __future__ import annotations

from ingest.quality import judge_text_layer


def test_a_real_paragraph_is_usable() -> None:
    text = "On June 3, 2019 the Bureau met with Amazon about the Rekognition pilot and its accuracy figures."
    assert judge_text_layer(text).usable


def test_no_text_layer_is_ocrd() -> None:
    assert not judge_text_layer("").usable
    assert not judge_text_layer("  \n 12 \n").usable


def test_unmapped_glyphs_are_ocrd() -> None:
    text = "(cid:12)(cid:15)(cid:7) " * 20 + "Memo"
    verdict = judge_text_layer(text)
    assert not verdict.usable and "glyph" in verdict.reason


def test_gibberish_hidden_ocr_layer_is_ocrd() -> None:
    text = "Jkwq zxcv' ~~ |||| qwrtp ;;; xkcd bnm ,,,, vvvv Trst hjkl qwrt zzzz ppp"
    verdict = judge_text_layer(text)
    assert not verdict.usable and "gibberish" in verdict.reason


def test_a_scan_carrying_only_redaction_labels_is_ocrd() -> None:
    stamps = "(b) (6)   (b) (6)\n\n(b) (6)  (b) (6)\n (b) (6)\n(b) (6) (b) (6)\n(b) (6)"
    assert judge_text_layer(stamps, image_share=0.0).usable  # born-digital page: the labels are its text
    verdict = judge_text_layer(stamps, image_share=0.98)
    assert not verdict.usable and "scanned" in verdict.reason


def test_a_scan_with_a_full_ocr_layer_keeps_it() -> None:
    text = "The Department received your request under the Freedom of Information Act. " * 6
    assert judge_text_layer(text, image_share=0.99).usable
