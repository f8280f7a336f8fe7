"""Screening many terms against a set of pages at once (watchlists): which pages each term hits.

Pure (no I/O). The pages arrive as page records (what the index holds, built from the catalog); each
term as a tree already resolved and scoped for the watchlist's collection (search.backend.request_tree,
search.query.scoped). A match is the one evaluation of a query over a page (search.query.evaluate), so a
term hits exactly the pages a search of it finds there.

Why not one search per term: 10,000 searches through the engine cost about 7 ms each on tantivy (parse,
compile, a scoring pass, the Python hit loop), over a minute for a list, and far more over HTTP to
OpenSearch. Here the pages are read once into an inverted index (each page's distinct words, stemmed:
no offsets are made), and each term is answered from its words' page sets:

- a term, a one-word prefix, a fuzzy word, OR and AND of such: the page sets are the answer (exact);
- phrases, proximity, NOT and field clauses: the page sets narrow the candidates (pages holding every
  word the term needs), and only those pages are evaluated, over the few words of each that can take
  part in a match (search.query.candidates), never a whole page's tokens;
- a tree that names no word at all (`-x`, `date:2019`, fields only) is evaluated on every page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from search.analysis import stem_word
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
from search.query.candidates import CandidatePlan, candidate_tokens, plan_for
from search.query.evaluate import PageValues, evaluate_tokens, page_values
from search.query.patterns import Pattern, leaf_patterns, text_stems, within_edits
from search.query.tokens import distinct_words, is_dropped
from search.records import PageRecord

PageSet = frozenset[int]


@dataclass(frozen=True)
class Candidates:
    pages: PageSet | None  # None: any page may match (nothing narrows it)
    exact: bool  # the pages are exactly those that match


_ANY = Candidates(None, False)


class ScreeningIndex:
    """The pages of one chunk: their stems' page sets, and (on demand) their tokens and field values."""

    def __init__(self, records: Sequence[PageRecord]) -> None:
        self.records = records
        postings: dict[str, set[int]] = {}
        stem_of: dict[str, str] = {}  # a local cache: the same words come back on page after page
        for i, record in enumerate(records):
            for word in {w.lower() for w in distinct_words(record.text)}:
                stem = stem_of.get(word)
                if stem is None:
                    stem = stem_of[word] = "" if is_dropped(word) else stem_word(word)
                if stem:  # a dropped word (40 bytes or more) is not in the index either
                    postings.setdefault(stem, set()).add(i)
        self.postings: dict[str, PageSet] = {s: frozenset(ps) for s, ps in postings.items()}
        self.vocabulary = sorted(self.postings)
        self.every_page: PageSet = frozenset(range(len(records)))
        self._values: dict[int, PageValues] = {}

    def values(self, i: int) -> PageValues:
        found = self._values.get(i)
        if found is None:
            found = self._values[i] = page_values(self.records[i])
        return found

    def with_stem(self, stem: str) -> PageSet:
        return self.postings.get(stem, frozenset())

    def with_prefix(self, prefix: str) -> PageSet:
        start = bisect.bisect_left(self.vocabulary, prefix)
        found: set[int] = set()
        for stem in self.vocabulary[start:]:
            if not stem.startswith(prefix):
                break
            found |= self.postings[stem]
        return frozenset(found)

    def near(self, stem: str, distance: int) -> PageSet:
        found: set[int] = set()
        for s, pages in self.postings.items():
            if within_edits(stem, s, distance):
                found |= pages
        return frozenset(found)

    # -- candidates ---------------------------------------------------------------------------------

    def candidates(self, n: Node) -> Candidates:
        if isinstance(n, MatchAll):
            return Candidates(self.every_page, True)
        if isinstance(n, Term | Prefix | Phrase):
            return self._leaf(n)
        if isinstance(n, Fuzzy):
            found = text_stems(n.text)
            return Candidates(self.near(found[0], n.distance) if len(found) == 1 else frozenset(), True)
        if isinstance(n, SpanOr | Or):
            parts = [self.candidates(c) for c in n.children]
            known = [p.pages for p in parts if p.pages is not None]
            if len(known) < len(parts):
                return _ANY
            return Candidates(_union(known), all(p.exact for p in parts))
        if isinstance(n, And):
            parts = [self.candidates(c) for c in n.children]
            known = [p.pages for p in parts if p.pages is not None]
            if not known:
                return _ANY
            return Candidates(_intersection(known), all(p.exact and p.pages is not None for p in parts))
        if isinstance(n, Proximity):
            left, right = self.candidates(n.left), self.candidates(n.right)
            known = [p.pages for p in (left, right) if p.pages is not None]
            return Candidates(_intersection(known), False) if known else _ANY
        # NOT, field clauses, dates and Bates ranges: only the evaluation knows.
        return _ANY

    def _leaf(self, n: Term | Prefix | Phrase) -> Candidates:
        patterns = leaf_patterns(n)
        exact = all(len(p) == 1 for p in patterns)
        return Candidates(_union(self._pattern(p) for p in patterns), exact)

    def _pattern(self, pattern: Pattern) -> PageSet:
        sets = [self.with_prefix(token) if is_prefix else self.with_stem(token) for token, is_prefix in pattern]
        return _intersection(sets) if sets else frozenset()

    # -- matching -----------------------------------------------------------------------------------

    def matching(self, term: PreparedTerm) -> PageSet:
        """The pages of this chunk the term matches."""
        found = self.candidates(term.tree)
        if found.exact and found.pages is not None:
            return found.pages
        pages = self.every_page if found.pages is None else found.pages
        # Only the words that can take part in a match are tokenized (search.query.candidates: the
        # evaluation answers as on the whole page), and field values are read only for field clauses.
        return frozenset(
            i
            for i in pages
            if evaluate_tokens(
                term.tree,
                candidate_tokens(self.records[i].text, term.plan),
                self.values(i) if term.has_fields else None,
            ).matched
        )


