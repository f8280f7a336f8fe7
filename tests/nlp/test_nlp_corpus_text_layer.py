"""Born-digital corpus pages against the hand annotations in bench/nlp_annotations.yaml."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from nlp import find_bates, find_exemptions

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
ANNOTATIONS = ROOT / "bench" / "nlp_annotations.yaml"
# Files whose pages all have a text layer: no OCR needed, so the test stays fast.
BORN_DIGITAL = ("S01", "S02", "S10", "S12", "S13", "S17")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (CORPUS / "manifest.tsv").exists(), reason="../shared/corpus is absent"),
]


def page_texts(file_id: str) -> list[str]:
    rows = [line.split("\t") for line in (CORPUS / "manifest.tsv").read_text().splitlines()[1:]]
    row = next(r for r in rows if r[0] == file_id)
    pdf, pages = CORPUS / row[1], int(row[8])
    out = []
    for page in range(1, pages + 1):
        res = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            check=True,
        )
        out.append(res.stdout.decode("utf-8", "replace"))
    return out


def test_exemptions_and_bates_on_born_digital_pages() -> None:
    ann = yaml.safe_load(ANNOTATIONS.read_text())
    gold: Counter[tuple[str, int, str]] = Counter()
    gold_bates: dict[tuple[str, int], str] = {}
    for m in ann["mentions"]:
        if m["file"] not in BORN_DIGITAL:
            continue
        if m["type"] == "exemption":
            gold[(m["file"], m["page"], m["value"])] += m.get("count", 1)
        elif m["type"] == "bates":
            gold_bates[(m["file"], m["page"])] = m["value"]
    got: Counter[tuple[str, int, str]] = Counter()
    for file_id in BORN_DIGITAL:
        for page, text in enumerate(page_texts(file_id), start=1):
            got.update((file_id, page, e.code) for e in find_exemptions(text))
            assert find_bates(text) == gold_bates.get((file_id, page))
    tp = sum((got & gold).values())
    assert tp / sum(got.values()) >= 0.99
    assert tp / sum(gold.values()) >= 0.95
