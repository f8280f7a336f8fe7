"""The sample production generator: its PDFs say what truth.json says they say."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytesseract
import pytest

from ingest.sample import SampleManifest, load_truth, write_sample_production
from ingest.sample.content import RECORDS
from ingest.sample.layout import lay_out_page
from ingest.sample.render import MAX_ROTATION, scan
from tests.textmetrics import cer

# Measured 2026-11-26 on the project machine (tesseract 5.3.0, Debian eng.traineddata, OMP_THREAD_LIMIT=1,
# pypdfium2 render at 300 dpi of the 200-dpi scans, seed 0): CER 0.058 on the voice/gait memo page 1 and
# 0.020 on the ShotSpotter letter page 1, 0.039 for the two together; 0.052 over all 11 scanned pages,
# worst page 0.086. Nearly all errors are stray letters read off redaction box edges and stamps. The bound
# leaves room for other tesseract builds.
MAX_OCR_CER = 0.08
OCR_PAGES = (
    ("FBI_BCOE_Voice_Gait_Pilot_Memo_2019-08-22.pdf", 1),
    ("CPD_ShotSpotter_Coverage_Letter_2021-07-09.pdf", 1),
)


def _letters(text: str) -> str:
    # Spacing around a box or stamp depends on glyph gaps; the characters must be the same.
    return "".join(text.split())


def _text_layer(path: Path, index: int) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[index]
        return str(page.get_textpage().get_text_range())
    finally:
        pdf.close()


def test_truth_json_round_trips(sample_dir: Path, manifest: SampleManifest) -> None:
    assert load_truth(sample_dir / "truth.json") == manifest
    assert load_truth(sample_dir) == manifest


def test_a_dozen_records_of_every_kind(manifest: SampleManifest) -> None:
    assert 10 <= len(manifest.files) <= 14
    assert 30 <= manifest.page_count <= 40
    kinds = Counter(f.kind for f in manifest.files)
    assert kinds["born-digital"] >= 6 and kinds["scanned"] >= 3 and kinds["mixed"] >= 1
    scanned_pages = sum(p.kind == "scanned" for f in manifest.files for p in f.pages)
    assert 0.25 <= scanned_pages / manifest.page_count <= 0.45
    for f in manifest.files:
        assert f.page_count == len(f.pages) == len(f.page_kinds)
        assert f.document_date_line in f.pages[0].text.splitlines()
        assert f.document_date in f.pages[0].dates
    codes = {c for f in manifest.files for c in f.exemptions}
    assert {"b4", "b5", "b6", "b7C", "b7E", "IL 7(1)(c)"} <= codes
    entities = {e for f in manifest.files for e in f.entity_ids}
    assert {"vendor:clearview-ai", "product:amazon-rekognition", "technology:cell-site-simulator"} <= entities
    assert sum(p.failed_redaction for f in manifest.files for p in f.pages) == 1


def test_bates_numbers_count_up_within_each_series(manifest: SampleManifest) -> None:
    series: dict[str, list[int]] = {}
    for f in manifest.files:
        assert (f.bates_begin, f.bates_end) == (f.pages[0].bates, f.pages[-1].bates)
        for p in f.pages:
            assert p.text.splitlines()[-1] == p.bates  # stamped in the footer, the last line drawn
            m = re.fullmatch(r"(.+-)(\d+)", p.bates)
            assert m
            series.setdefault(m.group(1), []).append(int(m.group(2)))
    assert {"FBI-", "DOJ-OIP-2019-"} <= set(series)
    for numbers in series.values():
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_a_record_is_released_twice_with_different_redactions(manifest: SampleManifest) -> None:
    groups: dict[str, list[str]] = {}
    for f in manifest.files:
        if f.release_group:
            groups.setdefault(f.release_group, []).append(f.file_name)
    first, second = (manifest.file(name) for name in next(iter(groups.values())))
    assert (first.release, second.release) == (1, 2)
    assert first.sha256 != second.sha256
    assert "b5" in first.exemptions and "b5" not in second.exemptions
    boxes = [sum(len(p.redactions) for p in f.pages) for f in (first, second)]
    assert boxes[0] > boxes[1]
    # The words the second release shows are a superset of the first's, apart from the stamps.
    stamp = re.compile(r"\(b\)\(\d\)(\([A-F]\))?|\bb\d[A-F]?\b")
    words = [set(stamp.sub(" ", "\n".join(p.text for p in f.pages)).split()) for f in (first, second)]
    assert len(words[0] - words[1]) <= 3 < len(words[1] - words[0])


def test_born_digital_text_layer_holds_the_truth_and_not_the_redacted_words(
    sample_dir: Path, manifest: SampleManifest
) -> None:
    for f in manifest.files:
        for p in f.pages:
            if p.kind != "born-digital":
                continue
            layer = _text_layer(sample_dir / f.file_name, p.number - 1)
            assert _letters(layer) == _letters(p.text_layer or ""), (f.file_name, p.number)
            for box in p.redactions:
                if box.leaked_text is not None:
                    assert box.leaked_text in layer
            if not p.failed_redaction:
                assert p.text_layer == p.text


def test_the_failed_redaction_leaks_words_that_the_page_image_hides(manifest: SampleManifest) -> None:
    (page,) = [p for f in manifest.files for p in f.pages if p.failed_redaction]
    leaked = [b.leaked_text for b in page.redactions if b.leaked_text]
    assert leaked and all(w in (page.text_layer or "") and w not in page.text for w in leaked)


def test_scanned_pages_are_one_image_without_text(sample_dir: Path, manifest: SampleManifest) -> None:
    for f in manifest.files:
        pdf = pdfium.PdfDocument(sample_dir / f.file_name)
        try:
            for p in f.pages:
                if p.kind != "scanned":
                    continue
                page = pdf[p.number - 1]
                assert page.get_textpage().count_chars() == 0
                objects = list(page.get_objects())
                assert len(objects) == 1 and objects[0].type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
                assert 0.3 <= abs(p.rotation_degrees) <= MAX_ROTATION and p.dpi == 200
        finally:
            pdf.close()


def test_redaction_boxes_are_where_truth_says(sample_dir: Path, manifest: SampleManifest) -> None:
    def close(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return all(abs(x - y) < 0.5 for x, y in zip(a, b, strict=True))

    for f in manifest.files:
        if "born-digital" not in f.page_kinds:
            continue
        with pdfplumber.open(sample_dir / f.file_name) as pdf:
            for p in f.pages:
                if p.kind != "born-digital":
                    continue
                rects = [r for r in pdf.pages[p.number - 1].rects if r["fill"]]
                found = sorted((r["x0"], r["top"], r["x1"], r["bottom"]) for r in rects)
                want = sorted((b.x0, b.y0, b.x1, b.y1) for b in p.redactions)
                assert len(found) == len(want), (f.file_name, p.number)
                assert all(close(a, b) for a, b in zip(found, want, strict=True)), (f.file_name, p.number)


def test_generation_is_deterministic(tmp_path: Path, sample_dir: Path, manifest: SampleManifest) -> None:
    again = write_sample_production(tmp_path, seed=0)
    assert again == manifest
    for f in manifest.files:
        assert hashlib.sha256((tmp_path / f.file_name).read_bytes()).hexdigest() == f.sha256
        assert (tmp_path / f.file_name).read_bytes() == (sample_dir / f.file_name).read_bytes()
    assert (tmp_path / "truth.json").read_bytes() == (sample_dir / "truth.json").read_bytes()


def test_the_seed_changes_the_scan_noise_only() -> None:
    record = next(r for r in RECORDS if r.pages[0].kind == "scanned")
    ops = lay_out_page(record, record.pages[0], 1, len(record.pages), "X-000001").ops
    assert scan(ops, 7) == scan(ops, 7)
    assert scan(ops, 7).jpeg != scan(ops, 8).jpeg


def test_ocr_of_scanned_pages_is_close_to_the_truth(
    sample_dir: Path, manifest: SampleManifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Debian's tesseract starts one OpenMP thread per core and runs far slower when they compete.
    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")
    truth = ocr = ""
    for name, number in OCR_PAGES:
        pdf = pdfium.PdfDocument(sample_dir / name)
        try:
            image = pdf[number - 1].render(scale=300 / 72, grayscale=True).to_pil()
        finally:
            pdf.close()
        truth += manifest.file(name).pages[number - 1].text + "\n"
        ocr += pytesseract.image_to_string(image) + "\n"
    rate = cer(truth, ocr)
    print(f"OCR CER on {len(OCR_PAGES)} scanned sample pages: {rate:.4f}")
    assert rate < MAX_OCR_CER
    for word in ("gait", "ShotSpotter", "FBI-000120", "CPD-0001842"):
        assert word in ocr
