"""The few words of a page that can take part in a match of a query, found without tokenizing the
page: what result snippets evaluate (search.query.evaluate.match_spans), for many pages a request.

A tree is compiled once (`plan_for`, cached by tree) into:

- heads: starts that every word able to match one of the tree's words must have, negated words
  included (NOT needs to know whether its words are there). Porter2 rewrites at most a word's last
  two letters and never lengthens it, so a word whose stem is `st` begins with `st` minus its last
  two letters ("policy" -> "polici", "dying" -> "die"), and a word whose stem begins with the prefix
  `p` begins with `p` minus its last two letters. Pages are searched for heads with str.find.
- the words that take part: their stem is one of the tree's stems, begins with one of its prefixes,
  or lies within a fuzzy word's edits. Any other word found only holds its position. Fuzzy words,
  whose edits may change any letter, are looked up among the distinct words of the page, each word
  decided once per plan.
- reach: how many positions apart two words of one match can be at most (phrase lengths, slops,
  proximity distances). Words between two candidates are counted exactly up to `reach`; a longer gap
  counts as `reach` words. Every position the evaluator compares lies within one match, at most
  `reach` apart, and a distance is at most `reach` before this cap exactly when it is after it, so
  every comparison answers as on the whole page, without counting the words of the page.

Case folding that changes a text's length, or depends on context (the Greek capital sigma), moves
offsets or words: such a page is tokenized whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from search.analysis import stem_word
from search.query.ast import (
    And,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Proximity,
    SpanOr,
    Term,
)
from search.query.patterns import leaf_patterns, text_stems, within_edits
from search.query.tokens import WORD, CharSpan, PageTokens, distinct_words, is_dropped, tokenize

# The only letters porter2 writes that were not in the word: 'y' -> 'i', 'ational' -> 'ate',
# 'biliti' -> 'ble', 'skies' -> 'sky', 'dying' -> 'die'; it never lengthens a word.
_WRITTEN_BY_STEMMING = frozenset("eily")
# A plan remembers this many decided words, then decides each new one again.
_MAX_DECIDED = 20_000
_CONTEXT_FOLDED = "\u03a3"  # lowercases to σ or ς depending on the next letter


@dataclass(frozen=True)
class CandidatePlan:
    heads: tuple[str, ...]
    stems: frozenset[str]
    prefixes: tuple[str, ...]
    fuzzy: tuple[tuple[str, int], ...]  # (stem, edits)
    reach: int
    # Lowercased words decided so far, and those of them that take part: filled as pages are read,
    # never emptied (a reader in another thread may be between the two), bounded in size.
    decided: set[str] = field(default_factory=set, compare=False, hash=False)
    taking_part: set[str] = field(default_factory=set, compare=False, hash=False)

    def takes_part(self, word: str) -> bool:
        """Whether a lowercased page word can match one of the tree's words."""
        if word in self.decided:
            return word in self.taking_part
        s = stem_word(word)
        known = (
            s in self.stems
            or (bool(self.prefixes) and s.startswith(self.prefixes))
            or any(within_edits(f, s, d) for f, d in self.fuzzy)
        )
        if len(self.decided) < _MAX_DECIDED:
            if known:
                self.taking_part.add(word)  # before `decided`: a word decided is always complete
            self.decided.add(word)
        return known

    def taking_part_among(self, page_words: set[str]) -> set[str]:
        """The lowercased words that take part, of a page's distinct words."""
        found = {w for w in page_words.difference(self.decided) if self.takes_part(w)}
        return found | (page_words & self.taking_part)


@lru_cache(maxsize=256)
def plan_for(node: Node) -> CandidatePlan:
    exact: set[str] = set()
    prefixes: set[str] = set()
    fuzzy: list[tuple[str, int]] = []

    def walk(n: Node) -> None:
        if isinstance(n, Fuzzy):
            found = text_stems(n.text)
            if len(found) == 1:  # the evaluator matches nothing else
                fuzzy.append((found[0], n.distance))
        elif isinstance(n, Term | Phrase | Prefix):
            for pattern in leaf_patterns(n):
                for token, is_prefix in pattern:
                    (prefixes if is_prefix else exact).add(token)
        elif isinstance(n, And | Or | SpanOr):
            for c in n.children:
                walk(c)
        elif isinstance(n, Proximity):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Not):
            walk(n.child)

    walk(node)
    heads = {head(t) for t in exact | prefixes}
    minimal = tuple(sorted(h for h in heads if not any(o != h and h.startswith(o) for o in heads)))
    return CandidatePlan(minimal, frozenset(exact), tuple(sorted(prefixes)), tuple(fuzzy), _reach(node))


def head(token: str) -> str:
    """`token` without the last letters (at most two) that stemming may have written."""
    end, floor = len(token), max(1, len(token) - 2)
    while end > floor and token[end - 1] in _WRITTEN_BY_STEMMING:
        end -= 1
    return token[:end]


def _reach(n: Node) -> int:
    """The most positions the first and last word of one match of `n` can lie apart."""
    if isinstance(n, Term | Prefix):
        return max((len(p) - 1 for p in leaf_patterns(n)), default=0)
    if isinstance(n, Phrase):
        return max((len(p) - 1 for p in leaf_patterns(n)), default=0) + n.slop
    if isinstance(n, Proximity):
        return _reach(n.left) + n.distance + _reach(n.right)
    if isinstance(n, And | Or | SpanOr):
        return max((_reach(c) for c in n.children), default=0)
    if isinstance(n, Not):
        return _reach(n.child)
    return 0


def candidate_tokens(text: str, plan: CandidatePlan) -> PageTokens:
    """The tokens of `text` that can take part in a match of the plan's tree, at positions that
    compare as their true ones do (see the module's docstring)."""
    lowered = text.lower()
    if len(lowered) != len(text) or _CONTEXT_FOLDED in text:
        return tokenize(text)
    heads = plan.heads
    if plan.fuzzy:
        heads += tuple(plan.taking_part_among(distinct_words(lowered)))
    starts: set[int] = set()
    for h in heads:
        pos = lowered.find(h)
        while pos >= 0:
            if pos == 0 or not text[pos - 1].isalnum():  # isalnum is the regex's [^\W_]
                starts.add(pos)
            pos = lowered.find(h, pos + 1)
    found: list[str] = []
    offsets: list[CharSpan] = []
    for start in sorted(starts):
        m = WORD.match(text, start)
        if m is None:
            continue
        word = m.group()
        # A dropped word is not a token; it is counted among the words between tokens.
        if not is_dropped(word) and plan.takes_part(word.lower()):
            found.append(stem_word(word.lower()))
            offsets.append(m.span())
    return PageTokens(found, offsets, _positions(text, offsets, plan.reach))


def _positions(text: str, offsets: list[CharSpan], reach: int) -> list[int] | None:
    """Positions of the tokens at `offsets`: one more than the last, plus the words between them,
    counted up to `reach` (None: no comparison looks past a word, so the tokens' indexes do)."""
    if not reach:
        return None
    at_least = _at_least(reach)
    positions: list[int] = []
    position, last_end = 0, 0
    for start, end in offsets:
        if positions:
            if at_least.match(text, last_end, start):
                position += 1 + reach
            else:
                position += 1 + len(WORD.findall(text, last_end, start))
        positions.append(position)
        last_end = end
    return positions


@lru_cache(maxsize=64)
def _at_least(n: int) -> re.Pattern[str]:
    """Matches a text that holds at least `n` words (possessive: no backtracking)."""
    return re.compile(r"(?:[\W_]*+[^\W_]++){" + str(n) + "}")
