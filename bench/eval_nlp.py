"""Precision, recall and F1 of nlp/ on the annotated corpus pages (bench/nlp_annotations.yaml).

    .venv/bin/python bench/eval_nlp.py [--details]

Page text is computed here (pdftotext -layout, tesseract for scans) and cached under bench/out/.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlp_pages import CORPUS, corpus_pages, manifest

from nlp import Analyzer, document_date

ANNOTATIONS = Path(__file__).with_name("nlp_annotations.yaml")
GAZ_TYPES = ("vendor", "product", "technology", "agency")


def pdf_metadata(pdf: Path) -> dict[str, str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return {k: str(v) for k, v in doc.get_metadata_dict().items() if v}
    finally:
        doc.close()


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--details", action="store_true", help="list every false positive and negative")
    args = ap.parse_args()
    ann = yaml.safe_load(ANNOTATIONS.read_text())
    pages = corpus_pages()
    keys = [(fid, i + 1) for fid in sorted(pages) for i in range(len(pages[fid]))]
    analyzer = Analyzer()
    facts = dict(zip(keys, analyzer.analyze([pages[f][p - 1] for f, p in keys]), strict=True))

    gold: dict[tuple[str, tuple[str, int]], Counter[str]] = defaultdict(Counter)
    gold_bates: dict[tuple[str, int], str] = {}
    for m in ann["mentions"]:
        key = (m["file"], int(m["page"]))
        if m["type"] == "bates":
            gold_bates[key] = m["value"]
        else:
            kind = "exemption" if m["type"] == "exemption" else m["type"]
            gold[(kind, key)][m["value"]] += int(m.get("count", 1))

    entity_pages = {(s.split(":")[0], int(s.split(":")[1])) for s in ann["entity_pages"]}
    exemption_pages = {k for k in keys if k[0] not in set(ann["exemption_unverified"])}
    counts: dict[str, list[int]] = {t: [0, 0, 0] for t in (*GAZ_TYPES, "exemption", "bates", "document_date")}
    details: list[str] = []

    def score(kind: str, key: tuple[str, int], pred: Counter[str]) -> None:
        want = gold.get((kind, key), Counter())
        for value in set(pred) | set(want):
            tp = min(pred[value], want[value])
            counts[kind][0] += tp
            counts[kind][1] += pred[value] - tp
            counts[kind][2] += want[value] - tp
            if pred[value] != want[value]:
                details.append(f"{kind:10} {key[0]} p{key[1]:<3} {value:40} predicted {pred[value]} gold {want[value]}")

    for key in keys:
        f = facts[key]
        if key in entity_pages:
            for kind in GAZ_TYPES:
                score(kind, key, Counter(m.entity_id for m in f.mentions if m.entity_type == kind))
        if key in exemption_pages:
            score("exemption", key, Counter(e.code for e in f.exemptions))
        want_b, got_b = gold_bates.get(key), f.bates
        c = counts["bates"]
        if got_b and got_b == want_b:
            c[0] += 1
        else:
            c[1] += bool(got_b)
            c[2] += bool(want_b)
            if got_b or want_b:
                details.append(f"bates      {key[0]} p{key[1]:<3} predicted {got_b} gold {want_b}")

    files = manifest(CORPUS)
    dated = ann["document_dates"]
    for fid, spec in dated.items():
        got = document_date(pages[fid], pdf_metadata(files[fid][0]))
        want = str(spec["date"])
        c = counts["document_date"]
        if got.iso == want:
            c[0] += 1
        else:
            c[1] += got.iso is not None
            c[2] += 1
            details.append(f"doc date   {fid} predicted {got.iso} ({got.source}) gold {want}")

    print("| type | gold | TP | FP | FN | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    gaz = [0, 0, 0]
    for kind, (tp, fp, fn) in counts.items():
        if kind in GAZ_TYPES:
            gaz = [gaz[0] + tp, gaz[1] + fp, gaz[2] + fn]
        p, r, f1 = prf(tp, fp, fn)
        print(f"| {kind} | {tp + fn} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f1:.3f} |")
        if kind == "agency":
            p, r, f1 = prf(*gaz)
            print(
                f"| **gazetteer (all four)** | {gaz[0] + gaz[2]} | {gaz[0]} | {gaz[1]} | {gaz[2]} "
                f"| {p:.3f} | {r:.3f} | {f1:.3f} |"
            )
    n_dates = len(dated)
    print(f"\ndocument dates correct: {counts['document_date'][0]}/{n_dates}")
    print(f"pages: {len(keys)}, entity pages: {len(entity_pages)}, exemption pages: {len(exemption_pages)}")
    if args.details:
        print("\n" + "\n".join(details))


if __name__ == "__main__":
    main()
