"""The match keys a page record holds in each key column: the one derivation that both engines index
and the query evaluator (search.query.evaluate) matches field clauses against."""

from __future__ import annotations

from search import index_fields as F
from search.link_names import name_terms
from search.query.fields import entity_keys, exemption_key, slug
from search.records import ENTITY_FIELDS, PageRecord


def page_key_terms(record: PageRecord) -> dict[str, list[str]]:
    """Column -> sorted keys; columns without keys are left out."""
    out: dict[str, list[str]] = {}
    names = record.entity_names
    for facet in ENTITY_FIELDS:
        keys: set[str] = set()
        for eid in record.entities.get(facet, ()):
            keys |= entity_keys(eid, names.get(eid))
        if keys:
            out[F.key_field(facet)] = sorted(keys)
    for column, terms in name_terms(record.links).items():
        if terms:
            out[column] = list(terms)
    codes = {exemption_key(c) for c in record.exemptions} - {""}
    if codes:
        out[F.key_field("exemption")] = sorted(codes)
    if record.bates and slug(record.bates):
        out[F.key_field("bates")] = [slug(record.bates)]
    return out
