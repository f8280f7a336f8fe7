"""Highlighted snippets: pure functions over a page's text and the query's positive words.

A word is marked when its stem is one of the query's stems, or it starts with one of the query's
prefixes: the same rule the index applies, so a hit's snippet shows why the page matched. Output is
HTML-escaped apart from the `<mark>` tags; `plain_snippet` gives the same window as plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from search.analysis import stem_word, stems, words
from search.query.ast import Node, Phrase, Prefix, Term, positive_text_leaves

_WORD = re.compile(r"[^\W_]+")
DEFAULT_MAX_CHARS = 240
MAX_SPANS = 200  # enough to find the densest window on any real page


@dataclass(frozen=True)
class Highlighter:
    stems: frozenset[str]
    prefixes: tuple[str, ...]
    # Words that could match start with a prefix or with a stem minus its last two letters
    # (stemming only rewrites endings: "policy" -> "polici", "dying" -> "die"). Only those words
    # are stemmed, which keeps snippets cheap on long pages.
    heads: tuple[str, ...] = ()

    def matches(self, word_lower: str) -> bool:
        if self.prefixes and word_lower.startswith(self.prefixes):
            return True
        return stem_word(word_lower) in self.stems

    @property
    def empty(self) -> bool:
        return not self.stems and not self.prefixes


def highlighter_for(node: Node) -> Highlighter:
    found: set[str] = set()
    prefixes: list[str] = []
    for leaf in positive_text_leaves(node):
        if isinstance(leaf, Term | Phrase):
            found.update(stems(leaf.text))
        elif isinstance(leaf, Prefix):
            ws = words(leaf.text)
            if ws:
                found.update(stems(" ".join(ws[:-1])))
                prefixes.append(ws[-1])
                found.update(stems(ws[-1]))
    heads = {p for p in prefixes} | {st[: max(1, len(st) - 2)] for st in found}
    # A head that contains another one finds nothing new.
    minimal = tuple(sorted(h for h in heads if not any(o != h and h.startswith(o) for o in heads)))
    return Highlighter(frozenset(found), tuple(prefixes), minimal)


def make_snippet(text: str, highlighter: Highlighter, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The window of about `max_chars` characters holding the most matches, with matches marked."""
    start, end, spans = _window(text, highlighter, max_chars)
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(_squash(text[pos:s])))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(_squash(text[pos:end])))
    if end < len(text):
        out.append("…")
    return "".join(out)


def plain_snippet(text: str, highlighter: Highlighter, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The same window as make_snippet, as plain text: no marks, no HTML escapes (for CSV cells)."""
    start, end, _spans = _window(text, highlighter, max_chars)
    return ("…" if start > 0 else "") + _squash(text[start:end]) + ("…" if end < len(text) else "")


def _window(text: str, highlighter: Highlighter, max_chars: int) -> tuple[int, int, list[tuple[int, int]]]:
    """Start and end of the snippet's window, and the match spans of the text."""
    spans: list[tuple[int, int]] = []
    if not highlighter.empty:
        spans = _match_spans(text, highlighter)
    if not spans:
        return 0, _cut_end(text, 0, max_chars), []
    # Slide a window over the match starts; keep the one covering the most matches.
    best_i, best_n, j = 0, 0, 0
    for i, (s, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] - s <= max_chars:
            j += 1
        if j - i > best_n:
            best_i, best_n = i, j - i
    first = spans[best_i][0]
    covered = spans[best_i : best_i + best_n]
    slack = max(0, max_chars - (covered[-1][1] - first))
    start = _cut_start(text, max(0, first - slack // 2))
    end = _cut_end(text, start, max_chars)
    return start, max(end, covered[-1][1]), spans


def _match_spans(text: str, highlighter: Highlighter) -> list[tuple[int, int]]:
    lowered = text.lower()
    if len(lowered) != len(text):  # rare case-folding that changes length: offsets would drift
        lowered = text
    seen: dict[str, bool] = {}
    spans: list[tuple[int, int]] = []
    # str.find per head runs in C and skips most of the page; a regex over every position does not.
    for head in highlighter.heads:
        pos = lowered.find(head)
        while pos >= 0 and len(spans) < MAX_SPANS:
            if pos == 0 or not _is_word_char(lowered[pos - 1]):
                m = _WORD.match(lowered, pos)
                if m is not None:
                    word = m.group()
                    hit = seen.get(word)
                    if hit is None:
                        hit = seen[word] = highlighter.matches(word)
                    if hit:
                        spans.append((pos, m.end()))
            pos = lowered.find(head, pos + 1)
    # Heads can overlap ("polic" and "police"): keep each word once, in text order.
    return sorted(set(spans))


def _is_word_char(c: str) -> bool:
    return c.isalnum()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _cut_start(text: str, pos: int) -> int:
    """Move back to the start of the word containing `pos` (bounded: scans may lack spaces)."""
    floor = max(0, pos - 30)
    while pos > floor and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _cut_end(text: str, start: int, max_chars: int) -> int:
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        if space > start:
            end = space
    return end
