"""FOIA exemption codes as agencies stamp and cite them: federal (5 U.S.C. 552(b)) and state-level
(Illinois 5 ILCS 140/7, D.C. Official Code 2-534)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from nlp.types import ExemptionMention

# Illinois FOIA section 7(1)(a)-(z), with optional sub-item "(v)", and 7.5(a)-(zz).
_ILLINOIS = re.compile(
    r"(?<![\w(])(?:5\s*ILCS\s*140\s*/\s*)?"
    r"(?:7\s*\(\s*1\s*\)\s*\(\s*(?P<item>[a-z]{1,2})\s*\)(?:\s*\(\s*(?P<sub>[ivx]{1,4})\s*\))?"
    r"|7\.5\s*\(\s*(?P<item75>[a-z]{1,2})\s*\))",
    re.IGNORECASE,
)
# District of Columbia FOIA, D.C. Official Code § 2-534(a)(1)-(6).
_DC = re.compile(r"(?<![\w-])2-534\s*\(\s*a\s*\)\s*\(\s*(?P<item>[1-6])\s*\)(?:\s*\(\s*(?P<sub>[A-F])\s*\))?")
# "(b)(6)", "(b) (7) (C)", "b(6)", "552(b)(7)(c)": the parenthesised number is unambiguous.
# Only exemption 7 has lettered parts, so a letter group is read only right after a 7: in
# "(b) (6) (b) (6)" the second "(b" is the next stamp, not a part of the first.
_PAREN = re.compile(
    # A closing parenthesis may come out of OCR as "\\" or "|" ("(b\\(4)"), and the one after a 7 may be
    # lost before its letter ("(b)(7(C)").
    r"(?<![A-Za-z])\(?\s*[bB]\s*[)\\|]\s*\(\s*(?P<num>[1-9])\s*"
    r"(?:[)\\|](?:(?<=7[)\\|])\s*\(\s*(?P<sub>[A-Fa-f])\s*\))?|(?<=7)\(\s*(?P<subo>[A-Fa-f])\s*\))"
    r"|(?<![A-Za-z0-9])[bB]\s*\(\s*(?P<num2>[1-9])\s*\)(?:(?<=7\))\s*\(\s*(?P<sub2>[A-Fa-f])\s*\))?"
    r"|\(\s*[bB]\s*\)\s*(?P<num3>[1-9])(?:(?<=7)\s*\(?(?P<sub3>[A-F])\)?)?(?![0-9A-Za-z])"
    # A stamp printed white on black next to a redaction box often loses its "b" in OCR: "()(6)".
    r"|(?<![A-Za-z0-9])\(\s*\)\s*\(\s*(?P<num4>[1-9])\s*\)(?:(?<=7\))\s*\(\s*(?P<sub4>[A-Fa-f])\s*\))?"
)
# "Exemption 6", "Ex. 7(C)", "Exemptions 6 and 7C", "FOIA exemption b5".
_ITEM = r"(?:\(?\s*b\s*\)?\s*)?\(?[1-9]\)?(?:\s*\([A-Fa-f]\)|[A-F](?![A-Za-z]))?"
_WORDED = re.compile(
    rf"\b(?:Exemptions?|Exs?\.)\s*(?P<list>{_ITEM}(?:\s*(?:,|and|&|or|/)\s*{_ITEM})*)(?![\w(])",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"(?P<num>[1-9])\)?(?:\s*\((?P<sub>[A-Fa-f])\)|(?P<sub2>[A-F]))?")
# Compact stamp "b6", "B7C", "b7(C)"; ambiguous in running text, so it needs support (see _supported).
# Never part of an address or an identifier: "b6@agency.gov", "x.b6", "b6.example".
_COMPACT = re.compile(
    r"(?<![A-Za-z0-9\-/.#@=_])[bB](?P<num>[1-9])(?:(?P<sub>[A-Fa-f])|\((?P<sub2>[A-Fa-f])\))?"
    r"(?![A-Za-z0-9/@_]|\.[A-Za-z0-9])"
)
# An FBI margin stamp as OCR reads it with a character lost or doubled: "bE" (the 7 lost: only exemption 7
# has lettered parts, so a letter after "b" is a part of 7), "b7Cc" (the letter read twice). Read only on
# a stamp line of a page that carries other codes (see find_exemptions), never in running text.
_DAMAGED_STAMP = re.compile(
    r"(?<![A-Za-z0-9\-/.#@=_])[bB](?:(?P<lost>[C-F])|7(?P<twice>[C-F])(?i:(?P=twice)))(?![A-Za-z0-9/@_])"
)
# California Public Records Act exemptions as Government Code sections: 6254(f), 6254(k), 6255 (before
# 2023) and 7920.000-7931.000 (after); Washington's Public Records Act, RCW 42.56.xxx(n)(a).
_CALIFORNIA = re.compile(
    r"(?:Cal(?:ifornia|\.)?\s*)?Gov(?:ernment|'t|t\.?|\.)?\s*Code\s*(?:§§?|[Ss]ec(?:tions?|s?\.)?)?\s*"
    r"(?P<list>(?:62[5-7]\d(?:\.\d+)?|79[23]\d\.\d{3})(?:\s*\(\s*[a-z0-9]{1,2}\s*\))*"
    r"(?:\s*(?:,|and|or|&)\s*(?:§\s*)?(?:62[5-7]\d(?:\.\d+)?|79[23]\d\.\d{3})(?:\s*\(\s*[a-z0-9]{1,2}\s*\))*)*)"
)
_CA_ITEM = re.compile(r"(?P<sec>62[5-7]\d(?:\.\d+)?|79[23]\d\.\d{3})(?P<parts>(?:\s*\(\s*[a-z0-9]{1,2}\s*\))*)")
_WASHINGTON = re.compile(r"\bRCW\s*(?P<sec>42\.56\.\d{3})(?P<parts>(?:\s*\(\s*[a-z0-9]{1,2}\s*\))*)")
_KEYWORDS = re.compile(r"exempt|foia|foipa|withh[eo]ld|redact|552|privacy|deleted|excis|pursuant", re.IGNORECASE)
# What may stand beside codes on a stamp line: FBI counts "b6 -1", separators, stray OCR marks.
_STAMP_FILLER = re.compile(r"^[\s\-\u2013,;:.()\[\]|/&0-9]*$")


def _federal(num: str, sub: str | None) -> str:
    # Only exemption 7 has lettered parts; a letter after another number is not part of the code.
    if num == "7" and sub:
        return f"b7{sub.upper()}"
    return f"b{num}"


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


def _supported(text: str, match: re.Match[str], code_spans: list[tuple[int, int]]) -> bool:
    """A compact code counts on a stamp line, next to another code, or near words about exemptions."""
    start, end = match.span()
    line_start, line_end = _line_bounds(text, start, end)
    line = list(text[line_start:line_end])
    for s, e in code_spans:
        for i in range(max(s, line_start), min(e, line_end)):
            line[i - line_start] = " "
    if _STAMP_FILLER.match("".join(line)):
        return True
    # In layout text a margin stamp ends a body line after a wide gap: "...because it     b7E".
    after = "".join(line[end - line_start :])
    if text[max(line_start, start - 3) : start] == "   " and _STAMP_FILLER.match(after):
        return True
    for s, e in code_spans:
        if (s, e) == (start, end):
            continue
        gap = text[end:s] if s >= end else text[e:start] if e <= start else ""
        if (s >= end or e <= start) and len(gap) <= 4 and _STAMP_FILLER.match(gap):
            return True
    window = text[max(0, start - 80) : end + 80]
    return bool(_KEYWORDS.search(window))


def find_exemptions(text: str) -> list[ExemptionMention]:
    found: list[ExemptionMention] = []
    taken: list[tuple[int, int]] = []

    def add(code: str, kind: str, start: int, end: int) -> None:
        found.append(ExemptionMention(code, kind, start, end, text[start:end]))
        taken.append((start, end))

    for m in _ILLINOIS.finditer(text):
        if m.group("item75"):
            code = f"IL 7.5({m.group('item75').lower()})"
        else:
            code = f"IL 7(1)({m.group('item').lower()})"
            if m.group("sub"):
                code += f"({m.group('sub').lower()})"
        add(code, "state", *m.span())
    for m in _CALIFORNIA.finditer(text):
        list_start = m.start("list")
        for n, item in enumerate(_CA_ITEM.finditer(m.group("list"))):
            span = (m.start() if n == 0 else list_start + item.start(), list_start + item.end())
            add(f"CA {item.group('sec')}{_parts(item.group('parts'))}", "state", *span)
    for m in _WASHINGTON.finditer(text):
        add(f"WA {m.group('sec')}{_parts(m.group('parts'))}", "state", *m.span())
    for m in _DC.finditer(text):
        code = f"DC 2-534(a)({m.group('item')})" + (f"({m.group('sub')})" if m.group("sub") else "")
        add(code, "state", *m.span())
    for m in _PAREN.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        num = m.group("num") or m.group("num2") or m.group("num3") or m.group("num4")
        sub = m.group("sub") or m.group("subo") or m.group("sub2") or m.group("sub3") or m.group("sub4")
        add(_federal(num, sub), "federal", *m.span())
    for m in _WORDED.finditer(text):
        list_start = m.start("list")
        for n, item in enumerate(_LIST_ITEM.finditer(m.group("list"))):
            # The first code's span takes in the word "Exemption" so the mention reads as cited.
            span = (m.start() if n == 0 else list_start + item.start(), list_start + item.end())
            if not _overlaps(span, taken):
                add(_federal(item.group("num"), item.group("sub") or item.group("sub2")), "federal", *span)
    compact = [m for m in _COMPACT.finditer(text) if not _overlaps(m.span(), taken)]
    spans = [m.span() for m in compact] + taken
    for m in compact:
        if _supported(text, m, spans):
            add(_federal(m.group("num"), m.group("sub") or m.group("sub2")), "federal", *m.span())
    if found:
        # Damaged stamps only where the page is stamped (other codes found) and the line is a stamp line.
        for m in _DAMAGED_STAMP.finditer(text):
            # "b7Cc" (a 7 and a doubled letter) is distinctive enough to count at a line's end as well:
            # OCR glues a margin stamp to the body line beside it ("Date of entry 08/24/2017 b7Cc").
            at_line_end = bool(m.group("twice")) and _STAMP_FILLER.match(
                text[m.end() : _line_bounds(text, m.start(), m.end())[1]]
            )
            if not _overlaps(m.span(), taken) and (at_line_end or _on_stamp_line(text, m.start(), m.end(), taken)):
                add(f"b7{(m.group('lost') or m.group('twice')).upper()}", "federal", *m.span())
    found.sort(key=lambda x: x.start)
    return found


def _parts(raw: str) -> str:
    return "".join(f"({p})" for p in re.findall(r"\(\s*([a-z0-9]{1,2})\s*\)", raw))


def _on_stamp_line(text: str, start: int, end: int, code_spans: list[tuple[int, int]]) -> bool:
    """The rest of the line is other codes, counts or filler, or the stamp stands after a margin gap."""
    line_start, line_end = _line_bounds(text, start, end)
    line = list(text[line_start:line_end])
    for s, e in [*code_spans, (start, end)]:
        for i in range(max(s, line_start), min(e, line_end)):
            line[i - line_start] = " "
    rest = "".join(line)
    if _STAMP_FILLER.match(rest.replace("_", " ").replace("\u2014", " ")):
        return True
    return (
        text[max(line_start, start - 3) : start] == "   " and _STAMP_FILLER.match(rest[end - line_start :]) is not None
    )


def exemption_counts(mentions: Iterable[ExemptionMention]) -> dict[str, int]:
    """Normalized code -> number of times it is stamped or cited on the page."""
    return dict(Counter(m.code for m in mentions))


_FEDERAL_CODE = re.compile(r"b(?P<num>[0-9]+)(?P<sub>[A-F]?)")
_DIGITS = re.compile(r"([0-9]+)")
UNKNOWN_CODE = "unknown"  # a redaction box with no code tied to it


def code_order(code: str) -> tuple[int, tuple[int | str, ...]]:
    """The canonical order of exemption codes, the one every screen, export and endpoint lists them in:
    federal codes by exemption number then part (b5, b6, b7A, b7C, b7E), then other statutes' codes
    (state codes, by name with their numbers compared as numbers), then boxes without a code."""
    if code == UNKNOWN_CODE:
        return (2, ())
    if m := _FEDERAL_CODE.fullmatch(code):
        return (0, (int(m.group("num")), m.group("sub")))
    return (1, tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(code)))


def ordered_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """The distinct codes in the canonical order (code_order)."""
    return tuple(sorted(set(codes), key=code_order))
