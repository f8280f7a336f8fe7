"""Page text for the corpus files, computed here and cached under bench/out/nlp_text/.

Born-digital pages come from `pdftotext -layout`; a page whose text layer is empty (or nearly so)
is rendered at 300 dpi gray and read by tesseract. OCR is slow, so every page's text is cached.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CACHE = Path(__file__).resolve().parent / "out" / "nlp_text"
# A page with fewer non-space characters than this in its text layer is treated as a scan.
MIN_TEXT_CHARS = 40


def manifest(corpus: Path = CORPUS) -> dict[str, tuple[Path, int]]:
    """File id (S01..) -> (path, page count)."""
    out: dict[str, tuple[Path, int]] = {}
    with (corpus / "manifest.tsv").open(newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["id"]] = (corpus / row["file"], int(row["pages"]))
    return out


def _pdftotext(pdf: Path, page: int) -> str:
    res = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
    )
    return res.stdout.decode("utf-8", "replace").replace("\f", "")


def _ocr(pdf: Path, page: int) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "p"
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(base)],
            check=True,
        )
        res = subprocess.run(
            ["tesseract", str(base) + ".pgm", "-", "--psm", "3"],
            capture_output=True,
            check=True,
            env=env,
        )
    return res.stdout.decode("utf-8", "replace").replace("\f", "")


def page_text(file_id: str, page: int, pdf: Path) -> tuple[str, str]:
    """(text, source) where source is "text" or "ocr"; cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for source in ("text", "ocr"):
        cached = CACHE / f"{file_id}_p{page:03d}.{source}.txt"
        if cached.exists():
            return cached.read_text(encoding="utf-8"), source
    text = _pdftotext(pdf, page)
    source = "text"
    if len("".join(text.split())) < MIN_TEXT_CHARS:
        text = _ocr(pdf, page)
        source = "ocr"
    (CACHE / f"{file_id}_p{page:03d}.{source}.txt").write_text(text, encoding="utf-8")
    return text, source


def pdf_pages(key: str, pdf: Path, pages: int) -> list[str]:
    """Page texts of any PDF, cached under `key` (make it change when the file does)."""
    return [page_text(key, p, pdf)[0] for p in range(1, pages + 1)]


def corpus_pages(corpus: Path = CORPUS) -> dict[str, list[str]]:
    """File id -> page texts (page 1 first)."""
    out: dict[str, list[str]] = {}
    for fid, (pdf, pages) in manifest(corpus).items():
        out[fid] = [page_text(fid, p, pdf)[0] for p in range(1, pages + 1)]
    return out


if __name__ == "__main__":
    pages = corpus_pages()
    print(sum(len(v) for v in pages.values()), "pages", file=sys.stderr)
