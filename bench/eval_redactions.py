"""Measure redaction detection, code-to-box assignment and near-duplicate pages (issue 8).

    .venv/bin/python bench/eval_redactions.py [--skip-sample] [--skip-corpus] [--skip-neardup]

1. The generated sample (seed 0): every page through ingest.process.extract_pages (text layer, OCR with
   the boxes found in the OCR render), boxes matched to truth.json's at IoU >= 0.5 (scanned pages: the
   truth box rotated as the scan was), codes compared as sets, failed-redaction pages and slip sheets.
2. Corpus pages annotated by hand in bench/redaction_annotations.yaml (positions read off 100-dpi
   renders, so matched at IoU >= 0.3; see the file's header).
3. Near duplicates: every sample record re-rendered (born-digital, so text comes from the text layer)
   with different redactions: a share of its boxes lifted and as many new ones drawn over other words.
   Positives are a page and its re-rendered self (and the ICE thread's two releases); every other pair
   is a negative. Candidates come from the LSH bands stored in the catalog, verified at the threshold.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import re
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.analytics import BANDS, band_buckets, similarity  # noqa: E402
from catalog.limits import Limits  # noqa: E402
from ingest.neardup import THRESHOLD, signature  # noqa: E402
from ingest.ocr import init_ocr_process  # noqa: E402
from ingest.process import extract_pages  # noqa: E402
from ingest.redactions.geometry import Rect  # noqa: E402
from ingest.slipsheets import page_kind  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
ANNOTATIONS = Path(__file__).with_name("redaction_annotations.yaml")


def iou(a: Rect, b: Rect) -> float:
    ix = max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top))
    inter = ix * iy
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def rotated(r: Rect, degrees: float, width: float, height: float) -> Rect:
    """The bounding box of `r` after the page image is rotated counter-clockwise about its centre."""
    a = math.radians(degrees)
    cx, cy = width / 2, height / 2
    xs, ys = [], []
    for x, y in ((r.x0, r.top), (r.x1, r.top), (r.x0, r.bottom), (r.x1, r.bottom)):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * math.cos(a) + dy * math.sin(a))
        ys.append(cy - dx * math.sin(a) + dy * math.cos(a))
    return Rect(min(xs), min(ys), max(xs), max(ys))


@dataclasses.dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    codes_right: int = 0
    codes_judged: int = 0

    def add(self, other: Tally) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def line(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        codes = f"{self.codes_right}/{self.codes_judged}" if self.codes_judged else "-"
        return f"| {name} | {self.tp} | {self.fp} | {self.fn} | {p:.3f} | {r:.3f} | {f1:.3f} | {codes} |"


def match(
    found: Sequence[tuple[Rect, tuple[str, ...]]],
    wanted: Sequence[tuple[Rect, tuple[str, ...] | None]],
    min_iou: float,
    report: list[str],
    where: str,
) -> Tally:
    """Greedy one-to-one matching by IoU; codes compared as sets where the truth gives them."""
    tally = Tally()
    left = list(found)
    for rect, codes in wanted:
        best = max(left, key=lambda f: iou(rect, f[0]), default=None)
        if best is not None and iou(rect, best[0]) >= min_iou:
            tally.tp += 1
            left.remove(best)
            if codes is not None:
                tally.codes_judged += 1
                if set(best[1]) == set(codes):
                    tally.codes_right += 1
                else:
                    report.append(f"  code {where}: found {list(best[1])} want {list(codes)}")
        else:
            tally.fn += 1
            report.append(f"  missed {where}: {rect}")
    tally.fp = len(left)
    report.extend(f"  extra {where}: {f[0]}" for f in left)
    return tally


def eval_sample(pool: ProcessPoolExecutor) -> None:
    from ingest.sample import write_sample_production

    report: list[str] = []
    totals = {"born-digital": Tally(), "scanned": Tally()}
    failed_right = failed_total = kinds_right = 0
    with tempfile.TemporaryDirectory() as tmp:
        truth = write_sample_production(Path(tmp))
        for file in truth.files:
            extracted = extract_pages(Path(tmp) / file.file_name, Limits(), "eng", pool)
            for page, want in zip(extracted.pages, file.pages, strict=True):
                red = page.redactions
                found = [(b.rect, b.codes) for b in red.boxes] if red else []
                wanted = [
                    (rotated(Rect(t.x0, t.y0, t.x1, t.y1), want.rotation_degrees, want.width, want.height), t.codes)
                    for t in want.redactions
                ]
                totals[want.kind].add(match(found, wanted, 0.5, report, f"{file.file_name} p{want.number}"))
                flagged = bool(red and red.failed)
                failed_total += 1
                failed_right += flagged == want.failed_redaction
                slip = want.text.upper().startswith("WITHHELD IN FULL")
                kinds_right += (page_kind(page.text, red.redacted_share if red else 0.0) != "content") == slip
    both = Tally()
    for t in totals.values():
        both.add(t)
    print("### Sample (seed 0): boxes matched at IoU >= 0.5")
    print("| pages | tp | fp | fn | precision | recall | F1 | codes right |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, t in totals.items():
        print(t.line(kind))
    print(both.line("all"))
    print(
        f"\nfailed-redaction flag right on {failed_right}/{failed_total} pages; "
        f"page kind right on {kinds_right}/{failed_total}"
    )
    print("\n".join(report))


def eval_corpus(pool: ProcessPoolExecutor) -> None:
    """Boxes and pages per part of the annotations (tuning / held-out, split by document)."""
    spec = yaml.safe_load(ANNOTATIONS.read_text())
    report: list[str] = []
    totals: dict[str, Tally] = {}
    by_count: dict[str, Tally] = {}  # pages annotated with a count of boxes only
    pages: dict[str, list[int]] = {}  # part -> [tp, fp, fn, tn] for "the page has redaction boxes"
    extracted = {}
    print("\n### Corpus pages annotated by hand: boxes matched at IoU >= 0.3")
    print("| part | file | page | tp | fp | fn | codes right |")
    print("|---|---|---|---|---|---|---|")
    for item in spec["pages"]:
        part = item.get("part", "tuning")
        if item["file"] not in extracted:
            extracted[item["file"]] = extract_pages(CORPUS / item["file"], Limits(), "eng", pool)
        page = extracted[item["file"]].pages[item["page"] - 1]
        red = page.redactions
        found = [(b.rect, b.codes) for b in red.boxes] if red else []
        where = f"{item['id']} p{item['page']}"
        if "count" in item:  # judged on the number of boxes only (see the annotations' header)
            t = Tally(tp=min(len(found), item["count"]), fp=max(0, len(found) - item["count"]))
            t.fn = max(0, item["count"] - len(found))
            by_count.setdefault(part, Tally()).add(t)
            if t.fp or t.fn:
                report.append(f"  count {where}: found {len(found)} want {item['count']}")
            has_boxes = item["count"] > 0
        else:
            wanted = [
                (Rect(*b["box"]), tuple(b["codes"]) if b.get("codes") is not None else None) for b in item["boxes"]
            ]
            t = match(found, wanted, 0.3, report, where)
            totals.setdefault(part, Tally()).add(t)
            has_boxes = bool(wanted)
        counts = pages.setdefault(part, [0, 0, 0, 0])
        counts[(0 if has_boxes else 1) if found else (2 if has_boxes else 3)] += 1
        codes = f"{t.codes_right}/{t.codes_judged}" if t.codes_judged else "-"
        print(f"| {part} | {item['id']} | {item['page']} | {t.tp} | {t.fp} | {t.fn} | {codes} |")
    print("\n| boxes | tp | fp | fn | precision | recall | F1 | codes right |")
    print("|---|---|---|---|---|---|---|---|")
    for part, tally in totals.items():
        print(tally.line(part))
    for part, tally in by_count.items():
        print(tally.line(f"{part} (pages judged on their count)"))
    print("\n| pages with redaction boxes | tp | fp | fn | tn | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for part, (tp, fp, fn, tn) in pages.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {part} | {tp} | {fp} | {fn} | {tn} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    print("\n".join(report))


_MARK = re.compile(r"\[\[(?P<codes>[^:\]]+):(?P<hidden>[^\]]+)\]\]")
_PLAIN_WORDS = re.compile(r"(?<![\[{:\w])([A-Za-z][a-z]{3,}(?: [a-z]{3,})?)(?![\w\]}])")


def vary(text: str, rng: random.Random, change: float) -> str:
    """Lift a share of the redactions in a block's markup and draw as many new ones over plain words."""
    lifted = 0

    def lift(m: re.Match[str]) -> str:
        nonlocal lifted
        if rng.random() < change:
            lifted += 1
            return m.group("hidden")
        return m.group(0)

    text = _MARK.sub(lift, text)
    spans = [m for m in _PLAIN_WORDS.finditer(text) if not _inside_mark(text, m.start())]
    for m in sorted(rng.sample(spans, min(lifted, len(spans))), key=lambda m: -m.start()):
        text = text[: m.start()] + f"[[b5:{m.group(1)}]]" + text[m.end() :]
    return text


