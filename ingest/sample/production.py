"""Writes the sample production: the PDFs and the truth.json that describes them."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from ingest.sample.content import RECORDS
from ingest.sample.gazetteer import entities_in
from ingest.sample.layout import PAGE_HEIGHT, PAGE_WIDTH, LaidOutPage, lay_out_page
from ingest.sample.model import (
    SCHEMA_VERSION,
    TRUTH_FILE_NAME,
    SampleFile,
    SampleManifest,
    SamplePage,
)
from ingest.sample.render import draw_ops, draw_scan, new_canvas, scan
from ingest.sample.spec import Record

PRODUCTION_NAME = "FOIA Discovery sample production"


@dataclass(frozen=True)
class BatesSeries:
    prefix: str
    digits: int
    first: int


# Each releasing office numbers its pages in one run across all the files it released.
BATES_SERIES: dict[str, BatesSeries] = {
    "FBI": BatesSeries("FBI-", 6, 117),
    "DOJ-OIP": BatesSeries("DOJ-OIP-2019-", 5, 45),
    "ICE-2019": BatesSeries("ICE-2019-", 6, 301),
    "ICE-2020": BatesSeries("ICE-2020-", 6, 1144),
    "CBP": BatesSeries("CBP-", 6, 2210),
    "DHS": BatesSeries("DHS-", 6, 88),
    "CPD": BatesSeries("CPD-", 7, 1842),
    "USMS": BatesSeries("USMS-", 6, 530),
}


def write_sample_production(dest: Path, seed: int = 0) -> SampleManifest:
    """Writes about a dozen FOIA-like PDFs and their truth.json into `dest`.

    The same seed gives byte-identical files; the seed only changes the scan noise and tilt.
    """
    dest.mkdir(parents=True, exist_ok=True)
    next_number = {key: series.first for key, series in BATES_SERIES.items()}
    files: list[SampleFile] = []
    for record in RECORDS:
        series = BATES_SERIES[record.bates_series]
        first = next_number[record.bates_series]
        next_number[record.bates_series] += len(record.pages)
        bates = [f"{series.prefix}{n:0{series.digits}d}" for n in range(first, first + len(record.pages))]
        files.append(_write_record(dest, record, bates, seed))
    manifest = SampleManifest(SCHEMA_VERSION, PRODUCTION_NAME, seed, tuple(files))
    (dest / TRUTH_FILE_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _page_seed(seed: int, file_name: str, page_number: int) -> int:
    # Python's hash() is salted per process; a digest keeps scans identical across runs.
    digest = hashlib.sha256(f"{seed}:{file_name}:{page_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _write_record(dest: Path, record: Record, bates: list[str], seed: int) -> SampleFile:
    count = len(record.pages)
    laid = [lay_out_page(record, spec, n, count, bates[n - 1]) for n, spec in enumerate(record.pages, start=1)]
    buf = io.BytesIO()
    canvas = new_canvas(buf, record.title, record.agency)
    pages: list[SamplePage] = []
    for number, page in enumerate(laid, start=1):
        rotation, dpi = 0.0, None
        if page.spec.kind == "scanned":
            page_scan = scan(page.ops, _page_seed(seed, record.file_name, number))
            draw_scan(canvas, page_scan)
            rotation, dpi = page_scan.rotation_degrees, page_scan.dpi
        else:
            draw_ops(canvas, page.ops)
        canvas.showPage()
        pages.append(_page_truth(page, number, bates[number - 1], rotation, dpi))
    canvas.save()
    data = buf.getvalue()
    (dest / record.file_name).write_bytes(data)

    date_line, date_iso = _document_date(record, laid[0])
    kinds = tuple(p.kind for p in pages)
    return SampleFile(
        file_name=record.file_name,
        title=record.title,
        kind=kinds[0] if len(set(kinds)) == 1 else "mixed",
        page_kinds=kinds,
        page_count=count,
        agency=record.agency,
        document_date=date_iso,
        document_date_source=record.date_source,
        document_date_line=date_line,
        bates_begin=bates[0],
        bates_end=bates[-1],
        release_group=record.release_group,
        release=record.release,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(pages),
    )


def _document_date(record: Record, first_page: LaidOutPage) -> tuple[str, str]:
    for line in first_page.lines:
        if line.text.startswith(record.date_prefix) and line.dates:
            return line.text, line.dates[0]
    raise ValueError(f"{record.file_name}: no {record.date_prefix!r} line with a date on page 1")


def _page_truth(page: LaidOutPage, number: int, bates: str, rotation: float, dpi: int | None) -> SamplePage:
    text = "\n".join(line.text for line in page.lines if line.text)
    scanned = page.spec.kind == "scanned"
    layer = None if scanned else "\n".join(line.layer_text for line in page.lines if line.layer_text)
    return SamplePage(
        number=number,
        kind=page.spec.kind,
        width=PAGE_WIDTH,
        height=PAGE_HEIGHT,
        text=text,
        text_layer=layer,
        bates=bates,
        exemptions=tuple(dict.fromkeys(c for line in page.lines for c in line.codes)),
        redactions=tuple(page.redactions),
        entities=entities_in(text),
        dates=tuple(dict.fromkeys(d for line in page.lines for d in line.dates)),
        failed_redaction=page.spec.failed_redaction,
        rotation_degrees=rotation,
        dpi=dpi,
    )
