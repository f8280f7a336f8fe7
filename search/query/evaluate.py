"""The one evaluation of a query over one page: whether it matches and exactly which words matched.

Pure (no I/O). The page text is tokenized as the index tokenizes it (search.analysis: split on
anything not alphanumeric, drop tokens of 40 bytes or more but keep their position, lowercase,
porter2 stems), and the parsed tree is evaluated with the semantics the compilers give the engines:

- a term matches its stem; a prefix matches stems starting with it, or the prefix's own stem;
- `"a b"` needs consecutive positions; `"a b"~N` the words in order with at most N words inserted in
  total; `a pre/N b` needs b to start 1..N positions after a ends; `a w/N b` either order;
- AND / OR / NOT combine per page (NOT is page-level: `x -y` is a page with x and without y);
- field clauses match the page's key columns (search.page_keys) and its document date; they mark
  nothing.

A span is marked only when it took part in a match of the whole query on that page: under an OR only
the branches that matched, under a proximity only the pairs within the distance, under NOT nothing.
Hit counts, highlights, snippets and the viewer's stepping all count these spans.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from search.index_fields import key_field
from search.page_keys import page_key_terms
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
    SpanOr,
    Term,
)
from search.query.bates import bates_parts
from search.query.candidates import candidate_tokens, plan_for
from search.query.fields import query_key
from search.query.patterns import Item, leaf_patterns, text_stems, within_edits
from search.query.scoped import scope_fields
from search.query.tokens import CharSpan, PageTokens, tokenize
from search.records import PageRecord


@dataclass(frozen=True)
class PageValues:
    """What a page record holds for field clauses: keys per key column, and its document's date."""

    keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    document_date: dt.date | None = None
    bates: tuple[str, int] | None = None  # (series, number), search.query.bates


def page_values(record: PageRecord) -> PageValues:
    terms = page_key_terms(record)
    bates = bates_parts(record.bates) if record.bates else None
    return PageValues({c: frozenset(v) for c, v in terms.items()}, record.document_date, bates)


@dataclass(frozen=True)
class PageMatch:
    matched: bool
    spans: tuple[CharSpan, ...]  # sorted, non-overlapping

    @property
    def hits(self) -> int:
        return len(self.spans)


class _Occurrence(NamedTuple):  # made for every matching word: a tuple is cheaper to make
    first: int  # position of the first token
    last: int  # position of the last token
    spans: tuple[CharSpan, ...]


_NO_MATCH: tuple[bool | None, frozenset[CharSpan]] = (False, frozenset())
# A tuple, not a union: isinstance checks a union's members in Python, some 15 times slower.
_TEXT_NODES = (Term, Prefix, Phrase, SpanOr, Proximity, Fuzzy)


