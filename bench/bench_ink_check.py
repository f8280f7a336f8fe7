"""Cost of the ink-versus-text-layer rule (ingest/quality.py rule 5) per page (figures go to bench/RESULTS.md).

Every page of ../shared/corpus/ and of a generated sample production goes through the text-layer verdict;
the rule runs only where images cover most of the page and rules 1-4 kept the text layer. For those pages
it times the rule's parts: the 100-dpi render (which the redaction-box search of a kept scan reuses, so
that render is not an extra cost there), the glyph boxes, and the ink mask against them.

    .venv/bin/python bench/bench_ink_check.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.pdf import glyph_boxes, open_pdf, read_page, render_gray  # noqa: E402
from ingest.quality import INK_CHECK_IMAGE_SHARE, ink_coverage, is_thin, judge_ink, judge_text_layer  # noqa: E402
from ingest.redaction_io import IMAGE_BOX_DPI  # noqa: E402


def measure(paths: list[Path]) -> None:
    pages = checked = ocrd = 0
    render_s: list[float] = []
    glyph_s: list[float] = []
    mask_s: list[float] = []
    census_s = 0.0
    for path in paths:
        with open_pdf(path) as doc:
            for index in range(len(doc)):
                pages += 1
                started = time.perf_counter()
                read = read_page(doc, index)
                verdict = judge_text_layer(read.text, read.image_share if is_thin(read.text) else 0.0)
                census_s += time.perf_counter() - started
                if not verdict.usable or max(read.image_share, read.image_cover) < INK_CHECK_IMAGE_SHARE:
                    continue
                checked += 1
                t0 = time.perf_counter()
                gray = render_gray(doc, index, IMAGE_BOX_DPI)
                t1 = time.perf_counter()
                glyphs = glyph_boxes(doc, index)
                t2 = time.perf_counter()
                ocrd += not judge_ink(ink_coverage(gray, IMAGE_BOX_DPI, glyphs)).usable
                t3 = time.perf_counter()
                render_s.append(t1 - t0)
                glyph_s.append(t2 - t1)
                mask_s.append(t3 - t2)
    print(f"{pages} pages, {checked} checked by the ink rule, {ocrd} of them OCR'd by it")
    print(f"text-layer read + rules 1-4: {census_s / max(1, pages) * 1000:.1f} ms a page (every page)")
    if checked:
        for name, values in (("render 100 dpi", render_s), ("glyph boxes", glyph_s), ("ink mask vs glyphs", mask_s)):
            print(f"{name}: median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms")
        extra = [g + m for g, m in zip(glyph_s, mask_s, strict=True)]
        print(f"extra beyond the reused render: median {statistics.median(extra) * 1000:.1f} ms a checked page")


def main() -> None:
    from ingest.sample import write_sample_production

    corpus = sorted((ROOT.parent / "shared" / "corpus").rglob("*.pdf"))
    print("### corpus")
    measure(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        write_sample_production(Path(tmp))
        print("### generated sample production")
        measure(sorted(Path(tmp).glob("*.pdf")))
        # Neither holds a scan with a usable hidden OCR layer, the pages the rule costs something on:
        # the generated scans of tests/ingest/test_ink_rule.py (a full layer, and labels and Bates only).
        from tests.ingest.test_ink_rule import form_lines, write_scan

        made = []
        for n in range(10):
            body, marks = form_lines(52)
            made.append(Path(tmp) / f"scan{n}.pdf")
            write_scan(made[-1], body + marks, body + marks if n % 2 == 0 else marks)
        print("### generated scans with a hidden layer (5 full, 5 labels and Bates only)")
        measure(made)


if __name__ == "__main__":
    main()
