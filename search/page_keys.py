"""The match keys a page record holds in each key column: the one derivation that both engines index
and the query evaluator (search.query.evaluate) matches field clauses against. Each query field of the
registry (search.fields) is filled by its projection."""

from __future__ import annotations

from search import index_fields as F
from search.fields import FIELDS, Fields
from search.link_names import name_terms
from search.marks import mark_terms
from search.query.fields import entity_keys, slug, value_keys
from search.records import PageRecord


def page_key_terms(record: PageRecord, fields: Fields = FIELDS) -> dict[str, list[str]]:
    """Column -> sorted keys; columns without keys are left out. The links' columns (file, title and
    production keys, and the production facet's qualified ids) come from search.link_names, the marks'
    columns (the tag facet's qualified names and its keys) from search.marks."""
    out: dict[str, list[str]] = {}
    names = record.entity_names
    for field in fields:
        if not field.queryable:
            continue
        keys: set[str] = set()
        if field.projection == "entities":
            for eid in record.entities.get(field.name, ()):
                keys |= entity_keys(eid, names.get(eid))
        elif field.projection == "values":
            keys = value_keys(field.name, field.values(record), fields)
        elif field.projection == "bates" and record.bates and slug(record.bates):
            keys = {slug(record.bates)}
        if keys:
            out[F.key_field(field.name)] = sorted(keys)
    for column, terms in name_terms(record.links).items():
        if terms:
            out[column] = list(terms)
    # The marks' facet and key columns, qualified per collection (search.marks).
    out.update(mark_terms(record, fields))
    return out
