"""A page's words as the index tokenizes them (search.analysis: split on anything not alphanumeric,
drop tokens of 40 bytes or more but keep their position, lowercase, porter2 stems), with their
character offsets: what the query evaluator (search.query.evaluate) matches against."""

from __future__ import annotations

import re

from search.analysis import MAX_TOKEN_BYTES, stem_word

WORD = re.compile(r"[^\W_]+")

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


# ASCII characters that are not word characters, as spaces: str.split then finds an ASCII text's
# words as WORD does, some twice as fast, since no match objects are made.
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def distinct_words(text: str) -> set[str]:
    """The distinct words of `text` (as WORD finds them)."""
    if text.isascii():
        return set(text.translate(_ASCII_SEPARATORS).split())
    return set(WORD.findall(text))


def is_dropped(word: str) -> bool:
    """Whether the index drops this word (its position still counts)."""
    return len(word) >= _SHORT_WORD and len(word.encode()) >= MAX_TOKEN_BYTES


def tokenize(text: str) -> PageTokens:
    found: list[str] = []
    offsets: list[CharSpan] = []
    positions: list[int] | None = None
    for position, m in enumerate(WORD.finditer(text)):
        word = m.group()
        if is_dropped(word):
            if positions is None:
                positions = list(range(len(found)))
            continue  # dropped by the index, but its position still counts
        if positions is not None:
            positions.append(position)
        found.append(stem_word(word.lower()))
        offsets.append(m.span())
    return PageTokens(found, offsets, positions)
