"""Whole-page highlighting for the viewer: HTML-escaped text with the query's words in <mark>."""

from __future__ import annotations

import html
import re

from search.snippets import Highlighter

_WORD = re.compile(r"[^\W_]+")


def hit_spans(text: str, highlighter: Highlighter) -> list[tuple[int, int]]:
    if highlighter.empty:
        return []
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if highlighter.matches(m.group().lower())]


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)
