"""Payees of a check register become vendors."""

from __future__ import annotations

from nlp import Analyzer
from nlp.registers import find_payees

PAYEES = ["Harbor Animal Clinic", "Jiffy Brake", "Northline Batteries", "Corvid Electric Inc."]


def _register(payees: list[str]) -> str:
    rows = [
        f"{m}/1{m}/11   {2000 + i}   {p}   Inv {700 + i}, {800 + i}   {i + 1},{i}41.{i}0"
        for i, (m, p) in enumerate(zip(range(1, 9), payees * 2, strict=True))
    ]
    return "Sheriff's Office\n1505 Transactions\n" + "\n".join(rows) + "\n"


def test_payees_are_read_from_register_rows() -> None:
    text = _register(PAYEES)
    assert sorted({p.name for p in find_payees(text)}) == sorted(p.rstrip(".") for p in PAYEES)
    for p in find_payees(text):
        assert text[p.start : p.end] == p.name


def test_too_few_rows_is_not_a_register() -> None:
    text = "10/20/11 2003 Harbor Animal Clinic Inv 688199 209.80\n"
    assert find_payees(text) == []


def test_register_payees_reach_the_vendor_facet(analyzer: Analyzer) -> None:
    facts = analyzer.analyze([_register(PAYEES)])[0]
    vendors = {m.entity_id for m in facts.mentions if m.entity_type == "vendor"}
    assert {"vendor:harbor-animal-clinic", "vendor:jiffy-brake", "vendor:northline-batteries",
            "vendor:corvid-electric"} <= vendors  # fmt: skip
