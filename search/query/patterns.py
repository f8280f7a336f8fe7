"""What each text leaf of a query matches, as the compilers build it: word patterns (stems, or a
prefix of a stem), a fuzzy word's stem, and the edit distance both engines count. Pure, and cached by
leaf: the evaluator asks for the same leaves on every page a request evaluates, and each answer is a
call into the analyzer."""

from __future__ import annotations

from functools import lru_cache

from search.analysis import stems, words
from search.query.ast import Phrase, Prefix, Term

# One position of a word pattern: (stem or prefix, is_prefix)
Item = tuple[str, bool]
Pattern = tuple[Item, ...]


@lru_cache(maxsize=4096)
def leaf_patterns(n: Term | Prefix | Phrase) -> tuple[Pattern, ...]:
    """The word patterns a leaf matches (alternatives); a sloppy phrase's single pattern is placed
    with gaps by the evaluator."""
    if isinstance(n, Prefix):
        ws = words(n.text)
        if not ws:
            return ()
        head: Pattern = tuple((s, False) for s in stems(" ".join(ws[:-1])))
        alternatives: list[Pattern] = [(*head, (ws[-1], True))]
        own = stems(ws[-1])
        if len(ws) == 1 and own and own[0] != ws[0]:
            alternatives.append(((own[0], False),))  # 'surveillance*' also matches its stem 'surveil'
        return tuple(alternatives)
    found = stems(n.text)
    return (tuple((s, False) for s in found),) if found else ()


@lru_cache(maxsize=4096)
def text_stems(text: str) -> tuple[str, ...]:
    return tuple(stems(text))


@lru_cache(maxsize=65_536)
def within_edits(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance (insert, delete, substitute; no transpositions) at most `limit`; cached,
    since a fuzzy word meets the same words on page after page."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
