"""Any text at all: the pure extractors never fail and their offsets always index the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import find_bates, find_dates, find_exemptions

# Characters the extractors care about, so that generated text often comes close to a match.
TEXTY = st.text(alphabet=st.sampled_from("bB()67CE ,-/.:\n\t0123459ExemptionJun ILCS7(1)(c)FBI-"), max_size=200)


@settings(max_examples=300)
@given(st.one_of(TEXTY, st.text(max_size=200)))
def test_extractors_total_and_offsets_valid(text: str) -> None:
    for m in find_exemptions(text):
        assert text[m.start : m.end] == m.text
        assert m.kind in ("federal", "state")
    for d in find_dates(text):
        assert text[d.start : d.end] == d.text
        assert len(d.iso) == 10
    bates = find_bates(text)
    assert bates is None or bates.strip() == bates
