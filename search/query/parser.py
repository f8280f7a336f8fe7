"""Our own query parser: user text -> a small tree (search.query.ast), never a backend query string.

Grammar (operators AND OR NOT are upper case; lower-case "and" is a word):

    query     := or_expr EOF
    or_expr   := and_expr (("OR" | "|" | "||") and_expr)*
    and_expr  := unary ((("AND" | "&" | "&&"))? unary)*          default operator AND
    unary     := ("NOT" | "-") unary | proximity
    proximity := primary (PROX primary)?                          PROX: w/N near/N /N pre/N
    primary   := "(" or_expr ")" | PHRASE ("~" N)? | FIELD ":" value | WORD ("*" | "!" | "~" N)?

Tokens come from search.query.lexer, field values from search.query.field_values. Every failure is a
QuerySyntaxError with a 0-based position; limits keep any input cheap.
"""

from __future__ import annotations

from search.fields import FIELDS, Fields
from search.query.ast import (
    And,
    Fuzzy,
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
from search.query.lexer import MAX_DISTANCE, Kind, Lexer, Token, has_alnum

__all__ = ["MAX_DEPTH", "MAX_DISTANCE", "MAX_LEAVES", "MAX_QUERY_LENGTH", "parse_query"]

MAX_QUERY_LENGTH = 2000
MAX_LEAVES = 64
MAX_DEPTH = 16
MAX_PHRASE_WORDS = 32
MAX_SPAN_ALTERNATIVES = 16


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
        return self.kind() in ("LPAREN", "NOT", "PHRASE", "WORD", "PREFIX", "FUZZY", "FIELD")

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
            words = [w for w in t.text.split() if has_alnum(w)]
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
        if t.kind == "FUZZY":
            self._leaf(t.pos)
            return Fuzzy(t.text, t.number)
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
    if isinstance(node, Fuzzy) or (isinstance(node, Or) and any(isinstance(c, Fuzzy) for c in node.children)):
        raise QuerySyntaxError(
            f"a fuzzy word~N cannot be an operand of {op}", pos, "drop the ~N, or write (a~1 AND b) for both words"
        )
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


def parse_query(text: str, fields: Fields = FIELDS) -> Node:
    """Parse user query text into a tree (`field:value` for the registry's query fields); raises only
    QuerySyntaxError."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError("query too long", MAX_QUERY_LENGTH, f"use at most {MAX_QUERY_LENGTH} characters")
    return _Parser(Lexer(text, fields).run()).parse()
