"""A page's words as the index tokenizes them (search.analysis: split on anything not alphanumeric,
drop tokens of 40 bytes or more but keep their position, lowercase, porter2 stems), with their
character offsets: what the query evaluator (search.query.evaluate) matches against."""

from __future__ import annotations

import re

from search.analysis import MAX_TOKEN_BYTES, stem_word, stems, words
from search.query.ast import And, Fuzzy, Node, Not, Or, Phrase, Prefix, Proximity, SpanOr, Term

_WORD = re.compile(r"[^\W_]+")

CharSpan = tuple[int, int]


class PageTokens:
    """A page's index tokens: stems with their character offsets, and their positions (the index of
    the word on the page: a dropped long word keeps its position). Lookups by stem are built lazily,
    since result snippets tokenize many pages and ask each for a few words only."""

    __slots__ = ("_by_stem", "_index_of", "offsets", "positions", "stems")

    def __init__(self, stems: list[str], offsets: list[CharSpan], positions: list[int] | None) -> None:
        self.stems = stems
        self.offsets = offsets
        self.positions = positions  # None: every word kept, so a position is its index
        self._by_stem: dict[str, tuple[int, ...]] | None = None
        self._index_of: dict[int, int] | None = None

    def index(self, position: int) -> int | None:
        if self.positions is None:
            return position if 0 <= position < len(self.stems) else None
        if self._index_of is None:
            self._index_of = {p: i for i, p in enumerate(self.positions)}
        return self._index_of.get(position)

    @property
    def by_stem(self) -> dict[str, tuple[int, ...]]:
        """stem -> positions, ascending."""
        if self._by_stem is None:
            found: dict[str, list[int]] = {}
            where = self.positions or range(len(self.stems))
            for p, s in zip(where, self.stems, strict=True):
                found.setdefault(s, []).append(p)
            self._by_stem = {s: tuple(ps) for s, ps in found.items()}
        return self._by_stem


# A word of fewer characters than this cannot reach MAX_TOKEN_BYTES in UTF-8 (4 bytes a character at most).
_SHORT_WORD = MAX_TOKEN_BYTES // 4


def tokenize(text: str) -> PageTokens:
    found: list[str] = []
    offsets: list[CharSpan] = []
    positions: list[int] | None = None
    for position, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        if len(word) >= _SHORT_WORD and len(word.encode()) >= MAX_TOKEN_BYTES:
            if positions is None:
                positions = list(range(len(found)))
            continue  # dropped by the index, but its position still counts
        if positions is not None:
            positions.append(position)
        found.append(stem_word(word.lower()))
        offsets.append(m.span())
    return PageTokens(found, offsets, positions)


def query_heads(node: Node) -> tuple[str, ...] | None:
    """Starts every word that can match one of the tree's words must have (negated ones included:
    NOT needs to know whether its words are there), or None when the tree has a fuzzy word, whose
    edits may change any letter. Porter2 rewrites only a word's ending, so a word whose stem is `st`
    begins with st minus its last two letters ("policy" -> "polici", "dying" -> "die")."""
    heads: set[str] = set()

    def head(stem: str) -> str:
        return stem[: max(1, len(stem) - 2)]

    def walk(n: Node) -> bool:
        if isinstance(n, Fuzzy):
            return False
        if isinstance(n, Term | Phrase):
            heads.update(head(st) for st in stems(n.text))
        elif isinstance(n, Prefix):
            ws = words(n.text)
            heads.update(head(st) for st in stems(" ".join(ws)))
            heads.update(head(w) for w in ws[-1:])
        elif isinstance(n, And | Or | SpanOr):
            return all(walk(c) for c in n.children)
        elif isinstance(n, Proximity):
            return walk(n.left) and walk(n.right)
        elif isinstance(n, Not):
            return walk(n.child)
        return True

    if not walk(node):
        return None
    return tuple(sorted(h for h in heads if not any(o != h and h.startswith(o) for o in heads)))


def tokenize_for(text: str, heads: tuple[str, ...] | None) -> PageTokens:
    """The tokens of `text` that can match words beginning with `heads` (all of them when None),
    at their true positions: words are found with str.find, and the words between them only counted."""
    lowered = text.lower()
    if heads is None or len(lowered) != len(text):  # case folding that moves offsets: take every word
        return tokenize(text)
    starts: set[int] = set()
    for h in heads:
        pos = lowered.find(h)
        while pos >= 0:
            if pos == 0 or not _is_word_char(lowered[pos - 1]):
                starts.add(pos)
            pos = lowered.find(h, pos + 1)
    found: list[str] = []
    offsets: list[CharSpan] = []
    positions: list[int] = []
    position, last_end = 0, 0
    for start in sorted(starts):
        m = _WORD.match(lowered, start)
        if m is None:
            continue
        position += len(_WORD.findall(lowered, last_end, start))
        last_end = m.end()
        word = m.group()
        if not (len(word) >= _SHORT_WORD and len(word.encode()) >= MAX_TOKEN_BYTES):
            found.append(stem_word(word))
            offsets.append(m.span())
            positions.append(position)
        position += 1
    return PageTokens(found, offsets, positions)


def _is_word_char(c: str) -> bool:
    return _WORD.match(c) is not None
