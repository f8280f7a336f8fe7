"""Text analysis shared by the index and the query compilers, so both sides make the same tokens.

The chain equals tantivy's built-in "en_stem": split on anything not alphanumeric, drop tokens longer
than 40 bytes, lowercase, Snowball English (porter2) stemming. No stop words, so positions (and so
proximity) count every word. The Elasticsearch mapping in search.query.compile_dsl mirrors it.
"""

from __future__ import annotations

from functools import lru_cache

import tantivy

ANALYZER_NAME = "foia_en"
WORDS_ANALYZER_NAME = "foia_words"
MAX_TOKEN_BYTES = 40


@lru_cache(maxsize=1)
def stem_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


@lru_cache(maxsize=1)
def words_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .build()
    )


def stems(text: str) -> list[str]:
    """Index tokens of `text`: what a word must become to match."""
    return list(stem_analyzer().analyze(text))


def words(text: str) -> list[str]:
    """Lowercased words, unstemmed (prefixes must not be stemmed: 'surveil*' is not a word)."""
    return list(words_analyzer().analyze(text))


_STEM_CACHE: dict[str, str] = {}


def stem_word(word: str) -> str:
    """Stem one lowercased word, cached: snippets stem every word of the pages they show."""
    s = _STEM_CACHE.get(word)
    if s is None:
        out = stem_analyzer().analyze(word)
        s = out[0] if out else ""
        if len(_STEM_CACHE) > 200_000:
            _STEM_CACHE.clear()
        _STEM_CACHE[word] = s
    return s
