"""Ingest speed beside its peers, in one run on the same pages (figures go to bench/RESULTS.md).

1. Text path: born-digital pages/s of ingest's text-layer path (PDFium text + the "too poor" rule) vs
   `pdftotext -layout` over the same 200-page PDF.
2. OCR: scanned pages/s and character error rate of ingest's OCR path on all cores vs
   `ocrmypdf --skip-text -j N` + its sidecar text (the peer a user would reach for), and vs tesseract
   alone over pre-rendered images of the same pages on all cores (the physical limit).
3. Peak memory of each contender: the summed RSS of its whole process tree, sampled every 50 ms.

Each contender runs in its own subprocess, round-robin, REPS times; medians and ratios are reported.
Usage: .venv/bin/python bench/bench_ingest.py [--reps 3] [--scanned 20] [--born 200] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = [
    "the",
    "bureau",
    "agency",
    "contract",
    "vendor",
    "review",
    "records",
    "request",
    "release",
    "office",
    "memorandum",
    "program",
    "surveillance",
    "technology",
    "camera",
    "license",
    "plate",
    "reader",
    "data",
    "retention",
    "policy",
    "officer",
    "county",
    "police",
    "department",
    "federal",
    "evaluation",
    "pilot",
    "system",
    "access",
    "analyst",
    "report",
    "meeting",
    "budget",
    "procurement",
    "privacy",
    "assessment",
    "facial",
    "recognition",
    "phone",
    "extraction",
    "device",
    "warrant",
    "investigation",
    "case",
    "summary",
]


def prose(rng: random.Random, lines: int, width: int) -> str:
    out = []
    for _ in range(lines):
        line: list[str] = []
        while sum(len(w) + 1 for w in line) < width:
            line.append(rng.choice(WORDS))
        out.append(" ".join(line).capitalize())
    return "\n".join(out)


def make_born_digital(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    rng = random.Random(7)
    canvas = Canvas(str(path), pagesize=letter)
    for _ in range(pages):
        text = canvas.beginText(54, 740)
        text.setFont("Helvetica", 10)
        for line in prose(rng, 50, 95).splitlines():  # about 320 words a page
            text.textLine(line)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()


def make_scanned(path: Path, pages: int) -> list[str]:
    """Pages that are only images of known text (mild noise and tilt), and that text."""
    from ingest.sample.layout import Op, TextOp
    from ingest.sample.render import draw_scan, new_canvas, scan

    rng = random.Random(11)
    truth = []
    buf = io.BytesIO()
    canvas = new_canvas(buf, "bench scan", "bench")
    for n in range(pages):
        text = prose(rng, 30, 60)
        truth.append(text)
        ops: list[Op] = [TextOp(72, 90 + 20 * i, line, "Courier", 12) for i, line in enumerate(text.splitlines())]
        draw_scan(canvas, scan(ops, seed=n))
        canvas.showPage()
    canvas.save()
    path.write_bytes(buf.getvalue())
    return truth


# ---------------------------------------------------------------------------------------- contenders


def run_ours_text(pdf: Path, _out: Path) -> tuple[float, list[str]]:
    from catalog.limits import Limits
    from ingest.process import extract_pages

    with ThreadPoolExecutor(1) as unused:  # no page needs OCR: the pool stays idle
        started = time.perf_counter()  # after the imports: a worker has them loaded already
        extracted = extract_pages(pdf, Limits(), "eng", unused)
        seconds = time.perf_counter() - started
    return seconds, [p.text for p in extracted.pages]


def run_pdftotext(pdf: Path, out: Path) -> list[str]:
    subprocess.run(["pdftotext", "-layout", str(pdf), str(out)], check=True)
    return out.read_text().split("\f")


def _warm(_: int) -> None:
    import ingest.ocr  # noqa: F401 - what a running worker's OCR processes have loaded already


def run_ours_ocr(pdf: Path, _out: Path) -> tuple[float, list[str]]:
    from catalog.limits import Limits
    from ingest.ocr import init_ocr_process
    from ingest.process import extract_pages

    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"), initializer=init_ocr_process) as pool:
        # A worker's pool lives as long as the worker: its start-up is not part of the OCR rate.
        list(pool.map(_warm, range(workers)))
        started = time.perf_counter()
        extracted = extract_pages(pdf, Limits(), "eng", pool)
        seconds = time.perf_counter() - started
    return seconds, [p.text for p in extracted.pages]


def run_ocrmypdf(pdf: Path, out: Path) -> list[str]:
    sidecar = out.with_suffix(".txt")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(
        ["ocrmypdf", "--skip-text", "-j", str(os.cpu_count() or 1), "--sidecar", str(sidecar), "-q",
         str(pdf), str(out)],
        check=True,
        env=env,
    )  # fmt: skip
    return sidecar.read_text().split("\f")


def run_tesseract_alone(images: Path, _out: Path) -> list[str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    files = sorted(images.glob("*.ppm"))

    def one(image: Path) -> str:
        done = subprocess.run(["tesseract", str(image), "stdout"], capture_output=True, check=True, env=env)
        return done.stdout.decode()

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return list(pool.map(one, files))


CONTENDERS: dict[str, Callable[[Path, Path], list[str] | tuple[float, list[str]]]] = {
    "ours_text": run_ours_text,
    "pdftotext": run_pdftotext,
    "ours_ocr": run_ours_ocr,
    "ocrmypdf": run_ocrmypdf,
    "tesseract_alone": run_tesseract_alone,
}


def child(name: str, source: Path, out: Path) -> None:
    started = time.perf_counter()
    result = CONTENDERS[name](source, out)
    seconds = time.perf_counter() - started
    if isinstance(result, tuple):  # the contender timed its own steady state
        seconds, texts = result
    else:
        texts = result
    (out.parent / f"{name}.result.json").write_text(json.dumps({"seconds": seconds, "texts": texts}))


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


def timed(name: str, source: Path, work: Path) -> tuple[float, list[str], int]:
    out = work / f"{name}.out"
    proc = subprocess.Popen([sys.executable, __file__, "--child", name, str(source), str(out)])
    peak = 0
    while proc.poll() is None:  # sample the whole process tree: OCR runs in child processes
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.05)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed with status {proc.returncode}")
    result = json.loads((work / f"{name}.result.json").read_text())
    return result["seconds"], result["texts"], peak


def render_images(pdf: Path, folder: Path, dpi: int = 300) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        doc[i].render(scale=dpi / 72, grayscale=True).to_pil().save(folder / f"page-{i:04d}.ppm")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--born", type=int, default=200)
    parser.add_argument("--scanned", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return

    from tests.textmetrics import cer

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    born, scanned, images = work / "born.pdf", work / "scanned.pdf", work / "images"
    images.mkdir()
    make_born_digital(born, args.born)
    truth = make_scanned(scanned, args.scanned)
    render_images(scanned, images)
    sources = {
        "ours_text": born,
        "pdftotext": born,
        "ours_ocr": scanned,
        "ocrmypdf": scanned,
        "tesseract_alone": images,
    }
    pages = {"ours_text": args.born, "pdftotext": args.born}
    seconds: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    rss: dict[str, int] = {}
    error_rates: dict[str, float] = {}
    for _ in range(args.reps):
        for name in CONTENDERS:  # round-robin, so machine noise spreads over all contenders
            secs, texts, maxrss = timed(name, sources[name], work)
            seconds[name].append(secs)
            rss[name] = max(rss.get(name, 0), maxrss)
            if name in ("ours_ocr", "ocrmypdf", "tesseract_alone"):
                got = [t for t in texts if t.strip()][: len(truth)]
                error_rates[name] = cer("\n".join(truth), "\n".join(got))
    for name in ("ours_ocr", "ocrmypdf", "tesseract_alone"):
        pages[name] = args.scanned
    report = {}
    for name, values in seconds.items():
        median = statistics.median(values)
        report[name] = {
            "median_seconds": round(median, 3),
            "pages_per_second": round(pages[name] / median, 2),
            "runs": [round(v, 3) for v in values],
            "peak_tree_rss_mib": round(rss[name] / 1024, 1),
            "cer": round(error_rates[name], 5) if name in error_rates else None,
        }
    rate = {name: values["pages_per_second"] for name, values in report.items()}
    ratios = {
        "text_path_vs_pdftotext": round(rate["ours_text"] / rate["pdftotext"], 3),
        "ocr_vs_tesseract_alone": round(rate["ours_ocr"] / rate["tesseract_alone"], 3),
        "ocr_vs_ocrmypdf": round(rate["ours_ocr"] / rate["ocrmypdf"], 3),
    }
    summary = {"cores": os.cpu_count(), "reps": args.reps, "contenders": report, "ratios": ratios}
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
