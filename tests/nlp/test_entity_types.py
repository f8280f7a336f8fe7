"""nlp's entity types mirror the search field registry (nlp may not import search): a type added on one
side only fails here, before the indexer refuses documents that mention it."""

from __future__ import annotations

from nlp.gazetteer import GAZETTEER_TYPES
from nlp.orgtype import AGENCY, ORGANIZATION, VENDOR
from nlp.pipeline import _NER_TYPES
from nlp.types import ENTITY_TYPES
from search.fields import FIELDS


def test_nlp_entity_types_are_the_registrys_entity_fields() -> None:
    assert FIELDS.entity_types == ENTITY_TYPES


def test_every_type_nlp_hands_out_is_one_of_them() -> None:
    # The gazetteer's four, the context typing of organizations, and the statistical NER's two.
    assert set(GAZETTEER_TYPES) <= set(ENTITY_TYPES)
    assert {VENDOR, AGENCY, ORGANIZATION, *_NER_TYPES.values()} <= set(ENTITY_TYPES)
