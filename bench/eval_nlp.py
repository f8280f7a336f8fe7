"""Precision, recall and F1 of nlp/ on the annotated corpus pages and on the generated sample.

    .venv/bin/python bench/eval_nlp.py [--details] [--no-sample]

Corpus: bench/nlp_annotations.yaml (hand annotations, counts of mentions per page). Sample: the production
written by ingest/sample (its truth.json gives, per page, the Bates number and the sets of exemption codes
and entities, and each file's document date). Page text is computed here (pdftotext -layout, tesseract
for scans) and cached under bench/out/.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlp_pages import CORPUS, corpus_pages, manifest, pdf_pages

from nlp import Analyzer, PageFacts, document_date, normalize_organization

ANNOTATIONS = Path(__file__).with_name("nlp_annotations.yaml")
SAMPLE_DIR = Path(__file__).resolve().parent / "out" / "nlp_sample"
GAZ_TYPES = ("vendor", "product", "technology", "agency")
KINDS = (*GAZ_TYPES, "exemption", "bates", "document_date")

Counts = dict[str, list[int]]  # kind -> [tp, fp, fn]
PARTS = ("tuning", "held-out")
PART_KINDS = ("exemption", "document_date")


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


def print_table(counts: Counts) -> None:
    print("| type | gold | TP | FP | FN | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    gaz = [0, 0, 0]
    for kind in KINDS:
        tp, fp, fn = counts[kind]
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


def evaluate_corpus(analyzer: Analyzer, details: list[str]) -> tuple[Counts, dict[str, Counts]]:
    """Per-page counts for the whole corpus, and the exemption codes and document dates of the tuning and
    held-out parts apart (the split is `heldout_documents`, by document)."""
    ann = yaml.safe_load(ANNOTATIONS.read_text())
    heldout = set(ann["heldout_documents"])
    by_part: dict[str, Counts] = {p: {t: [0, 0, 0] for t in PART_KINDS} for p in PARTS}
    pages = corpus_pages()
    keys = [(fid, i + 1) for fid in sorted(pages) for i in range(len(pages[fid]))]
    facts = analyzed_pages(analyzer, pages)

    gold: dict[tuple[str, tuple[str, int]], Counter[str]] = defaultdict(Counter)
    gold_bates: dict[tuple[str, int], str] = {}
    for m in ann["mentions"]:
        key = (m["file"], int(m["page"]))
        if m["type"] == "bates":
            gold_bates[key] = m["value"]
        else:
            gold[(m["type"], key)][m["value"]] += int(m.get("count", 1))

    entity_pages = {(s.split(":")[0], int(s.split(":")[1])) for s in ann["entity_pages"]}
    exemption_pages = {k for k in keys if k[0] not in set(ann["exemption_unverified"])}
    counts: Counts = {t: [0, 0, 0] for t in KINDS}

    def score(kind: str, key: tuple[str, int], pred: Counter[str]) -> None:
        want = gold.get((kind, key), Counter())
        part = by_part["held-out" if key[0] in heldout else "tuning"].get(kind)
        for value in set(pred) | set(want):
            tp = min(pred[value], want[value])
            for c in (counts[kind], part) if part is not None else (counts[kind],):
                c[0] += tp
                c[1] += pred[value] - tp
                c[2] += want[value] - tp
            if pred[value] != want[value]:
                details.append(
                    f"corpus {kind:10} {key[0]} p{key[1]:<3} {value:38} predicted {pred[value]} gold {want[value]}"
                )

    # These per-page counts cover gazetteer entries only; what the page names beyond the gazetteer is scored
    # by document below (evaluate_documents).
    listed = {e.id for e in analyzer.entities()}
    for key in keys:
        f = facts[key]
        if key in entity_pages:
            for kind in GAZ_TYPES:
                score(
                    kind,
                    key,
                    Counter(m.entity_id for m in f.mentions if m.entity_type == kind and m.entity_id in listed),
                )
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
                details.append(f"corpus bates      {key[0]} p{key[1]:<3} predicted {got_b} gold {want_b}")

    files = manifest(CORPUS)
    for fid, spec in ann["document_dates"].items():
        got = document_date(pages[fid], pdf_metadata(files[fid][0]))
        want = str(spec["date"])
        for c in (counts["document_date"], by_part["held-out" if fid in heldout else "tuning"]["document_date"]):
            if got.iso == want:
                c[0] += 1
            else:
                c[1] += got.iso is not None
                c[2] += 1
        if got.iso != want:
            details.append(f"corpus doc date   {fid} predicted {got.iso} ({got.source}) gold {want}")
    print(
        f"pages: {len(keys)}; entity-annotated pages: {len(entity_pages)}; exemption-annotated pages: "
        f"{len(exemption_pages)}; documents stating a date: {len(ann['document_dates'])}\n"
    )
    return counts, by_part


def analyzed_pages(analyzer: Analyzer, pages: dict[str, list[str]]) -> dict[tuple[str, int], PageFacts]:
    """One `analyze` call per document, as the ingest worker makes it (abbreviations and organization types
    are resolved across a document's pages)."""
    out: dict[tuple[str, int], PageFacts] = {}
    for fid in sorted(pages):
        for i, f in enumerate(analyzer.analyze(pages[fid])):
            out[(fid, i + 1)] = f
    return out


DOC_TYPES = ("vendor", "agency", "technology")


def _gold_matches(gold: object, entity_id: str) -> bool:
    """A gold value is a gazetteer id, a name (compared by its normalized key) or a list of either; a
    mapping holds it under "value" beside the page and text it was read from."""
    if isinstance(gold, dict):
        return _gold_matches(gold["value"], entity_id)
    if isinstance(gold, list):
        return any(_gold_matches(g, entity_id) for g in gold)
    value = str(gold)
    if ":" in value and " " not in value:
        return value == entity_id
    return normalize_organization(value) == entity_id.partition(":")[2]


def evaluate_documents(analyzer: Analyzer, details: list[str]) -> dict[str, Counts]:
    """Per document, the set of vendors / agencies / technologies named on the annotated pages, scored for
    the tuning part and the held-out part apart."""
    ann = yaml.safe_load(ANNOTATIONS.read_text())
    heldout = set(ann["heldout_documents"])
    pages = corpus_pages()
    facts = analyzed_pages(analyzer, pages)
    parts: dict[str, Counts] = {p: {t: [0, 0, 0] for t in DOC_TYPES} for p in ("tuning", "held-out")}
    for fid, spec in sorted(ann["document_entities"].items()):
        part = parts["held-out" if fid in heldout else "tuning"]
        for kind in DOC_TYPES:
            # Technologies may be annotated on more pages than vendors and agencies (`technology_pages`).
            scored = spec.get(f"{kind}_pages", spec["pages"])
            got = {m.entity_id for p in scored for m in facts[(fid, p)].mentions if m.entity_type == kind}
            gold = list(spec.get(kind) or [])
            matched = {i for i, g in enumerate(gold) if any(_gold_matches(g, e) for e in got)}
            false = sorted(e for e in got if not any(_gold_matches(g, e) for g in gold))
            part[kind][0] += len(matched)
            part[kind][1] += len(false)
            part[kind][2] += len(gold) - len(matched)
            details.extend(f"doc {kind:10} {fid} false positive {e}" for e in false)
            details.extend(
                f"doc {kind:10} {fid} missed {g['value'] if isinstance(g, dict) else g}"
                for i, g in enumerate(gold)
                if i not in matched
            )
    return parts


def print_parts(parts: dict[str, Counts], pages: dict[str, Counts]) -> None:
    """Entity sets per document (`parts`) and per-page exemption codes and document dates (`pages`), one
    table per part."""
    for name in PARTS:
        print(f"\n**{name}**\n")
        print("| type | gold | TP | FP | FN | precision | recall | F1 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for kind in DOC_TYPES:
            tp, fp, fn = parts[name][kind]
            p, r, f1 = prf(tp, fp, fn)
            print(f"| {kind} (per document) | {tp + fn} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f1:.3f} |")
        tp, fp, fn = pages[name]["exemption"]
        p, r, f1 = prf(tp, fp, fn)
        print(f"| exemption codes (per page) | {tp + fn} | {tp} | {fp} | {fn} | {p:.3f} | {r:.3f} | {f1:.3f} |")
        tp, fp, fn = pages[name]["document_date"]
        print(f"| document dates | {tp + fn} | {tp} | {fp} | {fn} | correct {tp} of {tp + fn} | | |")


def evaluate_sample(analyzer: Analyzer, details: list[str]) -> Counts | None:
    """Entities and codes compared as sets per page: the truth does not count repeats."""
    try:
        from ingest.sample import write_sample_production
    except ImportError:
        return None
    truth = write_sample_production(SAMPLE_DIR)
    counts: Counts = {t: [0, 0, 0] for t in KINDS}
    listed = {e.id for e in analyzer.entities()}

    def add(kind: str, want: set[str], got: set[str], where: str) -> None:
        c = counts[kind]
        c[0] += len(want & got)
        c[1] += len(got - want)
        c[2] += len(want - got)
        details.extend(f"sample {kind:10} {where} false positive {v}" for v in sorted(got - want))
        details.extend(f"sample {kind:10} {where} missed {v}" for v in sorted(want - got))

    for f in truth.files:
        pdf = SAMPLE_DIR / f.file_name
        key = "sample-" + hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]
        texts = pdf_pages(key, pdf, f.page_count)
        for page, facts in zip(f.pages, analyzer.analyze(texts), strict=True):
            where = f"{f.file_name[:30]} p{page.number}"
            for kind in GAZ_TYPES:
                # The truth lists gazetteer entities only: what the page names beyond it is not scored here.
                want = {e.id for e in page.entities if e.type == kind}
                got = {m.entity_id for m in facts.mentions if m.entity_type == kind and m.entity_id in listed}
                add(kind, want, got, where)
            add("exemption", set(page.exemptions), {e.code for e in facts.exemptions}, where)
            add("bates", {page.bates} if page.bates else set(), {facts.bates} if facts.bates else set(), where)
        got_date = document_date(texts, {}).iso
        add("document_date", {f.document_date}, {got_date} if got_date else set(), f.file_name[:30])
    print(f"files: {len(truth.files)}, pages: {truth.page_count}\n")
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--details", action="store_true", help="list every false positive and negative")
    ap.add_argument("--no-sample", action="store_true", help="skip the generated sample production")
    args = ap.parse_args()
    analyzer = Analyzer()
    details: list[str] = []

    print("### Corpus (bench/nlp_annotations.yaml; mentions counted per page)\n")
    corpus, corpus_parts = evaluate_corpus(analyzer, details)
    print_table(corpus)
    tp, _, fn = corpus["document_date"]
    print(f"\ndocument dates correct: {tp}/{tp + fn}\n")
    print(
        "### Corpus by part: entity sets per document (bench/nlp_annotations.yaml document_entities), "
        "exemption codes per page, document dates"
    )
    print_parts(evaluate_documents(analyzer, details), corpus_parts)
    print()

    sample = None if args.no_sample else evaluate_sample_with_heading(analyzer, details)
    if sample is None:
        print("(generated sample not evaluated: ingest.sample is not available)")
    else:
        print_table(sample)
        tp, _, fn = sample["document_date"]
        print(f"\ndocument dates correct: {tp}/{tp + fn}")
    if args.details:
        print("\n" + "\n".join(details))


def evaluate_sample_with_heading(analyzer: Analyzer, details: list[str]) -> Counts | None:
    print("### Generated sample (ingest/sample truth.json; sets per page)\n")
    return evaluate_sample(analyzer, details)


if __name__ == "__main__":
    main()
