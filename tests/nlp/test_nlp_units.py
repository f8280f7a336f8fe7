"""Offices, bureaus, divisions and governments the gazetteer lacks, by the shape of their names."""

from __future__ import annotations

import pytest

from nlp.agencies import find_units
from nlp.textnorm import join_prose_lines


def _names(text: str) -> list[str]:
    """The readings, without the shorter from-the-head-on reading offered beside a longer one."""
    units = find_units(text)
    return [u.name for u in units if not any(o is not u and o.start <= u.start and u.end <= o.end for o in units)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("reviewed by the Bureau of Records Integrity. It was", ["Bureau of Records Integrity"]),
        ("the Office of Grants, Procurement and Audits approved", ["Office of Grants, Procurement and Audits"]),
        ("to the Harbor Vice Division and the Finance Division.", ["Harbor Vice Division", "Finance Division"]),
        ("the Bureau of Support Services and Bureau of Patrol", ["Bureau of Support Services", "Bureau of Patrol"]),
        ("TO: BUREAU OF TECHNICAL SERVICES", ["Bureau of Technical Services"]),
        ("a suit in the Superior Court of the District of Columbia.", ["Superior Court of the District of Columbia"]),
        ("the County of Marin and the City of Los Angeles", ["County of Marin", "City of Los Angeles"]),
        ("the County’s Board of Supervisors voted", ["Board of Supervisors"]),
        ("The Mayor’s Office of Legal Counsel, FOIA Appeal", ["Mayor’s Office of Legal Counsel"]),
    ],
)  # fmt: skip
def test_units_by_name_shape(text: str, names: list[str]) -> None:
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Department of Police · City",  # a letterhead's generic name
        "the office of the Chief said",  # a common noun
        "City of Tacoma     Chief Jane Roe",  # a column gap ends the name...
    ],
)
def test_no_unit_or_no_run_on(text: str) -> None:
    assert all(" Chief" not in n and not n.startswith("Department of Police") for n in _names(text))
    assert "office of the Chief" not in " ".join(_names(text))


def test_prose_line_continues_a_name_but_a_short_line_does_not() -> None:
    prose = (
        "Your request was reviewed by the Chicago Police Department’s (CPD) Organized Crime\n   Division and counsel."
    )
    joined = join_prose_lines(prose)
    units = find_units(joined.text)
    assert [u.name for u in units] == ["Organized Crime Division"]  # "(CPD)" is no part of it
    start, end = joined.to_original(units[0].start, units[0].end)
    assert prose[start:end] == "Organized Crime\n   Division"
    letterhead = "Office of Legal Affairs\nSpringfield Division of Parks"
    assert _names(join_prose_lines(letterhead).text) == ["Office of Legal Affairs", "Springfield Division of Parks"]
