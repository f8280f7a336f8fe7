"""Inferring the Bates number of a page whose stamp OCR lost, from its stamped neighbours."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nlp.bates_gaps import PageBates, infer_page_bates


def _values(stamps: list[str | None]) -> list[tuple[str | None, bool]]:
    return [(p.value, p.inferred) for p in infer_page_bates(stamps)]


def test_a_gap_of_one_page_between_one_sequence() -> None:
    assert _values(["FBI-000120", None, "FBI-000122"]) == [
        ("FBI-000120", False),
        ("FBI-000121", True),
        ("FBI-000122", False),
    ]


def test_a_gap_of_several_pages() -> None:
    got = _values(["DOJ-OIP-2019-00098", None, None, None, "DOJ-OIP-2019-00102"])
    assert got[1:4] == [("DOJ-OIP-2019-00099", True), ("DOJ-OIP-2019-00100", True), ("DOJ-OIP-2019-00101", True)]


def test_a_number_carried_past_a_power_of_ten_keeps_the_width() -> None:
    assert _values(["ABC0000998", None, "ABC0001000"])[1] == ("ABC0000999", True)


def test_mismatched_prefixes_infer_nothing() -> None:
    assert _values(["FBI-000120", None, "DOJ-000122"])[1] == (None, False)


def test_mismatched_widths_infer_nothing() -> None:
    assert _values(["FBI-000120", None, "FBI-00122"])[1] == (None, False)


def test_numbers_inconsistent_with_the_page_distance_infer_nothing() -> None:
    assert _values(["FBI-000120", None, "FBI-000130"])[1] == (None, False)
    assert _values(["FBI-000120", None, None, "FBI-000122"])[1:3] == [(None, False), (None, False)]


def test_the_documents_edges_infer_nothing() -> None:
    assert _values([None, "FBI-000121", "FBI-000122", None]) == [
        (None, False),
        ("FBI-000121", False),
        ("FBI-000122", False),
        (None, False),
    ]
    assert _values([None, None]) == [(None, False), (None, False)]
    assert infer_page_bates([]) == []


def test_a_stamp_read_from_the_page_is_never_changed() -> None:
    # Stamps that disagree with their neighbours are kept as read: only missing ones are inferred.
    assert infer_page_bates(["FBI-000120", "FBI-000500", "FBI-000122"]) == [
        PageBates("FBI-000120"),
        PageBates("FBI-000500"),
        PageBates("FBI-000122"),
    ]


prefixes = st.sampled_from(["FBI-", "DOJ-OIP-2019-", "ABC", "CPD-"])


@given(
    prefix=prefixes,
    width=st.integers(4, 8),
    start=st.integers(0, 900),
    length=st.integers(2, 30),
    lost=st.sets(st.integers(0, 29)),
)
def test_lost_stamps_inside_one_sequence_are_restored(
    prefix: str, width: int, start: int, length: int, lost: set[int]
) -> None:
    truth = [f"{prefix}{start + i:0{width}d}" for i in range(length)]
    stamps: list[str | None] = [None if i in lost else b for i, b in enumerate(truth)]
    got = infer_page_bates(stamps)
    stamped = [i for i, s in enumerate(stamps) if s]
    for i, page in enumerate(got):
        inside = bool(stamped) and stamped[0] < i < stamped[-1]
        if stamps[i]:
            assert page == PageBates(truth[i])
        elif inside:
            assert page == PageBates(truth[i], inferred=True)
        else:
            assert page == PageBates(None)


@given(
    width=st.integers(4, 8),
    start=st.integers(0, 900),
    gap=st.integers(1, 10),
    skew=st.integers(-5, 5).filter(lambda k: k != 0),
)
def test_a_gap_whose_numbers_do_not_fit_its_length_stays_empty(width: int, start: int, gap: int, skew: int) -> None:
    end = start + gap + 1 + skew
    stamps: list[str | None] = [f"FBI-{start:0{width}d}", *([None] * gap), f"FBI-{max(end, 0):0{width}d}"]
    if max(end, 0) - start == gap + 1:  # the skew clamped back onto the sequence
        return
    assert all(p == PageBates(None) for p in infer_page_bates(stamps)[1:-1])
