from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlp import gazetteer as gaz


@pytest.fixture(scope="module")
def table() -> gaz.Gazetteer:
    return gaz.load()


def test_size_and_types(table: gaz.Gazetteer) -> None:
    assert len(table.entries) >= 150
    types = Counter(e.type for e in table.entries)
    assert set(types) == set(gaz.GAZETTEER_TYPES)
    assert min(types.values()) >= 30


@pytest.mark.parametrize(
    ("product", "vendor"),
    [
        ("product:amazon-rekognition", "vendor:amazon"),
        ("product:azure-face", "vendor:microsoft"),
        ("product:ufed", "vendor:cellebrite"),
        ("product:hailstorm", "vendor:harris"),
        ("product:stingray", "vendor:harris"),
        ("product:graykey", "vendor:grayshift"),
    ],
)
def test_products_name_their_vendor(table: gaz.Gazetteer, product: str, vendor: str) -> None:
    assert table.by_id()[product].vendor_id == vendor


def test_every_product_has_a_known_vendor(table: gaz.Gazetteer) -> None:
    ids = table.by_id()
    for e in table.entries:
        if e.type == "product":
            assert e.vendor_id in ids and ids[e.vendor_id].type == "vendor"


def test_acronyms_match_only_in_their_case(table: gaz.Gazetteer) -> None:
    exact = {p for _, p in table.exact_phrases}
    folded = {p.lower() for _, p in table.folded_phrases}
    assert {"ICE", "CPD", "FBI", "Apple"} <= exact
    assert "ice" not in folded and "cpd" not in folded and "apple" not in folded
    # "NEC" is also the National Electrical Code: only near a context term (ambiguous-alias rule).
    assert ("vendor:nec", "NEC") in {(a.entity_id, a.alias) for a in table.ambiguous}
    assert "NEC" not in exact and "nec" not in folded


def test_spelling_variants() -> None:
    assert {"Pen-Link", "Pen Link", "PenLink"} <= gaz.spelling_variants("Pen-Link")
    assert {"ShotSpotter", "Shot Spotter", "Shot-Spotter"} <= gaz.spelling_variants("ShotSpotter")
    assert "Hailstorms" in gaz.spelling_variants("Hailstorm", plural=True)
    assert "Harris Corp." in gaz.spelling_variants("Harris Corp")
    assert "Sheriff\u2019s Office" in gaz.spelling_variants("Sheriff's Office")


def test_one_spelling_names_one_entity() -> None:
    with pytest.raises(gaz.GazetteerError, match="names both"):
        gaz.parse(
            [
                {"id": "vendor:a", "type": "vendor", "name": "Acme", "aliases": ["Widget Co"]},
                {"id": "vendor:b", "type": "vendor", "name": "Widget co"},
            ]
        )


@pytest.mark.parametrize(
    "entry",
    [
        {"id": "vendor:x", "type": "gadget", "name": "X"},
        {"id": "product:x", "type": "product", "name": "X"},
        {"id": "product:x", "type": "product", "name": "X", "vendor": "vendor:nobody"},
        {"id": "vendor:x", "type": "vendor", "name": "X", "ambiguous": ["X"]},
        {"id": "agency:x", "type": "vendor", "name": "X"},
    ],
)
def test_bad_entries_are_refused(entry: dict[str, object]) -> None:
    with pytest.raises(gaz.GazetteerError):
        gaz.parse([entry])


def test_load_custom_file(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("entries:\n- {id: vendor:acme, type: vendor, name: Acme Surveillance}\n")
    table = gaz.load(path)
    assert [e.id for e in table.entries] == ["vendor:acme"]
