"""Ground truth of a generated sample production: the shape of `truth.json` and its loader.

Coordinates are PDF points with the origin at the top-left corner of the page (pdfplumber's
`x0, top, x1, bottom`), so tests can compare them with what pdfplumber reports without flipping.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

TRUTH_FILE_NAME = "truth.json"
SCHEMA_VERSION = 1

PAGE_KINDS: tuple[str, ...] = ("born-digital", "scanned")
FILE_KINDS: tuple[str, ...] = ("born-digital", "scanned", "mixed")


@dataclass(frozen=True)
class EntityRef:
    id: str  # "vendor:clearview_ai", the same id style as nlp's gazetteer
    type: str  # vendor | product | technology | agency
    name: str  # canonical name


@dataclass(frozen=True)
class RedactionBox:
    page: int  # 1-based page number in its file
    x0: float
    y0: float  # top edge, measured down from the top of the page
    x1: float
    y1: float  # bottom edge
    codes: tuple[str, ...]  # normalized exemption codes stamped for this box: "b6", "b7C", "IL 7(1)(c)"
    label: str  # the stamp as printed, "" when the codes are only in the margin
    # "after" (right of the box), "inside" (white on black), "margin" (right margin of the line),
    # "none" (a box continued on the next line carries the stamp there)
    label_position: str
    # A failed redaction: the box covers the words but they are still in the text layer.
    leaked_text: str | None = None


@dataclass(frozen=True)
class SamplePage:
    number: int  # 1-based
    kind: str  # one of PAGE_KINDS
    width: float  # points
    height: float
    text: str  # what a reader sees, one drawn line per text line; redacted words excluded
    # What a text-layer extractor should find: None for scanned pages (no text layer at all);
    # equal to `text` except on a failed-redaction page, where the covered words are still there.
    text_layer: str | None
    bates: str
    exemptions: tuple[str, ...]  # normalized codes visible on the page (stamps and citations in prose)
    redactions: tuple[RedactionBox, ...]
    entities: tuple[EntityRef, ...]  # mentioned in the visible text
    dates: tuple[str, ...]  # ISO dates written on the page, in reading order, without repeats
    failed_redaction: bool
    rotation_degrees: float  # scanned pages: counter-clockwise rotation applied to the image
    dpi: int | None  # scanned pages: resolution of the embedded image


@dataclass(frozen=True)
class SampleFile:
    file_name: str
    title: str
    kind: str  # one of FILE_KINDS
    page_kinds: tuple[str, ...]
    page_count: int
    agency: str  # entity id of the releasing agency
    document_date: str  # ISO
    document_date_source: str  # as nlp.types.DocumentDate.source: "text:memo_date", "text:email_sent", ...
    document_date_line: str  # the line of page 1 that states the date
    bates_begin: str
    bates_end: str
    # Near-duplicate re-releases share a release_group; release counts 1, 2, ... within the group.
    release_group: str | None
    release: int
    sha256: str
    pages: tuple[SamplePage, ...]

    @property
    def exemptions(self) -> tuple[str, ...]:
        return _union(p.exemptions for p in self.pages)

    @property
    def entity_ids(self) -> tuple[str, ...]:
        return _union(tuple(e.id for e in p.entities) for p in self.pages)


@dataclass(frozen=True)
class SampleManifest:
    schema_version: int
    production: str
    seed: int
    files: tuple[SampleFile, ...]

    def file(self, file_name: str) -> SampleFile:
        for f in self.files:
            if f.file_name == file_name:
                return f
        raise KeyError(file_name)

    @property
    def page_count(self) -> int:
        return sum(f.page_count for f in self.files)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def _union(groups: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            seen.setdefault(item, None)
    return tuple(seen)


def _box(d: dict[str, Any]) -> RedactionBox:
    return RedactionBox(**{**d, "codes": tuple(d["codes"])})


def _page(d: dict[str, Any]) -> SamplePage:
    return SamplePage(
        **{
            **d,
            "exemptions": tuple(d["exemptions"]),
            "redactions": tuple(_box(b) for b in d["redactions"]),
            "entities": tuple(EntityRef(**e) for e in d["entities"]),
            "dates": tuple(d["dates"]),
        }
    )


def _file(d: dict[str, Any]) -> SampleFile:
    return SampleFile(
        **{
            **d,
            "page_kinds": tuple(d["page_kinds"]),
            "pages": tuple(_page(p) for p in d["pages"]),
        }
    )


def manifest_from_dict(d: dict[str, Any]) -> SampleManifest:
    if d.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"unsupported truth.json schema_version: {d.get('schema_version')!r}")
    return SampleManifest(
        schema_version=d["schema_version"],
        production=d["production"],
        seed=d["seed"],
        files=tuple(_file(f) for f in d["files"]),
    )


def load_truth(path: Path) -> SampleManifest:
    """Read a truth.json (or the folder holding one) written by `write_sample_production`."""
    if path.is_dir():
        path = path / TRUTH_FILE_NAME
    return manifest_from_dict(json.loads(path.read_text(encoding="utf-8")))
