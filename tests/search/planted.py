"""Generated pages with known truth: filler words with phrases, proximity pairs at chosen distances and
negated words planted at chosen places. Offsets come from the construction, never from the code."""

from __future__ import annotations

from dataclasses import dataclass, field

# Filler that shares no stem or prefix with a planted word.
FILLER = ("alpha", "bravo", "charlie", "delta", "echo", "golf", "hotel", "kilo", "lima", "mike", "oscar", "papa")


@dataclass
class Planted:
    words: list[str] = field(default_factory=list)
    # name -> list of occurrences, each a list of word indexes
    marks: dict[str, list[list[int]]] = field(default_factory=dict)

    def add(self, name: str, *tokens: str) -> list[int]:
        at = list(range(len(self.words), len(self.words) + len(tokens)))
        self.words.extend(tokens)
        self.marks.setdefault(name, []).append(at)
        return at

    def fill(self, n: int, seed: int = 0) -> None:
        self.words.extend(FILLER[(seed + i) % len(FILLER)] for i in range(n))

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        start = sum(len(w) + 1 for w in self.words[:first])
        end = sum(len(w) + 1 for w in self.words[:last]) + len(self.words[last])
        return start, end

    def word_spans(self, indexes: list[int]) -> list[tuple[int, int]]:
        return [self.span(i, i) for i in indexes]
