"""Highlighted snippets: pure functions over a page's text and the parsed query.

What is marked is what the query evaluator (search.query.evaluate) found matching on the page: a
phrase as one mark, a proximity pair only when within its distance, nothing under NOT. Output is
HTML-escaped apart from the `<mark>` tags; `plain_snippet` gives the same window as plain text.
"""

from __future__ import annotations

import html

from search.query.ast import Node
from search.query.evaluate import match_spans

DEFAULT_MAX_CHARS = 240


def make_snippet(text: str, node: Node, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The window of about `max_chars` characters holding the most matches, with matches marked."""
    start, end, spans = _window(text, node, max_chars)
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(squash(text[pos:s])))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(squash(text[pos:end])))
    if end < len(text):
        out.append("…")
    return "".join(out)


def plain_snippet(text: str, node: Node, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The same window as make_snippet, as plain text: no marks, no HTML escapes (for CSV cells)."""
    start, end, _spans = _window(text, node, max_chars)
    return ("…" if start > 0 else "") + squash(text[start:end]) + ("…" if end < len(text) else "")


def _window(text: str, node: Node, max_chars: int) -> tuple[int, int, list[tuple[int, int]]]:
    """Start and end of the snippet's window, and the match spans of the text."""
    spans = list(match_spans(node, text))
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


def squash(text: str) -> str:
    """Every run of whitespace as one space, as re.sub(r"\\s+", " ", text) writes it (str.split
    splits on the same characters, in C, some times faster on snippet-sized text)."""
    inner = " ".join(text.split())
    if not text or not (text[0].isspace() or text[-1].isspace()):
        return inner
    if not inner:
        return " "
    return (" " if text[0].isspace() else "") + inner + (" " if text[-1].isspace() else "")


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
