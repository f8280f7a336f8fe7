"""Places a record's blocks on letter-size pages: drawing operations plus the truth they produce.

Layout is done once, in points, and both outputs (the born-digital PDF and the page image that becomes a
scan) are drawn from the same operations, so the truth holds for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reportlab.pdfbase.pdfmetrics import stringWidth

from ingest.sample.markup import Atom, code_label, parse
from ingest.sample.model import RedactionBox
from ingest.sample.spec import Block, PageSpec, Record

PAGE_WIDTH = 612.0
PAGE_HEIGHT = 792.0
MARGIN = 72.0
STAMP_FONT = "Helvetica-Bold"
BATES_FONT = "Helvetica-Bold"


@dataclass(frozen=True)
class TextOp:
    x: float
    baseline: float  # from the top of the page
    text: str
    font: str
    size: float
    white: bool = False


@dataclass(frozen=True)
class BoxOp:
    x0: float
    y0: float  # top
    x1: float
    y1: float  # bottom


@dataclass(frozen=True)
class RuleOp:
    x0: float
    x1: float
    y: float


Op = TextOp | BoxOp | RuleOp


@dataclass
class LaidOutLine:
    visible: list[str] = field(default_factory=list)  # pieces a reader sees, in order
    layer: list[str] = field(default_factory=list)  # pieces in the text layer, in order
    dates: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.visible).split())

    @property
    def layer_text(self) -> str:
        return " ".join(" ".join(self.layer).split())


@dataclass
class LaidOutPage:
    spec: PageSpec
    ops: list[Op] = field(default_factory=list)
    lines: list[LaidOutLine] = field(default_factory=list)
    redactions: list[RedactionBox] = field(default_factory=list)


def _font(record: Record, bold: bool) -> str:
    if not bold:
        return record.font
    return {"Courier": "Courier-Bold", "Times-Roman": "Times-Bold", "Helvetica": "Helvetica-Bold"}[record.font]


class _Writer:
    """Lays atoms out on one baseline, emitting ops, truth pieces and redaction boxes."""

    def __init__(self, record: Record, page: LaidOutPage, page_number: int, emit: bool) -> None:
        self.record = record
        self.page = page
        self.page_number = page_number
        self.emit = emit

    def atoms(self, atoms: list[Atom], x: float, baseline: float, font: str, size: float, out: LaidOutLine) -> float:
        """Lays out `atoms` starting at `x`; returns the x where they end."""
        buffer = ""
        start = x
        margin_codes: list[str] = []

        def flush() -> None:
            nonlocal buffer
            if buffer:
                if self.emit:
                    self.page.ops.append(TextOp(start, baseline, buffer, font, size))
                out.visible.append(buffer)
                out.layer.append(buffer)
            buffer = ""

        for i, atom in enumerate(atoms):
            sep = " " if atom.space_before and i > 0 else ""
            if atom.kind == "redaction":
                flush()
                x += stringWidth(sep, font, size)
                x = self._redaction(atom, x, baseline, font, size, out, margin_codes)
                start = x
                continue
            # Standard-font widths are additive (no kerning), so measuring piecewise is exact.
            x += stringWidth(sep, font, size)
            if not buffer:
                start, buffer = x, atom.text
            else:
                buffer += sep + atom.text
            x += stringWidth(atom.text, font, size)
            if atom.kind == "date" and atom.iso:
                out.dates.append(atom.iso)
            if atom.kind == "cite":
                out.codes.extend(atom.codes)
        flush()
        if margin_codes:
            label = ", ".join(code_label(c, self.record.label_format) for c in dict.fromkeys(margin_codes))
            if self.emit:
                self.page.ops.append(TextOp(PAGE_WIDTH - MARGIN + 10, baseline, label, STAMP_FONT, 8))
            out.visible.append(label)
            out.layer.append(label)
        return x

    def _redaction(
        self,
        atom: Atom,
        x: float,
        baseline: float,
        font: str,
        size: float,
        out: LaidOutLine,
        margin_codes: list[str],
    ) -> float:
        record = self.record
        label = ", ".join(code_label(c, record.label_format) for c in atom.codes)
        position = record.label_position if atom.stamped else "none"
        label_size = size - 2
        width = stringWidth(atom.text, font, size) + 2
        if position == "inside":
            width = max(width, stringWidth(label, STAMP_FONT, label_size) + 6)
        box = BoxOp(x, baseline - size * 0.8, x + width, baseline + size * 0.28)
        failed = self.page.spec.failed_redaction
        if self.emit:
            if failed:
                # The classic mistake: the box is only drawn on top of text that is still there.
                self.page.ops.append(TextOp(x + 1, baseline, atom.text, font, size))
            self.page.ops.append(box)
            self.page.redactions.append(
                RedactionBox(
                    page=self.page_number,
                    x0=round(box.x0, 2),
                    y0=round(box.y0, 2),
                    x1=round(box.x1, 2),
                    y1=round(box.y1, 2),
                    codes=atom.codes,
                    label="" if position in ("margin", "none") else label,
                    label_position=position,
                    leaked_text=atom.text if failed else None,
                )
            )
        if failed:
            out.layer.append(atom.text)
        out.codes.extend(atom.codes)
        x = box.x1
        if position == "inside":
            if self.emit:
                lw = stringWidth(label, STAMP_FONT, label_size)
                self.page.ops.append(
                    TextOp(box.x0 + (width - lw) / 2, baseline - 0.5, label, STAMP_FONT, label_size, white=True)
                )
            out.visible.append(label)
            out.layer.append(label)
        elif position == "after":
            x += stringWidth(" ", font, size)
            if self.emit:
                self.page.ops.append(TextOp(x, baseline, label, STAMP_FONT, label_size))
            out.visible.append(label)
            out.layer.append(label)
            x += stringWidth(label, STAMP_FONT, label_size)
        elif position == "margin":
            margin_codes.extend(atom.codes)
        return x


def _groups(atoms: list[Atom]) -> list[list[Atom]]:
    """Atoms glued without a space (a mark and its punctuation) wrap together."""
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups and not atom.space_before:
            groups[-1].append(atom)
        else:
            groups.append([atom])
    return groups


def _wrap(record: Record, atoms: list[Atom], width: float, font: str, size: float) -> list[list[Atom]]:
    measure = _Writer(record, LaidOutPage(PageSpec("born-digital", ())), 0, emit=False)

    def fits(candidate: list[Atom]) -> bool:
        return measure.atoms(candidate, 0, 0, font, size, LaidOutLine()) <= width

    lines: list[list[Atom]] = []
    current: list[Atom] = []
    pending = _groups(atoms)
    while pending:
        group = pending.pop(0)
        fits_here = fits(current + group) if current else fits(group) or not _splittable(group)
        if fits_here:
            current = current + group
            continue
        if _splittable(group):
            head, tail = _split_redaction(group[0], current, fits)
            if head is not None:
                lines.append([*current, head])
                current = []
                pending.insert(0, [tail, *group[1:]])
                continue
        if not current:  # a single word wider than the line: let it overflow, layout will refuse it
            current = group
            continue
        lines.append(current)
        current = [replace(group[0], space_before=False), *group[1:]]
    if current:
        lines.append(current)
    return lines


def _splittable(group: list[Atom]) -> bool:
    return group[0].kind == "redaction" and " " in group[0].text


def _split_redaction(atom: Atom, current: list[Atom], fits: Callable[[list[Atom]], bool]) -> tuple[Atom | None, Atom]:
    """The longest run of the hidden words that still fits on the current line, and the rest."""
    words = atom.text.split(" ")
    for k in range(len(words) - 1, 0, -1):
        head = replace(atom, text=" ".join(words[:k]), stamped=False)
        if fits([*current, head]):
            return head, replace(atom, text=" ".join(words[k:]), space_before=False)
    return None, atom


def lay_out_page(record: Record, spec: PageSpec, page_number: int, page_count: int, bates: str) -> LaidOutPage:
    page = LaidOutPage(spec)
    writer = _Writer(record, page, page_number, emit=True)
    size = record.size
    leading = size * 1.3
    y = MARGIN
    text_width = PAGE_WIDTH - 2 * MARGIN

    def centered(text: str, baseline: float, font: str, font_size: float) -> None:
        out = LaidOutLine()
        x = (PAGE_WIDTH - stringWidth(text, font, font_size)) / 2
        writer.atoms(parse(text), x, baseline, font, font_size, out)
        page.lines.append(out)

    if record.banner:
        centered(record.banner, 44, "Helvetica-Bold", 9)

    for block in spec.blocks:
        font = _font(record, block.bold)
        block_size = block.size or size
        if block.kind == "gap":
            y += block.points
        elif block.kind == "rule":
            page.ops.append(RuleOp(MARGIN, PAGE_WIDTH - MARGIN, y + block_size * 0.6))
            y += leading * 0.7
        elif block.kind == "line":
            y = _line(writer, page, block, y, font, block_size, text_width)
        elif block.kind == "para":
            for atoms in _wrap(record, parse(block.text), text_width - block.indent, font, block_size):
                y += block_size * 1.3
                out = LaidOutLine()
                end = writer.atoms(atoms, MARGIN + block.indent, y, font, block_size, out)
                if end > PAGE_WIDTH - MARGIN + 0.01:
                    raise ValueError(f"{record.file_name} page {page_number}: line too long: {out.text!r}")
                page.lines.append(out)
            y += leading * 0.5
        elif block.kind == "row":
            y += leading
            out = LaidOutLine()
            for offset, text in block.cells:
                writer.atoms(parse(text), MARGIN + offset, y, font, block_size, out)
            page.lines.append(out)
        else:
            raise ValueError(f"unknown block kind: {block.kind!r}")
    if y > PAGE_HEIGHT - MARGIN:
        raise ValueError(f"{record.file_name} page {page_number} overflows ({y:.0f} pt)")

    if record.banner:
        centered(record.banner, PAGE_HEIGHT - 44, "Helvetica-Bold", 9)
    if record.page_labels:
        centered(f"Page {page_number} of {page_count}", PAGE_HEIGHT - 26, "Helvetica", 9)
    out = LaidOutLine()
    writer.atoms(
        parse(bates),
        PAGE_WIDTH - MARGIN + 30 - stringWidth(bates, BATES_FONT, 10),
        PAGE_HEIGHT - 26,
        BATES_FONT,
        10,
        out,
    )
    page.lines.append(out)
    return page


def _line(writer: _Writer, page: LaidOutPage, block: Block, y: float, font: str, size: float, width: float) -> float:
    atoms = parse(block.text)
    y += size * 1.3
    probe = _Writer(writer.record, LaidOutPage(page.spec), 0, emit=False)
    natural = probe.atoms(atoms, 0, 0, font, size, LaidOutLine())
    if natural > width - block.indent:
        raise ValueError(f"{writer.record.file_name}: line too long: {block.text!r}")
    x = MARGIN + block.indent
    if block.align == "center":
        x = (PAGE_WIDTH - natural) / 2
    elif block.align == "right":
        x = PAGE_WIDTH - MARGIN - natural
    out = LaidOutLine()
    writer.atoms(atoms, x, y, font, size, out)
    page.lines.append(out)
    return y
