"""Query tree -> tantivy Query: a pure function of the tree and the schema (no index needed).

Proximity is exact: `a pre/N b` becomes the union, over every distance d in 1..N, of a phrase with
b placed d positions after a (tantivy phrases take explicit offsets). `a w/N b` for single words uses
two sloppy phrases, which is exact because tantivy's slop lets in-order words be slop+1 apart and
reversed words slop-1 apart. Only when the expansion would exceed MAX_PROXIMITY_CLAUSES does it fall
back to one sloppy phrase (which may also accept a reversed pair within N-2 words).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence

import tantivy

from search import index_fields as F
from search.analysis import stems, words
from search.query.ast import (
    And,
    BatesRange,
    DateRange,
    FieldValue,
    Fuzzy,
    KeyLookup,
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
from search.query.fields import query_key
from search.query.scoped import NAME_FIELDS, scope_fields

MAX_PROXIMITY_CLAUSES = 256
MAX_SLOP_EXPANSION = 64

_Occur = tantivy.Occur
_EPOCH = dt.date(1970, 1, 1)

# One position of a phrase pattern: (token, is_prefix_regex)
_Item = tuple[str, bool]
_Words = list[str | tuple[int, str]]


def _seq(tokens: Sequence[str]) -> _Words:
    return list(tokens)


def day_index(d: dt.date) -> int:
    return (d - _EPOCH).days


def _esc(token: str) -> str:
    return re.escape(token)


def _or(queries: Sequence[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(_Occur.Should, q) for q in queries])


class _Compiler:
    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    def compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, MatchAll):
            return tantivy.Query.all_query()
        if isinstance(node, Term):
            return self.term(F.TEXT, node.text)
        if isinstance(node, Prefix):
            return self.prefix(F.TEXT, node.text)
        if isinstance(node, Phrase):
            return self.phrase(F.TEXT, node.text, node.slop)
        if isinstance(node, Fuzzy):
            return self.fuzzy(node)
        if isinstance(node, BatesRange):
            return self.bates_range(node)
        if isinstance(node, FieldValue):
            return self.field(node)
        if isinstance(node, KeyLookup):
            return self.lookup(node)
        if isinstance(node, DateRange):
            return date_range_query(self.schema, node.start, node.end)
        if isinstance(node, Proximity):
            return self.proximity(node)
        if isinstance(node, SpanOr):
            return _or([self.compile(c) for c in node.children])
        if isinstance(node, Or):
            return _or([self.compile(c) for c in node.children])
        if isinstance(node, And):
            clauses = [
                (_Occur.MustNot, self.compile(c.child)) if isinstance(c, Not) else (_Occur.Must, self.compile(c))
                for c in node.children
            ]
            if all(occ == _Occur.MustNot for occ, _ in clauses):
                clauses.insert(0, (_Occur.Must, tantivy.Query.all_query()))
            return tantivy.Query.boolean_query(clauses)
        if isinstance(node, Not):
            return tantivy.Query.boolean_query(
                [(_Occur.Must, tantivy.Query.all_query()), (_Occur.MustNot, self.compile(node.child))]
            )
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover

    # -- text ---------------------------------------------------------------------------------------

    def term(self, field: str, text: str) -> tantivy.Query:
        toks = stems(text)
        if not toks:
            return tantivy.Query.empty_query()
        if len(toks) == 1:
            return tantivy.Query.term_query(self.schema, field, toks[0])
        return tantivy.Query.phrase_query(self.schema, field, _seq(toks))

    def fuzzy(self, node: Fuzzy) -> tantivy.Query:
        # Edits are counted against the index form (the stem), as the DSL engines' `fuzzy` does;
        # plain Levenshtein (a transposition is two edits) on both, so both find the same words.
        toks = stems(node.text)
        if len(toks) != 1:
            return tantivy.Query.empty_query()
        return tantivy.Query.fuzzy_term_query(self.schema, F.TEXT, toks[0], node.distance, False, False)

    def bates_range(self, node: BatesRange) -> tantivy.Query:
        number = tantivy.FieldType.Integer
        in_range = tantivy.Query.range_query(self.schema, F.BATES_NUMBER, number, node.start, node.end)
        series = tantivy.Query.term_query(self.schema, F.BATES_SERIES, node.series)
        both = tantivy.Query.boolean_query([(_Occur.Must, series), (_Occur.Must, in_range)])
        return tantivy.Query.const_score_query(both, 0.0)

    def _prefix_terms(self, field: str, prefix: str) -> tantivy.Query:
        # Every indexed term with the prefix, not the N most frequent of the whole index: a capped
        # expansion let other collections' vocabulary push the reader's own rarer terms out. The
        # automaton query matches them all at a constant score (as the DSL engines' `prefix` does), and
        # the collection filter then keeps the reader's pages only.
        return tantivy.Query.regex_query(self.schema, field, _esc(prefix) + ".*")

    def prefix(self, field: str, text: str) -> tantivy.Query:
        ws = words(text)
        if not ws:
            return tantivy.Query.empty_query()
        if len(ws) == 1:
            # The index holds stems, so 'surveillance*' must also match the stem 'surveil'.
            alternatives = [self._prefix_terms(field, ws[0])]
            stem = stems(ws[0])
            if stem and stem[0] != ws[0]:
                alternatives.append(tantivy.Query.term_query(self.schema, field, stem[0]))
            return _or(alternatives)
        items: list[_Item] = [(s, False) for s in stems(" ".join(ws[:-1]))] + [(ws[-1], True)]
        return self._pattern(field, list(enumerate(items)), 0)

    def phrase(self, field: str, text: str, slop: int) -> tantivy.Query:
        toks = stems(text)
        if not toks:
            return tantivy.Query.empty_query()
        if len(toks) == 1:
            return tantivy.Query.term_query(self.schema, field, toks[0])
        if slop == 0:
            return tantivy.Query.phrase_query(self.schema, field, _seq(toks))
        gaps = len(toks) - 1
        if math.comb(slop + gaps, gaps) > MAX_SLOP_EXPANSION:
            return tantivy.Query.phrase_query(self.schema, field, _seq(toks), slop)
        # Exact "in order, at most `slop` words inserted in total": enumerate gap distributions.
        clauses = []
        for dist in itertools.product(range(slop + 1), repeat=gaps):
            if sum(dist) > slop:
                continue
            offsets = [0]
            for g in dist:
                offsets.append(offsets[-1] + 1 + g)
            clauses.append(tantivy.Query.phrase_query(self.schema, field, list(zip(offsets, toks, strict=True))))
        return _or(clauses)

    def _pattern(self, field: str, placed: list[tuple[int, _Item]], slop: int) -> tantivy.Query:
        if any(is_re for _, (_, is_re) in placed):
            regex_words: _Words = [(off, _esc(tok) + ".*" if is_re else _esc(tok)) for off, (tok, is_re) in placed]
            return tantivy.Query.regex_phrase_query(self.schema, field, regex_words, slop)
        plain: _Words = [(off, tok) for off, (tok, _) in placed]
        return tantivy.Query.phrase_query(self.schema, field, plain, slop)

    def _span_alternatives(self, span: Span) -> list[list[_Item]]:
        if isinstance(span, SpanOr):
            return [alt for c in span.children for alt in self._span_alternatives(c)]
        if isinstance(span, Prefix):
            ws = words(span.text)
            if not ws:
                return []
            head: list[_Item] = [(s, False) for s in stems(" ".join(ws[:-1]))]
            alts = [[*head, (ws[-1], True)]]
            last_stem = stems(ws[-1])
            if last_stem and last_stem[0] != ws[-1]:
                alts.append([*head, (last_stem[0], False)])
            return alts
        toks = stems(span.text)
        return [[(t, False) for t in toks]] if toks else []

    def proximity(self, node: Proximity) -> tantivy.Query:
        lefts = self._span_alternatives(node.left)
        rights = self._span_alternatives(node.right)
        if not lefts or not rights:
            return tantivy.Query.empty_query()
        n = node.distance
        orientations = 1 if node.ordered else 2
        single = all(len(a) == 1 and not a[0][1] for a in lefts + rights)
        if single and not node.ordered:
            clauses = []
            for (a,), (b,) in itertools.product(lefts, rights):
                clauses.append(tantivy.Query.phrase_query(self.schema, F.TEXT, [a[0], b[0]], n - 1))
                clauses.append(tantivy.Query.phrase_query(self.schema, F.TEXT, [b[0], a[0]], n - 1))
            return _or(clauses)
        if len(lefts) * len(rights) * n * orientations > MAX_PROXIMITY_CLAUSES:
            return self._approximate_proximity(lefts, rights, n, node.ordered)
        clauses = []
        for la, ra in itertools.product(lefts, rights):
            pairs = [(la, ra)] if node.ordered else [(la, ra), (ra, la)]
            for first, second in pairs:
                for d in range(1, n + 1):
                    placed = list(enumerate(first))
                    base = len(first) - 1 + d
                    placed += [(base + j, item) for j, item in enumerate(second)]
                    clauses.append(self._pattern(F.TEXT, placed, 0))
        return _or(clauses)

    def _approximate_proximity(
        self, lefts: list[list[_Item]], rights: list[list[_Item]], n: int, ordered: bool
    ) -> tantivy.Query:
        clauses = []
        for la, ra in itertools.product(lefts, rights):
            pairs = [(la, ra)] if ordered else [(la, ra), (ra, la)]
            for first, second in pairs:
                clauses.append(self._pattern(F.TEXT, list(enumerate(first + second)), n - 1))
        return _or(clauses)

    # -- fields -------------------------------------------------------------------------------------

    def field(self, node: FieldValue) -> tantivy.Query:
        if node.field in NAME_FIELDS:  # pragma: no cover - compile_tantivy scopes them first
            raise TypeError(f"unscoped name field {node.field}")
        column = F.key_field(node.field)
        key = query_key(node.field, node.value)
        if not key:
            return tantivy.Query.empty_query()
        if node.prefix:
            return tantivy.Query.regex_query(self.schema, column, _esc(key) + ".*")
        return tantivy.Query.term_query(self.schema, column, key)

    def lookup(self, node: KeyLookup) -> tantivy.Query:
        if not node.keys:
            return tantivy.Query.empty_query()
        if node.prefix:
            found = _or([tantivy.Query.regex_query(self.schema, node.column, _esc(k) + ".*") for k in node.keys])
        else:
            found = tantivy.Query.term_set_query(self.schema, node.column, list(node.keys))
        return tantivy.Query.const_score_query(found, 0.0)


def date_range_query(schema: tantivy.Schema, start: dt.date | None, end: dt.date | None) -> tantivy.Query:
    if start is None and end is None:
        return tantivy.Query.exists_query(F.DAY)
    return tantivy.Query.range_query(
        schema,
        F.DAY,
        tantivy.FieldType.Integer,
        None if start is None else day_index(start),
        None if end is None else day_index(end),
    )


def compile_tantivy(node: Node, schema: tantivy.Schema, *, collection_ids: Sequence[str] | None) -> tantivy.Query:
    """Compile a parsed query for a reader of `collection_ids` (None: every collection), whose scope
    decides which names `file:`, `title:` and `production:` match; prefixes match every indexed term
    they begin (never a capped list)."""
    return _Compiler(schema).compile(scope_fields(node, collection_ids))
