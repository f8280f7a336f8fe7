"""Our own query parser: user text -> a small tree (search.query.ast), never a backend query string.

Grammar (operators AND OR NOT are upper case; lower-case "and" is a word):

    query     := or_expr EOF
    or_expr   := and_expr (("OR" | "|" | "||") and_expr)*
    and_expr  := unary ((("AND" | "&" | "&&"))? unary)*          default operator AND
    unary     := ("NOT" | "-") unary | proximity
    proximity := primary (PROX primary)?                          PROX: w/N near/N /N pre/N
    primary   := "(" or_expr ")" | PHRASE ("~" N)? | FIELD ":" value | WORD ("*" | "!")?

Every failure is a QuerySyntaxError with a 0-based position; limits keep any input cheap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from search.query.ast import (
    And,
    DateRange,
    FieldValue,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Proximity,
    Span,
    SpanOr,
    Term,
)
from search.query.errors import QuerySyntaxError
from search.query.fields import KEYWORD_QUERY_FIELDS, QUERY_FIELDS, TEXT_QUERY_FIELDS

MAX_QUERY_LENGTH = 2000
MAX_LEAVES = 64
MAX_DEPTH = 16
MAX_DISTANCE = 100
MAX_PHRASE_WORDS = 32
MAX_SPAN_ALTERNATIVES = 16
MIN_PREFIX_CHARS = 2

Kind = Literal["LPAREN", "RPAREN", "AND", "OR", "NOT", "PHRASE", "WORD", "PREFIX", "FIELD", "PROX", "EOF"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    pos: int
    text: str = ""
    number: int = 0  # slop of a phrase, distance of a PROX
    ordered: bool = False  # PROX: pre/N
    node: Node | None = None  # FIELD: the parsed field node


_PROX = re.compile(r"(?i)(w|pre|near|)/(\d+)$")
_PROX_UNSUPPORTED = re.compile(r"(?i)(w|pre|near|)/([a-z]+|)$")
_FIELD = re.compile(r"([A-Za-z_]+):")
_ALNUM = re.compile(r"[^\W_]")
_YEAR = re.compile(r"\d{4}$")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPECIAL = frozenset('()"')
_FIELD_LIST = ", ".join(QUERY_FIELDS)


def _has_alnum(text: str) -> bool:
    return _ALNUM.search(text) is not None


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
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
            m = re.compile(r"~(\d{1,6})").match(self.text, self.i)
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
        if m is not None and m.group(1).lower() in QUERY_FIELDS:
            self.i = m.end()
            node = self._field_value(m.group(1).lower(), start)
            self.tokens.append(Token("FIELD", start, m.group(0), node=node))
            return
        if m is not None and m.end() < len(text) and not text[m.end()].isspace() and len(m.group(1)) <= 20:
            raise QuerySyntaxError(
                f"unknown field '{m.group(1)}'",
                start,
                f'known fields: {_FIELD_LIST}; to search the words, quote them: "{m.group(0)}…"',
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
            self._plain_word(word, start)

    def _plain_word(self, word: str, start: int) -> None:
        stripped = word.rstrip("*!")
        is_prefix = stripped != word
        star = stripped.find("*")
        if star >= 0:
            raise QuerySyntaxError(
                "wildcards inside a word are not supported", start + star, "use a trailing * (surveil*)"
            )
        if not _has_alnum(stripped):
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

    def _field_value(self, field: str, start: int) -> Node:
        text = self.text
        vpos = self.i
        if vpos >= len(text) or text[vpos].isspace() or text[vpos] == ")":
            raise QuerySyntaxError(f"{field}: needs a value", vpos, f"write {field}:value")
        if field in ("date", "year"):
            return self._date_value(field, vpos)
        if text[vpos] == '"':
            end = text.find('"', vpos + 1)
            if end < 0:
                raise QuerySyntaxError("unterminated quoted value", vpos, 'close the value with a second "')
            value = text[vpos + 1 : end]
            self.i = end + 1
            prefix = False
        else:
            value = self._balanced_value(field, vpos)
            prefix = value.endswith("*")
            value = value.rstrip("*")
        if not _has_alnum(value):
            raise QuerySyntaxError(f"{field}: value has no letters or digits", vpos, f"write {field}:value")
        if field in TEXT_QUERY_FIELDS:
            return FieldValue(field, value, prefix)
        assert field in KEYWORD_QUERY_FIELDS
        return FieldValue(field, value, prefix)

    def _balanced_value(self, field: str, vpos: int) -> str:
        """A bare value may hold balanced parentheses, so `exemption:(b)(7)(C)` is one value."""
        text = self.text
        depth = 0
        i = vpos
        while i < len(text) and not text[i].isspace() and text[i] != '"':
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        if depth:
            raise QuerySyntaxError(
                f"{field}: unbalanced parenthesis in value",
                vpos,
                f'quote the value ({field}:"…") or write {field}:a OR {field}:b',
            )
        self.i = i
        return text[vpos:i]

    def _date_value(self, field: str, vpos: int) -> Node:
        text = self.text
        if text[vpos] == "[":
            end = text.find("]", vpos)
            if end < 0:
                raise QuerySyntaxError("unterminated date range", vpos, "write date:[2018-01-01 TO 2019-06-30]")
            body = text[vpos + 1 : end]
            parts = body.split()
            if len(parts) != 3 or parts[1].upper() != "TO":
                raise QuerySyntaxError(
                    "a date range is [start TO end]", vpos, "write date:[2018-01-01 TO 2019-06-30]; * is open"
                )
            self.i = end + 1
            lo_pos = vpos + 1 + body.find(parts[0])
            hi_pos = vpos + 1 + body.rfind(parts[2])
            lo = None if parts[0] == "*" else _date_bounds(parts[0], lo_pos)[0]
            hi = None if parts[2] == "*" else _date_bounds(parts[2], hi_pos)[1]
            if lo is not None and hi is not None and lo > hi:
                raise QuerySyntaxError("date range ends before it starts", vpos, "swap the two dates")
            return DateRange(lo, hi)
        value = self._read_bare()
        if field == "year" and not _YEAR.match(value):
            raise QuerySyntaxError("year: needs four digits", vpos, "write year:2019")
        lo, hi = _date_bounds(value, vpos)
        return DateRange(lo, hi)


def _date_bounds(value: str, pos: int) -> tuple[dt.date, dt.date]:
    """First and last day covered by 2019, 2019-06 or 2019-06-30."""
    hint = "write 2019, 2019-06 or 2019-06-30"
    try:
        if _YEAR.match(value):
            y = int(value)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        if m := _MONTH.match(value):
            y, mo = int(m.group(1)), int(m.group(2))
            first = dt.date(y, mo, 1)
            nxt = dt.date(y + 1, 1, 1) if mo == 12 else dt.date(y, mo + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        if m := _DAY.match(value):
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d
    except ValueError:
        raise QuerySyntaxError(f"invalid date '{value}'", pos, hint) from None
    raise QuerySyntaxError(f"invalid date '{value}'", pos, hint)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.k = 0
        self.depth = 0
        self.leaves = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.k]

    def kind(self) -> Kind:
        # A method, not an attribute: mypy must not narrow it across next() calls.
        return self.tokens[self.k].kind

    def next(self) -> Token:
        t = self.tokens[self.k]
        self.k += 1
        return t

    def parse(self) -> Node:
        if self.kind() == "EOF":
            return MatchAll()
        node = self.or_expr()
        if self.kind() == "RPAREN":
            raise QuerySyntaxError("unbalanced )", self.tok.pos, "remove it or add a matching (")
        if self.kind() != "EOF":  # pragma: no cover - every token kind is consumed above
            raise QuerySyntaxError("unexpected input", self.tok.pos)
        return node

    def _enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError("query nested too deeply", pos, f"use at most {MAX_DEPTH} levels")

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.kind() == "OR":
            op = self.next()
            if self.kind() in ("EOF", "RPAREN", "OR", "AND"):
                raise QuerySyntaxError("OR needs something on its right", op.pos, "add a word after OR")
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(_flatten(children, Or)))

    def _starts_operand(self) -> bool:
        return self.kind() in ("LPAREN", "NOT", "PHRASE", "WORD", "PREFIX", "FIELD")

    def and_expr(self) -> Node:
        if self.kind() in ("AND", "OR"):
            raise QuerySyntaxError(f"{self.tok.text} needs something on its left", self.tok.pos, "add a word before it")
        if self.kind() == "PROX":
            raise QuerySyntaxError(f"{self.tok.text} needs something on its left", self.tok.pos, "write a w/5 b")
        if self.kind() == "RPAREN":
            raise QuerySyntaxError("empty parentheses or unbalanced )", self.tok.pos, "put a word inside ( )")
        if self.kind() == "EOF":
            raise QuerySyntaxError("query ends too early", self.tok.pos, "add a word")
        children = [self.unary()]
        while True:
            if self.kind() == "AND":
                op = self.next()
                if not self._starts_operand():
                    raise QuerySyntaxError("AND needs something on its right", op.pos, "add a word after AND")
                children.append(self.unary())
            elif self._starts_operand():
                children.append(self.unary())
            elif self.kind() == "PROX":
                raise QuerySyntaxError(
                    "proximity connectors cannot be chained",
                    self.tok.pos,
                    "join two proximity searches with AND: (a w/5 b) AND (b w/5 c)",
                )
            else:
                break
        return children[0] if len(children) == 1 else And(tuple(_flatten(children, And)))

    def unary(self) -> Node:
        if self.kind() == "NOT":
            op = self.next()
            if not self._starts_operand():
                raise QuerySyntaxError("NOT needs something on its right", op.pos, "add a word after NOT")
            self._enter(op.pos)
            child = self.unary()
            self.depth -= 1
            return child.child if isinstance(child, Not) else Not(child)
        return self.proximity()

    def proximity(self) -> Node:
        left_pos = self.tok.pos
        left = self.primary()
        if self.kind() != "PROX":
            return left
        op = self.next()
        right_pos = self.tok.pos
        if self.kind() in ("EOF", "RPAREN", "AND", "OR", "PROX"):
            raise QuerySyntaxError(f"{op.text} needs something on its right", op.pos, "write a w/5 b")
        if self.kind() == "NOT":
            raise QuerySyntaxError(f"NOT cannot be an operand of {op.text}", self.tok.pos, "move NOT outside")
        right = self.primary()
        return Proximity(_as_span(left, left_pos, op.text), _as_span(right, right_pos, op.text), op.number, op.ordered)

    def _leaf(self, pos: int) -> None:
        self.leaves += 1
        if self.leaves > MAX_LEAVES:
            raise QuerySyntaxError("too many search terms", pos, f"use at most {MAX_LEAVES} terms")

    def primary(self) -> Node:
        t = self.next()
        if t.kind == "LPAREN":
            self._enter(t.pos)
            if self.kind() == "RPAREN":
                raise QuerySyntaxError("empty parentheses", t.pos, "put a word inside ( )")
            node = self.or_expr()
            if self.kind() != "RPAREN":
                raise QuerySyntaxError("missing )", t.pos, "close the parenthesis opened here")
            self.next()
            self.depth -= 1
            return node
        if t.kind == "PHRASE":
            self._leaf(t.pos)
            words = [w for w in t.text.split() if _has_alnum(w)]
            if not words:
                raise QuerySyntaxError("empty phrase", t.pos, "put words between the quotes")
            if len(words) > MAX_PHRASE_WORDS:
                raise QuerySyntaxError("phrase too long", t.pos, f"use at most {MAX_PHRASE_WORDS} words")
            return Phrase(" ".join(words), t.number)
        if t.kind == "WORD":
            self._leaf(t.pos)
            return Term(t.text)
        if t.kind == "PREFIX":
            self._leaf(t.pos)
            return Prefix(t.text)
        if t.kind == "FIELD":
            self._leaf(t.pos)
            assert t.node is not None
            return t.node
        if t.kind == "RPAREN":
            raise QuerySyntaxError("unbalanced )", t.pos, "remove it or add a matching (")
        if t.kind == "EOF":
            raise QuerySyntaxError("query ends too early", t.pos, "add a word")
        raise QuerySyntaxError(f"unexpected {t.text or t.kind}", t.pos, "put a word before it")


def _as_span(node: Node, pos: int, op: str) -> Span:
    if isinstance(node, Phrase) and node.slop:
        raise QuerySyntaxError(f'a "phrase"~N cannot be an operand of {op}', pos, "drop the ~N")
    if isinstance(node, Term | Prefix | Phrase):
        return node
    if isinstance(node, Or) and all(
        isinstance(c, Term | Prefix) or (isinstance(c, Phrase) and not c.slop) for c in node.children
    ):
        if len(node.children) > MAX_SPAN_ALTERNATIVES:
            raise QuerySyntaxError(f"too many alternatives around {op}", pos, f"use at most {MAX_SPAN_ALTERNATIVES}")
        return SpanOr(tuple(c for c in node.children if isinstance(c, Term | Prefix | Phrase)))
    raise QuerySyntaxError(
        f"{op} joins words, phrases or (a OR b) groups",
        pos,
        "field filters, AND and NOT go outside the proximity: (a w/5 b) AND vendor:x",
    )


def _flatten(children: list[Node], kind: type[And] | type[Or]) -> list[Node]:
    out: list[Node] = []
    for c in children:
        if isinstance(c, kind):
            out.extend(c.children)
        else:
            out.append(c)
    return out


def parse_query(text: str) -> Node:
    """Parse user query text into a tree; raises only QuerySyntaxError."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("query too long", MAX_QUERY_LENGTH, f"use at most {MAX_QUERY_LENGTH} characters")
    return _Parser(_Lexer(text).run()).parse()
