"""Time of the redaction-box search on a scanned page, this tree beside a baseline tree, in one run.

    .venv/bin/python bench/bench_redaction_boxes.py --baseline DIR [--reps 3]

DIR is a checkout of the commit to compare with (e.g. `git worktree add --detach DIR main`). Every
page of the corpus's scans (../shared/corpus, manifest kind `scanned-no-text`) is rendered at the OCR
resolution once per child process (not timed); then the box search that runs beside tesseract in
ingest/ocr.py is timed per page: the dark-box search (`find_boxes`) and, where the tree has them, the
grey-box and outlined-box searches. Tesseract itself (the page and the stamp crops) is left out on both
sides. Children alternate between the trees, REPS times; the median per page is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
CORPUS = HERE.parent / "shared" / "corpus"
DPI = 300


def scanned_pages() -> list[tuple[str, int]]:
    rows = [line.split("\t") for line in (CORPUS / "manifest.tsv").read_text().splitlines()[1:]]
    return [(r[1], i) for r in rows if r[12] == "scanned-no-text" for i in range(int(r[8]))]


def child(tree: Path) -> None:
    sys.path.insert(0, str(tree))
    import numpy as np
    import pypdfium2 as pdfium

    import ingest.ocr as ocr

    grey = getattr(ocr, "grey_boxes_from_image", None)
    outlined = getattr(ocr, "outlined_boxes_from_image", None)
    times: list[float] = []
    for file, index in scanned_pages():
        doc = pdfium.PdfDocument(str(CORPUS / file))
        image = doc[index].render(scale=DPI / 72, grayscale=True).to_pil()
        doc.close()
        start = time.perf_counter()
        ocr.find_boxes(image, DPI)
        if grey is not None and outlined is not None:
            pixels = np.asarray(image, dtype=np.uint8)
            grey(pixels, DPI)
            outlined(pixels, DPI)
        times.append(time.perf_counter() - start)
    print(json.dumps(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.baseline is None:
        parser.error("--baseline DIR is required")
    trees = {"baseline": args.baseline.resolve(), "this tree": HERE}
    medians: dict[str, list[float]] = {name: [] for name in trees}
    pages = 0
    for _ in range(args.reps):
        for name, tree in trees.items():
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(tree)], check=True, capture_output=True, text=True
            ).stdout
            times = json.loads(out)
            pages = len(times)
            medians[name].append(statistics.median(times))
    print(f"{pages} scanned corpus pages at {DPI} dpi, {args.reps} runs each, median ms per page:")
    base = statistics.median(medians["baseline"])
    for name, runs in medians.items():
        value = statistics.median(runs)
        runs_ms = ", ".join(f"{1000 * r:.1f}" for r in runs)
        print(f"| {name} | {1000 * value:.1f} ({runs_ms}) | {value / base:.2f}x |")


if __name__ == "__main__":
    main()
