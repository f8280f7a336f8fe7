"""Result snippets read only a page's candidate words (search.query.candidates): their marks must be
exactly those of the full evaluation over every token of the page, on generated pages with planted
phrases, proximity pairs at known distances, negated, prefix and fuzzy words, and for the premises
the candidate search rests on (how porter2 and case folding change words)."""

from __future__ import annotations

import datetime as dt
import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import stem_word
from search.query.ast import (
    And,
    DateRange,
    FieldValue,
    Fuzzy,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Proximity,
    Span,
    SpanOr,
    Term,
)
from search.query.candidates import candidate_tokens, head, plan_for
from search.query.evaluate import evaluate_tokens, match_spans
from search.query.tokens import WORD, distinct_words, tokenize
from tests.search.planted import FILLER

# Families of words a query and a page share: forms that porter2 rewrites ("policies" -> "polici",
# "dying" -> "die", "ability" -> "abil"), near spellings for fuzzy words, a word the index drops (45
# letters), words that case folding lengthens (İ) or folds by context (Σ), non-ASCII letters.
FAMILIES = [
    ["Clearview", "clearviews", "clerview", "cleerveiw", "CLEARVIEW"],
    ["trial", "trials", "Trial", "tryal"],
    ["face", "Face", "faces", "facial"],
    ["recognition", "recognized", "Recognizing", "precognition"],
    ["surveillance", "surveil", "surveys", "survey"],
    ["policy", "policies", "police", "policing", "polic"],
    ["dying", "die", "died", "dies"],
    ["ability", "able", "abilities", "enable"],
    ["skies", "sky", "ski"],
    ["x" * 45, "x" * 44, "x" * 39],
    ["über", "ÜBER", "uber"],
    ["İstanbul", "istanbul"],
    ["ΟΔΟΣ", "οδος", "οδοσ", "ΟΔΟΙ"],
    ["naïve", "naive", "NAÏVE"],
    ["2019", "2019s", "20191"],
]
SEPARATORS = [" ", " ", " ", ", ", ". ", ".", "'", "\n", " - ", "—", "\t\t", "_"]
families = st.lists(st.sampled_from(FAMILIES), min_size=1, max_size=3, unique_by=lambda f: f[0])


def page_strategy(vocabulary: list[str]) -> st.SearchStrategy[str]:
    word = st.one_of(st.sampled_from(vocabulary), st.integers(0, 11).map(lambda i: FILLER[i]))
    pieces = st.one_of(
        word.map(lambda w: [w]),
        # a pair at a known distance: k filler words between
        st.tuples(word, st.integers(0, 14), word).map(lambda t: [t[0], *FILLER[: t[1]], t[2]]),
    )

    @st.composite
    def page(draw: st.DrawFn) -> str:
        words = [w for piece in draw(st.lists(pieces, max_size=20)) for w in piece]
        seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
        return "".join(w + s for w, s in zip(words, seps, strict=True))

    return page()


def tree_strategy(vocabulary: list[str]) -> st.SearchStrategy[Node]:
    words_ = st.sampled_from(vocabulary).map(str.lower)
    prefixes = st.tuples(words_, st.integers(1, 8)).map(lambda t: t[0][: t[1]])
    leaves: st.SearchStrategy[Span] = st.one_of(
        words_.map(Term),
        prefixes.map(Prefix),
        st.tuples(words_, words_).map(lambda t: Phrase(f"{t[0]} {t[1]}")),
    )
    spans: st.SearchStrategy[Span] = st.one_of(
        leaves, st.lists(leaves, min_size=2, max_size=3).map(lambda c: SpanOr(tuple(c)))
    )
    texts: st.SearchStrategy[Node] = st.one_of(
        leaves,
        st.tuples(spans, spans, st.integers(1, 14), st.booleans()).map(lambda t: Proximity(*t)),
        st.tuples(words_, words_, st.integers(0, 12)).map(lambda t: Phrase(f"{t[0]} {t[1]}", t[2])),
        st.tuples(words_, st.integers(1, 2)).map(lambda t: Fuzzy(*t)),
    )
    fields = st.sampled_from(
        [FieldValue("vendor", "amazon"), DateRange(dt.date(2019, 1, 1), None), FieldValue("exemption", "b6")]
    )
    return st.recursive(
        st.one_of(texts, texts, fields),
        lambda inner: st.one_of(
            st.lists(inner, min_size=2, max_size=3).map(lambda c: And(tuple(c))),
            st.lists(inner, min_size=2, max_size=3).map(lambda c: Or(tuple(c))),
            inner.map(Not),
        ),
        max_leaves=5,
    )


@st.composite
def pages_and_trees(draw: st.DrawFn) -> tuple[str, Node]:
    vocabulary = [w for family in draw(families) for w in family]
    return draw(page_strategy(vocabulary)), draw(tree_strategy(vocabulary))


