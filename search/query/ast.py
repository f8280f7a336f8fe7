"""The query tree: a small, engine-neutral shape that every compiler walks.

Text nodes keep the user's raw words; analysis (lowercasing, stemming) is the compilers' job so that
each engine can apply its own analyzer the same way it did at index time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every page."""


@dataclass(frozen=True)
class Term:
    """A bare word. Several tokens after analysis ("FBI-000123") are searched as a phrase."""

    text: str


@dataclass(frozen=True)
class Prefix:
    """`surveil*` or the root expander `surveil!`: words starting with `text`."""

    text: str


@dataclass(frozen=True)
class Fuzzy:
    """`policy~1`, `policy~2`: words of the text within `distance` single-character edits
    (Levenshtein: insert, delete, substitute) of the word's index form."""

    text: str
    distance: int


@dataclass(frozen=True)
class Phrase:
    """`"face recognition"` (slop 0) or `"face recognition"~5`: words in order, at most `slop` extra
    words inserted in total."""

    text: str
    slop: int = 0


@dataclass(frozen=True)
class FieldValue:
    """`vendor:cellebrite`, `exemption:"(b)(6)"`, `bates:FBI-0001*` (prefix=True); `title:` is text."""

    field: str
    value: str
    prefix: bool = False


@dataclass(frozen=True)
class KeyLookup:
    """Resolved keyword terms: any of `keys` (or a term starting with one, when `prefix`) in `column`.
    Made by search.query.scoped from `file:`, `title:` and `production:` for the reader's scope; it
    never scores, so name terms of other matters cannot shift a reader's ranking either."""

    column: str
    keys: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class DateRange:
    """`date:2019`, `date:2019-06`, `date:[2018-01-01 TO 2019-06-30]`; bounds inclusive, None = open."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class BatesRange:
    """`bates:[FBI-000117 TO FBI-000120]`: pages stamped with a Bates number of one `series` (the
    key of the prefix, search.query.bates) whose number lies in [start, end]; None = open."""

    series: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class SpanOr:
    """`(amazon OR microsoft)` used as an operand of a proximity operator."""

    children: tuple[Span, ...]


Span = Term | Prefix | Phrase | SpanOr


@dataclass(frozen=True)
class Proximity:
    """`a w/N b` (either order, ordered=False) and `a pre/N b` (a before b): the two operands are at
    most N words apart, i.e. at most N-1 words between them."""

    left: Span
    right: Span
    distance: int
    ordered: bool


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = (
    MatchAll
    | Term
    | Prefix
    | Fuzzy
    | Phrase
    | FieldValue
    | KeyLookup
    | DateRange
    | BatesRange
    | Proximity
    | And
    | Or
    | Not
    | SpanOr
)


def positive_text_leaves(node: Node) -> list[Term | Prefix | Phrase]:
    """Text leaves that can make a page match (not under NOT): what snippets should highlight."""
    out: list[Term | Prefix | Phrase] = []

    def walk(n: Node) -> None:
        if isinstance(n, Term | Prefix | Phrase):
            out.append(n)
        elif isinstance(n, And | Or | SpanOr):
            for c in n.children:
                walk(c)
        elif isinstance(n, Proximity):
            walk(n.left)
            walk(n.right)

    walk(node)
    return out


def has_text_terms(node: Node) -> bool:
    """Whether any word, phrase or prefix (page text or title) can score a match; a query without
    them (match-all, keyword fields, dates) ranks every match the same."""

    def walk(n: Node) -> bool:
        if isinstance(n, Term | Prefix | Fuzzy | Phrase | Proximity):
            return True
        if isinstance(n, And | Or | SpanOr):
            return any(walk(c) for c in n.children)
        if isinstance(n, Not):
            return False
        return False

    return walk(node)
