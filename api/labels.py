"""Human labels for facet values (entity names, production names), read from the catalog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from catalog.corrections import corrected
from catalog.protocols import CorrectionReader, EntityReader, ProductionReader
from search.backend import SearchResponse
from search.fields import FIELDS

# Entity facet values are labelled by the entity's (corrected) name; the production facet by the
# production's name; every other facet's values are their own labels (exemption codes, years).
ENTITY_FACETS: tuple[str, ...] = FIELDS.entity_types


class LabelSource(Protocol):
    """Where facet labels are read from: entity names as corrected, production names."""

    @property
    def corrections(self) -> CorrectionReader: ...
    @property
    def entities(self) -> EntityReader: ...
    @property
    def productions(self) -> ProductionReader: ...


def facet_labels(
    catalog: LabelSource, response: SearchResponse, scope: Sequence[str] | None = None
) -> dict[tuple[str, str], str | None]:
    """Labels of the facet values; None for an entity hidden by a correction of the reader's collections
    (the index keeps a correction only where every collection holding a document agrees: this applies
    the reader's own names and hidings to the rest)."""
    labels: dict[tuple[str, str], str | None] = {}
    entity_ids = [v.value for f in ENTITY_FACETS for v in response.facets.get(f, ())]
    corrections = catalog.corrections.of_collections(scope)
    names = catalog.entities.entities_by_ids(entity_ids)
    for facet in ENTITY_FACETS:
        for v in response.facets.get(facet, ()):
            entity = names.get(v.value)
            shown = corrected(entity, corrections) if entity else None
            labels[(facet, v.value)] = v.value if entity is None else (shown.name if shown else None)
    productions = {p.id: p.name for p in catalog.productions.list_productions()}
    for v in response.facets.get("production", ()):
        labels[("production", v.value)] = productions.get(v.value, v.value)
    return labels