def _inside_mark(text: str, pos: int) -> bool:
    return text.rfind("[[", 0, pos) > text.rfind("]]", 0, pos) or text.rfind("{", 0, pos) > text.rfind("}", 0, pos)


def eval_neardup(pool: ProcessPoolExecutor, with_scans: bool) -> None:
    from ingest.sample.content import RECORDS
    from ingest.sample.production import BATES_SERIES, _write_record

    what = " (and as generated, scans read by OCR)" if with_scans else ""
    print(f"\n### Near-duplicate pages: sample records re-rendered with different redactions{what}")
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as tmp:
        pages: list[tuple[str, int, str, str | None]] = []  # (record, page, text, release group)
        # None: the records as generated, scans and all (their pages read by OCR), beside the re-renders.
        changes: tuple[float | None, ...] = (None, 0.0, 0.3, 0.6) if with_scans else (0.0, 0.3, 0.6)
        for change in changes:
            for record in RECORDS:
                variant = record
                if change is None:
                    variant = dataclasses.replace(record, file_name=f"g_{record.file_name}")
                elif change:
                    variant = dataclasses.replace(
                        record,
                        file_name=f"v{int(change * 100)}_{record.file_name}",
                        pages=tuple(
                            dataclasses.replace(
                                spec,
                                kind="born-digital",
                                failed_redaction=False,
                                blocks=tuple(
                                    dataclasses.replace(
                                        b,
                                        text=vary(b.text, rng, change),
                                        cells=tuple((x, vary(c, rng, change)) for x, c in b.cells),
                                    )
                                    for b in spec.blocks
                                ),
                            )
                            for spec in record.pages
                        ),
                    )
                else:  # the originals, born-digital so that both sides come from a text layer
                    variant = dataclasses.replace(
                        record,
                        pages=tuple(dataclasses.replace(s, kind="born-digital") for s in record.pages),
                    )
                series = BATES_SERIES[record.bates_series]
                bates = [f"{series.prefix}{series.first + i:0{series.digits}d}" for i in range(len(record.pages))]
                _write_record(Path(tmp), variant, bates, 0)
                extracted = extract_pages(Path(tmp) / variant.file_name, Limits(), "eng", pool)
                for p in extracted.pages:
                    pages.append((f"{record.file_name}@{change}", p.number, p.text, record.release_group))
        sigs = [signature(text) for _, _, text, _ in pages]
        record_of = [name.split("@")[0] for name, _, _, _ in pages]
        group_of = [g or record_of[i] for i, (_, _, _, g) in enumerate(pages)]
        positives = {
            (i, j)
            for i, j in combinations(range(len(pages)), 2)
            if group_of[i] == group_of[j] and pages[i][1] == pages[j][1] and sigs[i] and sigs[j]
        }
        # The ICE thread's two releases: page n of one is page n of the other.
        short = sum(1 for s in sigs if s is None)
        buckets: dict[tuple[int, int], list[int]] = {}
        for i, sig in enumerate(sigs):
            if sig:
                for key in band_buckets(sig, BANDS):
                    buckets.setdefault(key, []).append(i)
        candidates = {(a, b) for members in buckets.values() for a, b in combinations(sorted(set(members)), 2)}
        print(
            f"{len(pages)} pages ({short} too short to sign), {len(positives)} true pairs, "
            f"{len(candidates)} LSH candidates"
        )
        print("| threshold | tp | fp | fn | precision | recall | F1 |")
        print("|---|---|---|---|---|---|---|")
        scores = {pair: similarity(sigs[pair[0]] or (), sigs[pair[1]] or ()) for pair in candidates}
        for threshold in (0.3, 0.4, THRESHOLD, 0.6, 0.7):
            found = {pair for pair, s in scores.items() if s >= threshold}
            tp, fp, fn = len(found & positives), len(found - positives), len(positives - found)
            prec = tp / (tp + fp) if tp + fp else 1.0
            rec = tp / (tp + fn) if tp + fn else 1.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            mark = " (used)" if threshold == THRESHOLD else ""
            print(f"| {threshold}{mark} | {tp} | {fp} | {fn} | {prec:.3f} | {rec:.3f} | {f1:.3f} |")
        missed = sorted(positives - {pair for pair, s in scores.items() if s >= THRESHOLD})
        for a, b in missed:
            exact = similarity(sigs[a] or (), sigs[b] or ())
            print(f"  missed {pages[a][0]} p{pages[a][1]} ~ {pages[b][0]} p{pages[b][1]}: {exact:.2f}")
        wrong = sorted(pair for pair, s in scores.items() if s >= THRESHOLD and pair not in positives)
        for a, b in wrong:
            print(f"  wrong {pages[a][0]} p{pages[a][1]} ~ {pages[b][0]} p{pages[b][1]}: {scores[(a, b)]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-neardup", action="store_true")
    parser.add_argument("--neardup-with-scans", action="store_true", help="add the records as generated (OCR'd scans)")
    args = parser.parse_args()
    with ProcessPoolExecutor(max_workers=2, initializer=init_ocr_process) as pool:
        if not args.skip_sample:
            eval_sample(pool)
        if not args.skip_corpus:
            eval_corpus(pool)
        if not args.skip_neardup:
            eval_neardup(pool, args.neardup_with_scans)


if __name__ == "__main__":
    main()