@settings(max_examples=500, deadline=None)
@given(pages_and_trees())
def test_candidate_words_mark_exactly_what_every_token_marks(case: tuple[str, Node]) -> None:
    text, node = case
    full = evaluate_tokens(node, tokenize(text), None)
    assert match_spans(node, text) == full.spans


pairs = st.lists(st.tuples(st.sampled_from(["Clearview", "trial", "trials"]), st.integers(0, 40)), max_size=12)
pair_queries = st.one_of(
    st.tuples(st.integers(1, 14), st.booleans()).map(lambda t: Proximity(Term("clearview"), Term("trial"), *t)),
    st.tuples(st.integers(1, 14), st.booleans()).map(lambda t: Proximity(Phrase("clearview trial"), Prefix("tri"), *t)),
    st.integers(0, 14).map(lambda slop: Phrase("clearview trial", slop)),
)


@settings(max_examples=300, deadline=None)
@given(pairs, pair_queries)
def test_distances_compare_as_on_the_whole_page(planted: list[tuple[str, int]], node: Node) -> None:
    # Words at known distances, some farther apart than the query reaches: positions are counted
    # only up to its reach, and every comparison must still answer as over every token.
    text = " ".join(f"{word} {' '.join(FILLER[i % 12] for i in range(gap))}" for word, gap in planted)
    full = evaluate_tokens(node, tokenize(text), None)
    assert match_spans(node, text) == full.spans


def test_pages_whose_case_folding_moves_letters_are_read_whole() -> None:
    # "Σ" folds to σ before a letter (even after '.') and to ς at a word's end; "İ" folds to two
    # characters, which would move every later offset.
    cases: list[tuple[str, Node]] = [
        ("ΟΔΟΣ.alpha οδος", Term("οδος")),
        ("ΟΔΟΣ'ΟΔΟΣ", Term("οδος")),
        ("İstanbul police policy", Term("police")),
        ("İİİ clearview alpha trial", Proximity(Term("clearview"), Term("trial"), 2, True)),
    ]
    for text, node in cases:
        full = evaluate_tokens(node, tokenize(text), None)
        assert full.spans and match_spans(node, text) == full.spans, text


def test_positions_past_a_query_reach_are_capped_but_compare_the_same() -> None:
    # 40 words between the pairs: positions are counted only up to the reach (3 + 1 + 0).
    text = "clearview alpha alpha trial " + "bravo " * 40 + "clearview trial"
    node = Proximity(Term("clearview"), Term("trial"), 3, True)
    tokens = candidate_tokens(text, plan_for(node))
    assert tokens.positions == [0, 3, 3 + 1 + 3, 3 + 1 + 3 + 1]
    assert match_spans(node, text) == ((0, 9), (22, 27), (268, 277), (278, 283))


letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöü", min_size=0, max_size=6)
# Endings porter2 rewrites or removes, joined onto random stems.
PORTER2_ENDINGS = (  # noqa: SIM905 (63 endings read better as text than as a list)
    "ational tional enci anci izer bli abli alli entli eli ousli ization ation ator alism aliti "
    "iviti biliti fulli lessli li ogi icate iciti ical ful ness ative alize ing ingly ed edly eed "
    "eedly ies ied s ss sses y ly e l ll ement ment ent ism ate iti ous ive ize al ance ence er ic "
    "able ible ant us"
).split()
suffixes = st.sampled_from(PORTER2_ENDINGS)


@settings(max_examples=2000, deadline=None)
@given(letters, st.lists(suffixes, min_size=0, max_size=3))
def test_a_word_begins_with_the_head_of_its_stem(base: str, ends: list[str]) -> None:
    """The premise of the candidate search: porter2 writes only 'e', 'i', 'l' or 'y' in place of a
    word's last letters, at most two of them, and never lengthens it; so a word begins with its stem's
    head, and with the head of every prefix its stem begins with."""
    word = base + "".join(ends)
    if not word:
        return
    stem = stem_word(word)
    assert len(stem) <= len(word)
    for end in range(1, len(stem) + 1):
        assert word.startswith(head(stem[:end])), (word, stem, stem[:end])


def test_case_folding_keeps_word_characters_and_only_sigma_folds_by_context() -> None:
    letter = re.compile(r"[^\W_]")
    folded = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and chr(c).lower() != chr(c)]
    for c in folded:
        low = c.lower()
        if len(low) == 1:  # a longer one moves offsets: such pages are tokenized whole
            assert bool(letter.match(c)) == bool(letter.match(low)), hex(ord(c))
            in_context = ((pre + c + post).lower()[len(pre)] for pre in ("A", "a'", "") for post in ("", "A"))
            context_free = all(folded_here == low for folded_here in in_context)
            assert context_free or c == "\u03a3", hex(ord(c))


@given(families.flatmap(lambda fs: page_strategy([w for f in fs for w in f])))
def test_distinct_words_are_the_regex_words(text: str) -> None:
    for t in (text, text.lower(), text.encode("ascii", "replace").decode()):
        assert distinct_words(t) == set(WORD.findall(t))
