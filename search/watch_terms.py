"""A watchlist's terms checked before they are kept: each must be a query the parser accepts, written
once, and not blank. Pure: every problem is reported with the term's number and the parser's position
and message, so an editor can show each at its line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from search.fields import FIELDS, Fields
from search.query.ast import Node
from search.query.errors import QuerySyntaxError
from search.query.parser import MAX_QUERY_LENGTH, parse_query

MAX_TERMS = 10_000
MAX_TERM_CHARS = MAX_QUERY_LENGTH


@dataclass(frozen=True)
class TermError:
    number: int  # 1-based: the term's line in the editor
    term: str
    position: int  # 0-based character offset in the term
    detail: str
    hint: str = ""


def term_errors(terms: Sequence[str], fields: Fields = FIELDS) -> list[TermError]:
    """Every term that cannot be kept, in the terms' order (empty: all of them can)."""
    errors: list[TermError] = []
    first_seen: dict[str, int] = {}
    for number, term in enumerate(terms, start=1):
        error = _one(number, term, fields)
        if error is None and term in first_seen:
            error = TermError(number, term, 0, f"the same term as term {first_seen[term]}", "remove one of them")
        first_seen.setdefault(term, number)
        if error is not None:
            errors.append(error)
    return errors


def _one(number: int, term: str, fields: Fields) -> TermError | None:
    for position, char in enumerate(term):
        # Half of a UTF-16 pair is not text: it can be neither stored, searched nor shown.
        if "\ud800" <= char <= "\udfff":
            return TermError(number, "", position, f"a lone surrogate (U+{ord(char):04X}) is not text")
    if not term.strip():
        return TermError(number, term, 0, "an empty term", "write a word, a phrase or a query, or remove the line")
    try:
        parse_query(term, fields)
    except QuerySyntaxError as exc:
        return TermError(number, term, exc.position, exc.message, exc.hint)
    return None


def parsed_terms(terms: Sequence[str], fields: Fields = FIELDS) -> list[Node]:
    """The trees of terms term_errors accepted (raises QuerySyntaxError otherwise)."""
    return [parse_query(term, fields) for term in terms]
