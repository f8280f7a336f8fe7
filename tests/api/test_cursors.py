"""The API's one list cursor (api/cursors.py): keyset pages hold every row exactly once, and a cursor opens
only for the list, parameters and collections it was issued for; anything else is a 400 problem."""

from __future__ import annotations

import itertools

import pytest

from api.cursor_seal import CursorSeal
from api.cursors import Key, ListCursors, page_after
from api.problems import Problem

SEAL = CursorSeal(b"a test session secret")


def _key(row: tuple[int, str]) -> Key:
    return (-row[0], row[1])  # most first, ties by id


ROWS = [(n % 3, f"doc-{n:02d}") for n in range(11)]  # many ties on the count


def _walk(rows: list[tuple[int, str]], limit: int) -> list[tuple[int, str]]:
    seen: list[tuple[int, str]] = []
    after = None
    while True:
        chunk, after = page_after(rows, _key, after, limit)
        seen += chunk
        if after is None:
            return seen


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 10, 11, 50])
def test_keyset_pages_hold_every_row_once_in_order(limit: int) -> None:
    assert _walk(ROWS, limit) == sorted(ROWS, key=_key)


def test_a_row_added_before_the_cursor_neither_repeats_nor_shifts_the_rest() -> None:
    first, after = page_after(ROWS, _key, None, 4)
    grown = [*ROWS, (9, "doc-new")]  # sorts first: before the cursor
    rest: list[tuple[int, str]] = []
    while after is not None:
        chunk, after = page_after(grown, _key, after, 4)
        rest += chunk
    assert first + rest == sorted(ROWS, key=_key)


def _problem(call: object) -> Problem:
    with pytest.raises(Problem) as raised:
        call()  # type: ignore[operator]
    assert raised.value.status == 400 and raised.value.kind.uri == "/problems/invalid-cursor"
    assert "cursor" in raised.value.detail
    return raised.value


def test_a_cursor_opens_only_where_it_was_issued() -> None:
    reader = ListCursors(SEAL, ("col-a",))
    token = reader.of("density", "prd-1").issue([-0.5, 3, "doc-01"])
    assert token is not None
    assert reader.of("density", "prd-1").open(token, (float, int, str)) == (-0.5, 3, "doc-01")
    assert reader.of("density", "prd-1").open(None, (float, int, str)) is None
    assert "another list" in _problem(lambda: reader.of("withheld", "prd-1").open(token, (str, int))).detail
    assert "collections" in _problem(lambda: reader.of("density", "prd-2").open(token, (float, int, str))).detail
    other_reader = ListCursors(SEAL, ("col-b",))
    assert "collections" in _problem(lambda: other_reader.of("density", "prd-1").open(token, (float, int, str))).detail
    everyone = ListCursors(SEAL, None)
    _problem(lambda: everyone.of("density", "prd-1").open(token, (float, int, str)))
    other_server = ListCursors(CursorSeal(b"another secret"), ("col-a",))
    _problem(lambda: other_server.of("density", "prd-1").open(token, (float, int, str)))


def test_tampered_and_hand_made_cursors_are_400_problems() -> None:
    listed = ListCursors(SEAL, None).of("files", "prd-1", None)
    token = listed.issue(["fil_0123456789abcdef"])
    assert token is not None
    flips = (token[:n] + ("A" if token[n] != "A" else "B") + token[n + 1 :] for n in (0, 20, len(token) - 1))
    for bad in itertools.chain(flips, ["garbage", "40", "12:ent_ab12", "%%%", token + "x", "\u00e9"]):
        _problem(lambda bad=bad: listed.open(bad, (str,)))
    # A key of another shape (a list's key changed between versions) is refused, never compared.
    _problem(lambda: listed.open(token, (int, str)))


def test_equal_pages_get_different_tokens() -> None:
    listed = ListCursors(SEAL, None).of("productions")
    assert listed.issue(["prd_1"]) != listed.issue(["prd_1"])
    assert listed.issue(None) is None
