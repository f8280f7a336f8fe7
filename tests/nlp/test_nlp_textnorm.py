from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nlp.textnorm import normalize


def test_line_broken_name_is_joined() -> None:
    n = normalize("the Chicago Police\n    Department said")
    assert n.text == "the Chicago Police Department said"
    start = n.text.index("Chicago")
    s, e = n.to_original(start, start + len("Chicago Police Department"))
    assert "the Chicago Police\n    Department said"[s:e] == "Chicago Police\n    Department"


def test_soft_hyphen_at_line_end() -> None:
    assert normalize("Celle-\n  brite").text == "Cellebrite"
    assert normalize("Pen-\nLink").text == "Pen-Link"


@given(st.text(alphabet=st.sampled_from("ab -\n\t")))
def test_every_normalized_char_maps_to_the_same_char_or_whitespace(text: str) -> None:
    n = normalize(text)
    assert len(n.origin) == len(n.text)
    assert list(n.origin) == sorted(n.origin)
    for i, ch in enumerate(n.text):
        orig = text[n.origin[i]]
        assert orig == ch or (ch == " " and orig.isspace())
