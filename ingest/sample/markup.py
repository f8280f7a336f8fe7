"""The small markup the sample records are written in, parsed into atoms for layout.

Records are authored as plain strings so they read like the documents they imitate. Three marks carry
the ground truth, so that it is stated by the author rather than guessed back by a regex:

- ``{d:March 4, 2019}`` a date, recorded as its ISO form;
- ``{x:(b)(7)(E)}`` an exemption cited in the prose, recorded as its normalized code;
- ``[[b6,b7C:Jane Roe]]`` words hidden under a redaction box stamped with the given codes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MARK = re.compile(r"\{d:(?P<date>[^}]+)\}|\{x:(?P<cite>[^}]+)\}|\[\[(?P<codes>[^:\]]+):(?P<hidden>[^\]]+)\]\]")

# The only ways dates are written in the records; a date in any other form is an authoring error.
_DATE_FORMATS: tuple[str, ...] = (
    "%B %d, %Y",
    "%b. %d, %Y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%A, %B %d, %Y %I:%M %p",
    "%A, %B %d, %Y",
    "%B %Y",  # month precision: recorded as "YYYY-MM", still ISO 8601
)


@dataclass(frozen=True)
class Atom:
    """An unbreakable piece of a line."""

    text: str  # visible text; for a redaction, the hidden words
    space_before: bool
    kind: str = "word"  # word | date | cite | redaction
    iso: str | None = None  # for a date
    codes: tuple[str, ...] = ()  # for a citation or a redaction
    # A redaction split across lines is stamped once, after its last piece.
    stamped: bool = True


def parse_date(text: str) -> str:
    for fmt in _DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
            return parsed.isoformat()[:7] if fmt == "%B %Y" else parsed.isoformat()
        except ValueError:
            continue
    raise ValueError(f"date in an unsupported form: {text!r}")


_FEDERAL_CITE = re.compile(r"^\(b\)\((\d)\)(?:\(([A-F])\))?$")
_FEDERAL_SHORT = re.compile(r"^(?:b|Ex\. ?)(\d)([A-F])?$")
_FEDERAL_WORD = re.compile(r"^Exemption (\d)(?:\(([A-F])\))?$")
_STATE_CITE = re.compile(r"^(?:5 ILCS 140/)?(7\(1\)\([a-z]\))$")


def normalize_code(text: str) -> str:
    """ "(b)(7)(C)", "b7C", "Ex. 5" -> "b7C", "b5"; Illinois citations -> "IL 7(1)(c)"."""
    text = text.strip()
    for pattern in (_FEDERAL_CITE, _FEDERAL_SHORT, _FEDERAL_WORD):
        m = pattern.match(text)
        if m:
            return f"b{m.group(1)}{m.group(2) or ''}"
    m = _STATE_CITE.match(text)
    if m:
        return f"IL {m.group(1)}"
    raise ValueError(f"not an exemption code: {text!r}")


def code_label(code: str, style: str) -> str:
    """How a normalized code is stamped in a given house style."""
    if code.startswith("IL "):
        return code[3:]
    number, sub = code[1], code[2:]
    if style == "paren":
        return f"(b)({number})" + (f"({sub})" if sub else "")
    if style == "ex":
        return f"Ex. {number}{sub}"
    if style == "short":
        return code
    raise ValueError(f"unknown stamp style: {style!r}")


def parse(text: str) -> list[Atom]:
    atoms: list[Atom] = []
    pos = 0
    for m in _MARK.finditer(text):
        _plain(text[pos : m.start()], atoms)
        space_before = m.start() == 0 or text[m.start() - 1] == " "
        if m.group("date") is not None:
            raw = m.group("date")
            atoms.append(Atom(raw, space_before, "date", iso=parse_date(raw)))
        elif m.group("cite") is not None:
            raw = m.group("cite")
            atoms.append(Atom(raw, space_before, "cite", codes=(normalize_code(raw),)))
        else:
            codes = tuple(normalize_code(c) for c in m.group("codes").split(","))
            atoms.append(Atom(m.group("hidden"), space_before, "redaction", codes=codes))
        pos = m.end()
    _plain(text[pos:], atoms)
    return atoms


def _plain(text: str, atoms: list[Atom]) -> None:
    # Words keep their attachment to a neighbouring mark ("{d:...}." or "(see [[b5:x]])").
    for i, word in enumerate(text.split(" ")):
        if not word:
            continue
        atoms.append(Atom(word, space_before=i > 0 or not atoms or text.startswith(" ")))