class _Evaluator:
    def __init__(self, tokens: PageTokens, values: PageValues | None) -> None:
        self.t = tokens
        self.values = values

    def node(self, n: Node) -> tuple[bool | None, frozenset[CharSpan]]:
        """(True, False or None when a field clause's value is unknown; the spans of the match)."""
        if isinstance(n, MatchAll):
            return True, frozenset()
        if isinstance(n, _TEXT_NODES):
            occ = self.fuzzy(n) if isinstance(n, Fuzzy) else self.text(n)
            return (True, _spans_of(occ)) if occ else _NO_MATCH
        if isinstance(n, And):
            spans: set[CharSpan] = set()
            state: bool | None = True
            for c in n.children:
                ok, s = self.node(c)
                if ok is False:
                    return _NO_MATCH
                state = state if ok else None
                spans |= s
            return state, frozenset(spans)
        if isinstance(n, Or):
            spans = set()
            state = False
            for c in n.children:
                ok, s = self.node(c)
                if ok is not False:
                    state = True if ok or state else None
                    spans |= s
            return (state, frozenset(spans)) if state is not False else _NO_MATCH
        if isinstance(n, Not):
            ok = self.node(n.child)[0]
            return (None if ok is None else not ok), frozenset()
        if self.values is None:
            return None, frozenset()
        if isinstance(n, FieldValue):
            key = query_key(n.field, n.value)
            return self._keys(key_field(n.field), (key,) if key else (), n.prefix), frozenset()
        if isinstance(n, KeyLookup):
            return self._keys(n.column, n.keys, n.prefix), frozenset()
        if isinstance(n, DateRange):
            return self._date(n), frozenset()
        if isinstance(n, BatesRange):
            return self._bates(n), frozenset()
        raise TypeError(f"no evaluation for {n!r}")

    def _keys(self, column: str, keys: Sequence[str], prefix: bool) -> bool:
        assert self.values is not None
        held = self.values.keys.get(column, frozenset())
        if prefix:
            return any(h.startswith(k) for h in held for k in keys)
        return any(k in held for k in keys)

    def _date(self, n: DateRange) -> bool:
        assert self.values is not None
        d = self.values.document_date
        if d is None:
            return False
        return (n.start is None or d >= n.start) and (n.end is None or d <= n.end)

    def _bates(self, n: BatesRange) -> bool:
        assert self.values is not None
        if self.values.bates is None:
            return False
        series, number = self.values.bates
        return series == n.series and (n.start is None or number >= n.start) and (n.end is None or number <= n.end)

    # -- text ---------------------------------------------------------------------------------------

    def text(self, n: Term | Prefix | Phrase | SpanOr | Proximity) -> list[_Occurrence]:
        if isinstance(n, Proximity):
            return self.proximity(n)
        if isinstance(n, SpanOr):
            return [o for c in n.children for o in self.text(c)]
        if isinstance(n, Phrase) and n.slop:
            return [o for pattern in leaf_patterns(n) for o in self.sloppy(pattern, n.slop)]
        return [o for pattern in leaf_patterns(n) for o in self.sequence(pattern)]

    def fuzzy(self, n: Fuzzy) -> list[_Occurrence]:
        """Words whose stem is within `distance` edits (Levenshtein, no transpositions) of the word's
        stem, as both engines' fuzzy term queries count them."""
        found = text_stems(n.text)
        if len(found) != 1:
            return []
        near = [s for s in self.t.by_stem if within_edits(found[0], s, n.distance)]
        return [self._word(p) for p in sorted(p for s in near for p in self.t.by_stem[s])]

    def _starts(self, item: Item) -> Sequence[int]:
        token, is_prefix = item
        if not is_prefix:
            return self.t.by_stem.get(token, ())
        return sorted(p for s, ps in self.t.by_stem.items() if s.startswith(token) for p in ps)

    def _fits(self, position: int, item: Item) -> bool:
        i = self.t.index(position)
        if i is None:
            return False
        token, is_prefix = item
        s = self.t.stems[i]
        return s.startswith(token) if is_prefix else s == token

    def _word(self, position: int) -> _Occurrence:
        i = self.t.index(position)
        assert i is not None
        return _Occurrence(position, position, (self.t.offsets[i],))

    def _occurrence(self, positions: Sequence[int]) -> _Occurrence:
        spans: list[CharSpan] = []
        previous = -2
        for p in positions:
            i = self.t.index(p)
            assert i is not None
            start, end = self.t.offsets[i]
            if p == previous + 1 and spans:  # consecutive words are one span: a phrase is one hit
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
            previous = p
        return _Occurrence(positions[0], positions[-1], tuple(spans))

    def sequence(self, pattern: Sequence[Item]) -> list[_Occurrence]:
        if len(pattern) < 2:  # most leaves are one word
            return [self._word(p) for p in self._starts(pattern[0])] if pattern else []
        out = []
        for p in self._starts(pattern[0]):
            if all(self._fits(p + j, item) for j, item in enumerate(pattern[1:], 1)):
                out.append(self._occurrence(range(p, p + len(pattern))))
        return out

    def sloppy(self, pattern: Sequence[Item], slop: int) -> list[_Occurrence]:
        """Every in-order placement with at most `slop` words inserted in total."""
        if not pattern:
            return []
        out: list[_Occurrence] = []

        def extend(placed: list[int], left: int) -> None:
            if len(placed) == len(pattern):
                out.append(self._occurrence(placed))
                return
            item = pattern[len(placed)]
            for gap in range(left + 1):
                p = placed[-1] + 1 + gap
                if self._fits(p, item):
                    extend([*placed, p], left - gap)

        for p in self._starts(pattern[0]):
            extend([p], slop)
        return out

    def proximity(self, n: Proximity) -> list[_Occurrence]:
        lefts = sorted(self.text(n.left), key=lambda o: o.first)
        rights = sorted(self.text(n.right), key=lambda o: o.first)
        out: list[_Occurrence] = []
        seen: set[tuple[int, int, int, int]] = set()

        def pairs(firsts: list[_Occurrence], seconds: list[_Occurrence]) -> None:
            starts = [o.first for o in seconds]
            for a in firsts:
                lo = bisect.bisect_left(starts, a.last + 1)
                hi = bisect.bisect_right(starts, a.last + n.distance)
                for b in seconds[lo:hi]:
                    key = (a.first, a.last, b.first, b.last)
                    if key not in seen:
                        seen.add(key)
                        out.append(_Occurrence(a.first, b.last, a.spans + b.spans))

        pairs(lefts, rights)
        if not n.ordered:
            pairs(rights, lefts)
        return out


def _spans_of(occurrences: Sequence[_Occurrence]) -> frozenset[CharSpan]:
    return frozenset(s for o in occurrences for s in o.spans)


def _merged(spans: frozenset[CharSpan]) -> tuple[CharSpan, ...]:
    out: list[CharSpan] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return tuple(out)


def evaluate(node: Node, text: str, values: PageValues) -> PageMatch:
    """Evaluate a tree already scoped for the reader (search.query.scoped) over one page."""
    return evaluate_tokens(node, tokenize(text), values)


def evaluate_tokens(node: Node, tokens: PageTokens, values: PageValues | None) -> PageMatch:
    ok, spans = _Evaluator(tokens, values).node(node)
    return PageMatch(ok is True, _merged(spans) if ok is not False else ())


def evaluate_record(node: Node, record: PageRecord, collection_ids: Sequence[str] | None) -> PageMatch:
    """Evaluate a parsed (unscoped) tree over a page record for a reader of `collection_ids`."""
    return evaluate(scope_fields(node, collection_ids), record.text, page_values(record))


def match_spans(node: Node, text: str) -> tuple[CharSpan, ...]:
    """The spans of a page the engine already found matching, when its field values are not at hand
    (result snippets): field clauses count as unknown, so text under `-vendor:x` or beside a field
    still marks what matched, and nothing under a NOT of words is marked. Only the words that can
    take part in a match are read (search.query.candidates), so a page without any marks nothing
    without an evaluation."""
    tokens = candidate_tokens(text, plan_for(node))
    if not tokens.stems:
        return ()
    return evaluate_tokens(node, tokens, None).spans
