"""Payees of a check register or ledger: one row per payment, "date  check-no  payee  memo  amount".

The statistical model rarely tags a payee in such a row ("Jiffy Lube", "Bill's Automotive"), yet every one
is a vendor the agency paid. A page counts as a register when at least MIN_ROWS of its lines start with a
date and end with an amount; the payee is the run of words after the date (and check number) up to the
first word that holds a digit or opens a memo ("Inv", "Acct", "#", "(").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ROWS = 4
_ROW = re.compile(
    r"^[ \t]*(?P<date>\d{1,2}[/-]\d{1,2}[/-]\d{2,4})[ \t]+(?:(?P<check>[A-Z]?\d{2,10})[ \t]+)?"
    r"(?P<rest>.*?)[ \t]+\$?[ \t]?-?\d{1,3}(?:,\d{3})*\.\d\d[ \t]*$",
    re.MULTILINE,
)
# Words that open the memo column: the payee ends before them.
_MEMO_WORDS = frozenset(
    {"inv", "inv.", "invoice", "acct", "acct.", "account", "#", "unit", "ref", "ref.", "fy", "po", "p.o.", "order",
     "check", "re:", "memo", "per", "s/n"}
)  # fmt: skip
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Payee:
    name: str
    start: int
    end: int


def find_payees(text: str) -> list[Payee]:
    rows = list(_ROW.finditer(text))
    if len(rows) < MIN_ROWS:
        return []
    found: list[Payee] = []
    for row in rows:
        rest_start = row.start("rest")
        words: list[re.Match[str]] = []
        for w in _WORD.finditer(row.group("rest")):
            token = w.group()
            if words and w.start() - words[-1].end() > 1:
                break  # a column gap: the payee column has ended
            if any(ch.isdigit() for ch in token) or token.lower() in _MEMO_WORDS or token.startswith(("(", "#")):
                break
            words.append(w)
        # A payee has a letter-led first word; a row whose memo starts at once ("1505-2031") names none.
        if not words or not words[0].group()[0].isalpha():
            continue
        start = rest_start + words[0].start()
        end = rest_start + words[-1].end()
        name = text[start:end].rstrip(",.;:")
        if sum(ch.isalpha() for ch in name) >= 3:
            found.append(Payee(name, start, start + len(name)))
    return found
