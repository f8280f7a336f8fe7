from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp import normalize_organization, normalize_person


@pytest.mark.parametrize(
    "variants",
    [
        ["Acme Widgets, Inc.", "ACME WIDGETS INC", "Acme Widgets", "the Acme Widgets Inc.", "acme widgets llc"],
        ["Drinker Biddle & Reath LLP", "Drinker Biddle and Reath", "DRINKER BIDDLE & REATH, L.L.P."],
        ["The Boeing Company", "Boeing Co.", "Boeing"],
        ["Mars on Gravity", "Mars On Gravity"],
        ["Wal-Mart Stores, Inc.", "Wal Mart Stores"],
        ["Apple Inc.'s", "Apple Inc"],
    ],
)
def test_variants_merge(variants: list[str]) -> None:
    assert len({normalize_organization(v) for v in variants}) == 1


def test_key_shape() -> None:
    assert normalize_organization("Drinker Biddle & Reath LLP") == "drinker-biddle-and-reath"
    assert normalize_organization("U.S. Postal Service") == "us-postal-service"
    # A name that is only a legal form keeps it rather than vanish.
    assert normalize_organization("Company") == "company"


def test_person_keys() -> None:
    assert normalize_person("Mr. John  Smith") == normalize_person("JOHN SMITH") == "john-smith"


@given(st.text())
def test_key_is_idempotent_and_url_safe(name: str) -> None:
    key = normalize_organization(name)
    assert normalize_organization(key.replace("-", " ")) in (key, normalize_organization(key))
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in key)
