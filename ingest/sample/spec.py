"""How a sample record is written down: pages of blocks whose text uses `markup`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    kind: str  # line | para | row | gap | rule
    text: str = ""
    cells: tuple[tuple[float, str], ...] = ()  # row: (offset from the left margin in points, text)
    align: str = "left"  # line: left | center | right
    bold: bool = False
    size: float | None = None  # None: the record's body size
    indent: float = 0.0
    points: float = 0.0  # gap: vertical space


def line(text: str, *, align: str = "left", bold: bool = False, size: float | None = None, indent: float = 0) -> Block:
    return Block("line", text, align=align, bold=bold, size=size, indent=indent)


def para(text: str, *, indent: float = 0) -> Block:
    """A paragraph, wrapped to the text width and followed by a half-line of space."""
    return Block("para", text, indent=indent)


def row(*cells: tuple[float, str], bold: bool = False) -> Block:
    return Block("row", cells=cells, bold=bold)


def gap(points: float = 8) -> Block:
    return Block("gap", points=points)


def rule() -> Block:
    return Block("rule")


def redact(codes: str, hidden: str) -> str:
    """Markup for words hidden under a box stamped with `codes` ("b6,b7C")."""
    return f"[[{codes}:{hidden}]]"


@dataclass(frozen=True)
class PageSpec:
    kind: str  # born-digital | scanned
    blocks: tuple[Block, ...]
    # Born-digital only: boxes are drawn over text that stays in the text layer.
    failed_redaction: bool = False


def page(*blocks: Block, scanned: bool = False, failed_redaction: bool = False) -> PageSpec:
    return PageSpec("scanned" if scanned else "born-digital", blocks, failed_redaction)


@dataclass(frozen=True)
class Record:
    file_name: str
    title: str
    agency: str  # entity id
    bates_series: str  # key into production.BATES_SERIES
    pages: tuple[PageSpec, ...]
    date_source: str  # "text:memo_date" | "text:email_sent" | "text:letter_date" | ...
    date_prefix: str  # page 1 line that states the document date starts with this
    font: str = "Courier"  # a standard PDF font: Courier | Times-Roman | Helvetica
    size: float = 11.0
    label_format: str = "paren"  # paren "(b)(6)" | ex "Ex. 6" | short "b6"
    label_position: str = "after"  # after | inside | margin
    banner: str | None = None  # printed at the top and bottom of every page
    page_labels: bool = False  # "Page 1 of 3" in the footer
    release_group: str | None = None
    release: int = 1
