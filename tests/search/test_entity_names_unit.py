"""search.query.entity_names on its own: which ids a field value resolves to, and what it suggests."""

from __future__ import annotations

from search.fields import FIELDS, Field
from search.query.ast import FieldValue, Not, Or, Term
from search.query.entity_names import EntityNames, KnownEntity, known_entities, resolve_entity_values, unmatched_values
from search.query.parser import parse_query

NAMES = known_entities(
    [
        ("vendor:amazon", "vendor", "Amazon", ["Amazon Web Services", "AWS", "Amazon"], []),
        ("vendor:clearview-ai", "vendor", "Clearview AI", ["Clearview"], []),
        ("vendor:cellebrite", "vendor", "Cellebrite", [], ["organization:cellebrite-ltd"]),
        ("product:amazon-rekognition", "product", "Amazon Rekognition", ["Rekognition"], []),
        ("organization:clearwater", "organization", "Clearwater Police", [], []),
        ("collection:x", "collection", "Not a field", [], []),
    ]
)


def test_names_aliases_and_ids_resolve_within_their_field() -> None:
    assert NAMES.ids_for("vendor", "AWS") == ("vendor:amazon",)
    assert NAMES.ids_for("vendor", "amazon web services") == ("vendor:amazon",)
    assert NAMES.ids_for("vendor", "vendor:amazon") == ("vendor:amazon",)
    assert NAMES.ids_for("vendor", "clearview_ai") == ("vendor:clearview-ai",)
    assert NAMES.ids_for("product", "rekognition") == ("product:amazon-rekognition",)
    assert NAMES.ids_for("vendor", "rekognition") == ()  # a product's name is not a vendor's
    assert NAMES.ids_for("vendor", "Clear", prefix=True) == ("vendor:clearview-ai",)
    # Ids the reader merged into an entity are searched with it (shared documents may still hold them).
    assert NAMES.ids_for("vendor", "Cellebrite") == ("organization:cellebrite-ltd", "vendor:cellebrite")
    assert all(e.field != "collection" for e in NAMES.entities)
    assert known_entities([("vendor:a", "vendor", "A", ["A", "", "B"], [])]).entities[0].aliases == ("B",)


def test_resolution_widens_the_value_and_keeps_it() -> None:
    assert resolve_entity_values(parse_query("vendor:AWS"), NAMES) == Or(
        (FieldValue("vendor", "AWS"), FieldValue("vendor", "vendor:amazon"))
    )
    assert resolve_entity_values(parse_query("-vendor:AWS"), NAMES) == Not(
        Or((FieldValue("vendor", "AWS"), FieldValue("vendor", "vendor:amazon")))
    )
    # Unknown values, other fields and words of the text are left as written; no names, no change.
    for q in ("vendor:nobody", "exemption:b6", "AWS", "production:AWS"):
        assert resolve_entity_values(parse_query(q), NAMES) == parse_query(q), q
    assert resolve_entity_values(parse_query("vendor:AWS"), None) == FieldValue("vendor", "AWS")
    assert resolve_entity_values(Term("x"), EntityNames(())) == Term("x")


def test_unmatched_values_suggest_the_closest_names_of_their_field() -> None:
    found = unmatched_values(
        parse_query("vendor:clearveiw OR vendor:clearveiw OR vendor:AWS -product:rekogniton"), NAMES
    )
    assert [(s.field, s.value) for s in found] == [("vendor", "clearveiw"), ("product", "rekogniton")]
    assert found[0].entities[0].id == "vendor:clearview-ai"
    assert "organization:clearwater" not in {e.id for e in found[0].entities}
    assert [e.id for e in found[1].entities] == ["product:amazon-rekognition"]
    # Nothing close: no suggestion rather than noise.
    assert unmatched_values(parse_query("vendor:zzqxv"), NAMES)[0].entities == ()
    # An alias scores for its entity, which is suggested once, under its shown name.
    aws = NAMES.suggest("vendor", "Amazon Web Service")
    assert [e.id for e in aws][:1] == ["vendor:amazon"] and len({e.id for e in aws}) == len(aws)
    assert EntityNames((KnownEntity("vendor:a", "vendor", "Acme"),)).suggest("vendor", "Acme", limit=0) == ()


def test_which_fields_are_entity_fields_is_the_registrys_word() -> None:
    location = Field("location", "entity", "Locations", "Location", "Places named.", "entities", filterable=True)
    with_location = FIELDS.adding(location)
    rows: list[tuple[str, str, str, list[str], list[str]]] = [
        ("location:chicago", "location", "Chicago", ["Windy City"], [])
    ]
    # The shipped registry declares no location field: its rows are left out and its values stay as written.
    assert known_entities(rows).entities == ()
    names = known_entities(rows, with_location)
    tree = parse_query('location:"windy city"', with_location)
    assert resolve_entity_values(tree, names) == tree
    assert resolve_entity_values(tree, names, with_location) == Or(
        (FieldValue("location", "windy city"), FieldValue("location", "location:chicago"))
    )
    assert unmatched_values(parse_query("location:chicgo", with_location), names, with_location)[0].entities == (
        names.entities[0],
    )