@dataclass(frozen=True)
class PreparedTerm:
    tree: Node  # resolved and scoped for the collection
    plan: CandidatePlan  # the words of a page that can take part in a match of it
    has_fields: bool  # it has field clauses (which need the page's field values)


def prepare(tree: Node) -> PreparedTerm:
    return PreparedTerm(tree, plan_for.__wrapped__(tree), _has_fields(tree))


def _has_fields(n: Node) -> bool:
    if isinstance(n, And | Or):
        return any(_has_fields(c) for c in n.children)
    if isinstance(n, Not):
        return _has_fields(n.child)
    return isinstance(n, FieldValue | KeyLookup | DateRange | BatesRange)


def _union(sets: Iterable[PageSet]) -> PageSet:
    out: set[int] = set()
    for s in sets:
        out |= s
    return frozenset(out)


def _intersection(sets: Sequence[PageSet]) -> PageSet:
    if not sets:
        return frozenset()
    ordered = sorted(sets, key=len)
    out = set(ordered[0])
    for s in ordered[1:]:
        out &= s
        if not out:
            break
    return frozenset(out)


@dataclass(frozen=True)
class TermFigures:
    documents: int
    pages: int
    unique_pages: int  # pages no other term hits


@dataclass(frozen=True)
class Screening:
    figures: tuple[TermFigures, ...]  # one per term, in the terms' order
    hit_documents: int  # documents any term hits
    hit_pages: int


PageKey = tuple[str, int]  # (document id, page number)


def screen(
    trees: Sequence[Node],
    chunks: Iterable[Sequence[PageRecord]],
    on_chunk: Callable[[int], None] | None = None,
) -> Screening:
    """Every term against every page of `chunks` (read one chunk at a time, so memory holds one chunk's
    index); `on_chunk(pages screened so far)` after each. A page is one (document id, page number)."""
    hits: list[set[PageKey]] = [set() for _ in trees]
    terms = [prepare(t) for t in trees]
    screened = 0
    for chunk in chunks:
        index = ScreeningIndex(chunk)
        keys = [(r.document_id, r.page_number) for r in chunk]
        for term_hits, term in zip(hits, terms, strict=True):
            term_hits.update(keys[i] for i in index.matching(term))
        screened += len(chunk)
        if on_chunk is not None:
            on_chunk(screened)
    return figures_of(hits)


def figures_of(hits: Sequence[set[PageKey]]) -> Screening:
    """Each term's documents, pages and unique pages from the pages each term hits."""
    times: dict[PageKey, int] = {}
    for term_hits in hits:
        for key in term_hits:
            times[key] = times.get(key, 0) + 1
    figures = tuple(
        TermFigures(
            documents=len({d for d, _ in term_hits}),
            pages=len(term_hits),
            unique_pages=sum(1 for key in term_hits if times[key] == 1),
        )
        for term_hits in hits
    )
    return Screening(figures, len({d for d, _ in times}), len(times))
