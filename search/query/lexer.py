"""Query text -> tokens. Bare words are checked here: every piece of syntax the language does not
support (escapes, boosts, `?` wildcards, bare ranges, punctuation that only means something to
another search engine) is a QuerySyntaxError with its position, never silently read as a word or
dropped into a match-all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from search.analysis import words
from search.fields import FIELDS, Fields
from search.query.ast import Node
from search.query.errors import QuerySyntaxError
from search.query.field_values import read_field_value
from search.query.fields import QUERY_FIELDS

MAX_DISTANCE = 100
MIN_PREFIX_CHARS = 2
MIN_FUZZY_CHARS = 3
MAX_FUZZY_DISTANCE = 2

Kind = Literal["LPAREN", "RPAREN", "AND", "OR", "NOT", "PHRASE", "WORD", "PREFIX", "FUZZY", "FIELD", "PROX", "EOF"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    pos: int
    text: str = ""
    number: int = 0  # slop of a phrase, distance of a PROX or a FUZZY word
    ordered: bool = False  # PROX: pre/N
    node: Node | None = None  # FIELD: the parsed field node


_PROX = re.compile(r"(?i)(w|pre|near|)/(\d+)$")
_PROX_UNSUPPORTED = re.compile(r"(?i)(w|pre|near|)/([a-z]+|)$")
_FIELD = re.compile(r"([A-Za-z_]+):")
_ALNUM = re.compile(r"[^\W_]")
_SLOP = re.compile(r"~(\d{1,6})")
_FUZZY = re.compile(r"(.*?)~(\d*)$", re.DOTALL)
_SPECIAL = frozenset('()"')
_FIELD_LIST = ", ".join(QUERY_FIELDS)
_QUOTE_HINT = 'to search the characters as text, put the words in quotes: "…"'
# Characters that are syntax in Lucene/dtSearch/Westlaw but not here: never read them as a word.
_UNSUPPORTED: dict[str, tuple[str, str]] = {
    "\\": ("backslash escapes are not supported", _QUOTE_HINT),
    "^": ("boosts (^) are not supported", "remove ^ and its number"),
    "?": ("? wildcards are not supported", f"use a trailing * (surveil*), or {_QUOTE_HINT}"),
    "[": ("ranges are written field:[start TO end]", "write date:[2018 TO 2019] or bates:[FBI-000117 TO FBI-000120]"),
    "]": ("ranges are written field:[start TO end]", "write date:[2018 TO 2019] or bates:[FBI-000117 TO FBI-000120]"),
    "{": ("exclusive ranges {…} are not supported", "ranges are inclusive: date:[2018 TO 2019]"),
    "}": ("exclusive ranges {…} are not supported", "ranges are inclusive: date:[2018 TO 2019]"),
    ":": ("':' needs a field name before it", f"write field:value with one of {_FIELD_LIST}, or {_QUOTE_HINT}"),
}


def has_alnum(text: str) -> bool:
    return _ALNUM.search(text) is not None


class Lexer:
    def __init__(self, text: str, fields: Fields = FIELDS) -> None:
        self.text = text
        self.fields = fields
        self.i = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        text = self.text
        while self.i < len(text):
            c = text[self.i]
            if c.isspace():
                self.i += 1
            elif c == "(":
                self.tokens.append(Token("LPAREN", self.i))
                self.i += 1
            elif c == ")":
                self.tokens.append(Token("RPAREN", self.i))
                self.i += 1
            elif c == '"':
                self._phrase()
            elif c == "-" and self.i + 1 < len(text) and not text[self.i + 1].isspace() and text[self.i + 1] != "-":
                # `-word` and `-(a OR b)` exclude, like NOT
                self.tokens.append(Token("NOT", self.i, "-"))
                self.i += 1
            else:
                self._word()
        if not self.tokens and text.strip():
            # Only punctuation: matching every page would be a silent misread.
            raise QuerySyntaxError(
                "nothing searchable in the query",
                len(text) - len(text.lstrip()),
                "add a word; punctuation alone matches nothing",
            )
        self.tokens.append(Token("EOF", len(text)))
        return self.tokens

    def _phrase(self) -> None:
        start = self.i
        end = self.text.find('"', start + 1)
        if end < 0:
            raise QuerySyntaxError("unterminated phrase", start, 'close the phrase with a second "')
        body = self.text[start + 1 : end]
        self.i = end + 1
        slop = 0
        if self.i < len(self.text) and self.text[self.i] == "~":
            m = _SLOP.match(self.text, self.i)
            if m is None:
                raise QuerySyntaxError("~ needs a number", self.i, 'write "face recognition"~5')
            slop = int(m.group(1))
            if slop > MAX_DISTANCE:
                raise QuerySyntaxError(f"proximity {slop} is too large", self.i + 1, f"use at most {MAX_DISTANCE}")
            self.i = m.end()
        self.tokens.append(Token("PHRASE", start, body, number=slop))

    def _read_bare(self) -> str:
        start = self.i
        while self.i < len(self.text) and not self.text[self.i].isspace() and self.text[self.i] not in _SPECIAL:
            self.i += 1
        return self.text[start : self.i]

    def _word(self) -> None:
        start = self.i
        text = self.text
        m = _FIELD.match(text, start)
        name = "" if m is None else m.group(1).lower()
        if m is not None and name in self.fields and self.fields[name].queryable:
            node, self.i = read_field_value(text, self.fields[name], m.end())
            self.tokens.append(Token("FIELD", start, m.group(0), node=node))
            return
        if m is not None and m.end() < len(text) and not text[m.end()].isspace() and len(m.group(1)) <= 20:
            raise QuerySyntaxError(
                f"unknown field '{m.group(1)}'",
                start,
                f'known fields: {", ".join(self.fields.queryable)}; to search the words, quote them: "{m.group(0)}…"',
            )
        word = self._read_bare()
        if not word:  # a lone special char never reaches here; defensive against loops
            self.i += 1
            return
        if word in ("AND", "&", "&&"):
            self.tokens.append(Token("AND", start, word))
        elif word in ("OR", "|", "||"):
            self.tokens.append(Token("OR", start, word))
        elif word == "NOT":
            self.tokens.append(Token("NOT", start, word))
        elif "/" in word and (pm := _PROX.match(word)) is not None:
            distance = int(pm.group(2)) if len(pm.group(2)) <= 6 else MAX_DISTANCE + 1
            if not 1 <= distance <= MAX_DISTANCE:
                raise QuerySyntaxError(
                    f"proximity distance {pm.group(2)} out of range", start, f"use 1 to {MAX_DISTANCE}"
                )
            ordered = pm.group(1).lower() == "pre"
            self.tokens.append(Token("PROX", start, word, number=distance, ordered=ordered))
        elif "/" in word and _PROX_UNSUPPORTED.match(word) is not None:
            raise QuerySyntaxError(
                f"unsupported connector '{word}'",
                start,
                "use w/N (either order) or pre/N (in order) with a number of words, e.g. w/10",
            )
        elif word.startswith("!") and len(word) > 1:
            raise QuerySyntaxError("'!' at the start of a word", start, "use NOT or -word to exclude a word")
        else:
            _reject_unsupported(word, start)
            if "~" in word:
                self._fuzzy(word, start)
            else:
                self._plain_word(word, start)

    def _fuzzy(self, word: str, start: int) -> None:
        m = _FUZZY.match(word)
        tilde = start + word.find("~")
        if m is None or "~" in m.group(1) or not m.group(2):
            raise QuerySyntaxError("~ after a word needs an edit distance", tilde, "write policy~1 or policy~2")
        stem, digits = m.group(1), m.group(2)
        if len(digits) > 1 or not 1 <= int(digits) <= MAX_FUZZY_DISTANCE:
            raise QuerySyntaxError(
                f"fuzzy distance {digits} out of range", tilde + 1, f"use 1 or {MAX_FUZZY_DISTANCE} edits: policy~1"
            )
        if stem.endswith(("*", "!")):
            raise QuerySyntaxError("a prefix cannot also be fuzzy", start, "use surveil* or surveillance~1, not both")
        ws = words(stem)
        if len(ws) != 1:
            raise QuerySyntaxError(
                "~N makes one word fuzzy",
                start,
                'write each word with its own ~N, or use "a phrase"~N for nearby words',
            )
        if len(ws[0]) < MIN_FUZZY_CHARS:
            raise QuerySyntaxError(
                "word too short to be fuzzy", start, f"give at least {MIN_FUZZY_CHARS} letters before ~N"
            )
        self.tokens.append(Token("FUZZY", start, stem, number=int(digits)))

    def _plain_word(self, word: str, start: int) -> None:
        stripped = word.rstrip("*!")
        is_prefix = stripped != word
        star = stripped.find("*")
        if star >= 0:
            raise QuerySyntaxError(
                "wildcards inside a word are not supported", start + star, "use a trailing * (surveil*)"
            )
        if not has_alnum(stripped):
            if is_prefix and stripped == "" and word.strip("!") != "":
                raise QuerySyntaxError("nothing before *", start, "write a word stem before *, e.g. surveil*")
            return  # punctuation alone ("&" aside) carries nothing searchable
        if is_prefix:
            if len(_ALNUM.findall(stripped)) < MIN_PREFIX_CHARS:
                raise QuerySyntaxError(
                    "prefix too short", start, f"give at least {MIN_PREFIX_CHARS} letters before * or !"
                )
            self.tokens.append(Token("PREFIX", start, stripped))
        else:
            self.tokens.append(Token("WORD", start, stripped))


def _reject_unsupported(word: str, start: int) -> None:
    for offset, c in enumerate(word):
        if c not in _UNSUPPORTED:
            continue
        if c == ":" and has_alnum(word[:offset]):
            continue  # `re:` or `10:30` is text; only a colon without a field name before it is syntax
        message, hint = _UNSUPPORTED[c]
        raise QuerySyntaxError(message, start + offset, hint)
