"""Snippets and cursors as pure functions."""

from __future__ import annotations

import pytest

from search.cursor import Cursor, InvalidCursor, decode_cursor, encode_cursor, fingerprint
from search.query import parse_query
from search.snippets import make_snippet


def snip(query: str, text: str, chars: int = 240) -> str:
    return make_snippet(text, parse_query(query), chars)


def test_marks_stemmed_words_and_escapes_the_rest() -> None:
    assert snip("policy", "Our <b>policies</b> & police") == "Our &lt;b&gt;<mark>policies</mark>&lt;/b&gt; &amp; police"


def test_marks_prefixes_and_whole_phrases_and_nothing_on_a_page_the_not_excludes() -> None:
    query = 'surveil* "face recognition" -police'
    out = snip(query, "Face recognition surveillance by the FBI")
    assert out == "<mark>Face recognition</mark> <mark>surveillance</mark> by the FBI"
    assert "<mark>" not in snip(query, "Face recognition surveillance by police")


def test_a_phrase_marks_its_occurrences_only() -> None:
    out = snip('"face recognition"', "Face detection, iris recognition, face recognition.")
    assert out == "Face detection, iris recognition, <mark>face recognition</mark>."


def test_proximity_marks_only_the_pairs_within_the_distance() -> None:
    text = "clearview trial " + "x " * 40 + "trial then clearview"
    out = snip("clearview w/5 trial", text, 400)
    assert out.count("<mark>") == 4  # the two close pairs, never the lone words between
    assert (
        "<mark>clearview</mark> <mark>trial</mark> x" in out and "<mark>trial</mark> then <mark>clearview</mark>" in out
    )
    assert "<mark>" not in snip("clearview w/5 trial", "clearview " + "x " * 40 + "trial")


def test_window_holds_the_densest_matches() -> None:
    text = "filler " * 100 + "palantir gotham palantir " + "filler " * 100
    out = snip("palantir", text, 60)
    assert out.startswith("…") and out.endswith("…")
    assert out.count("<mark>palantir</mark>") == 2
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 70


def test_no_match_gives_the_start_of_the_page() -> None:
    assert snip("", "a <b> page") == "a &lt;b&gt; page"
    assert snip("zebra", "word " * 100, 20).endswith("…")


def test_cursor_round_trip_and_refusals() -> None:
    fp = fingerprint("q", {"vendor": ["x"]})
    cursor = Cursor(fp, 42, "abc", [1.5, "doc-1"])
    assert decode_cursor(encode_cursor(cursor), fp) == cursor
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor(cursor), fingerprint("other"))
    for bad in ("", "!!!", "e30", encode_cursor(cursor)[:-3]):
        with pytest.raises(InvalidCursor):
            decode_cursor(bad, fp)
