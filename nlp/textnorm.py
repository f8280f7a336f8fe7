"""Layout text -> matching text, with a map back to the original offsets.

pdftotext -layout and OCR break names across lines, pad columns with runs of spaces and hyphenate words
at line ends. spaCy turns every extra whitespace run into a token of its own, which would split a name
such as "Chicago Police\\n   Department" and defeat phrase matching. So the pipeline reads a copy where
each whitespace run is one space and a soft line-end hyphen is removed, and maps every offset back.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_WS_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class NormalizedText:
    text: str
    origin: tuple[int, ...]  # origin[i] = index in the original text of normalized character i
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized [start, end) span to the original text."""
        if end <= start:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """Map an original [start, end) span to the normalized text (the inverse of to_original)."""
        return bisect.bisect_left(self.origin, start), bisect.bisect_left(self.origin, end)


# Some exports turn the apostrophe of a possessive into "¿" ("Pfizer¿s"); the tokenizer would then keep the
# name glued to it. One character for one, so offsets stay as they are.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])\u00bf(?=s\b)")


def normalize(text: str) -> NormalizedText:
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for match in _WS_RUN.finditer(text):
        ws_start, ws_end = match.span()
        chunk = text[pos:ws_start]
        run = match.group()
        next_char = text[ws_end] if ws_end < len(text) else ""
        if "\n" in run and chunk.endswith("-") and len(chunk) >= 2 and chunk[-2].isalpha() and next_char:
            if next_char.islower():
                # "Celle-\nbrite": a word hyphenated at the line end is one word.
                out.append(chunk[:-1])
                origin.extend(range(pos, ws_start - 1))
            else:
                # "Pen-\nLink": the hyphen is part of the name, only the break goes.
                out.append(chunk)
                origin.extend(range(pos, ws_start))
            pos = ws_end
            continue
        out.append(chunk)
        origin.extend(range(pos, ws_start))
        out.append(" ")
        origin.append(ws_start)
        pos = ws_end
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return NormalizedText(_LOST_APOSTROPHE.sub("'", "".join(out)), tuple(origin), len(text))


_LINE_BREAK = re.compile(r"\n[ \t]*")
# A line at least this long is wrapped prose: a name may run on to the next line.
PROSE_LINE = 50


def join_prose_lines(text: str) -> NormalizedText:
    """Layout text with each line break after a prose line (and the next line's indentation) made one
    space; short lines (letterheads, signature blocks, form fields, table cells) keep their breaks, so a
    name read from this text never runs from one field into the next."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if len(text[line_start : match.start()].strip()) < PROSE_LINE:
            continue
        out.append(text[pos : match.start()])
        origin.extend(range(pos, match.start()))
        out.append(" ")
        origin.append(match.start())
        pos = match.end()
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return NormalizedText("".join(out), tuple(origin), len(text))
