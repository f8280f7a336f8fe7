from __future__ import annotations

import pytest

from nlp import find_dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("December 9, 2020", "2020-12-09"),
        ("Sent: Monday, March 20, 2023 6:34 AM", "2023-03-20"),
        ("Jun. 12 2019", "2019-06-12"),
        ("12 June 2019", "2019-06-12"),
        ("20 July, 2015", "2015-07-20"),
        ("12th of June, 2019", "2019-06-12"),
        ("16-JUL-2021", "2021-07-16"),
        ("23-Feb-21", "2021-02-23"),
        ("2019-06-30", "2019-06-30"),
        ("Date: 2023/03/20 08:54:00", "2023-03-20"),
        ("06/12/2019", "2019-06-12"),
        ("8/4/21", "2021-08-04"),
        ("31/12/2019", "2019-12-31"),
        ("9-17-15", "2015-09-17"),
        ("June 12,\n2019", "2019-06-12"),
    ],
)
def test_formats(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


@pytest.mark.parametrize("text", ["Phase 1/2/3 Study", "2019-02-30", "version 1.2.2019", "13/13/2019", "May I"])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_offsets() -> None:
    text = "Received on 06/12/2019 and answered June 30, 2019."
    found = find_dates(text)
    assert [d.iso for d in found] == ["2019-06-12", "2019-06-30"]
    assert all(text[d.start : d.end] == d.text for d in found)
