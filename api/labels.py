"""Human labels for facet values (entity names, production names), read from the catalog."""

from __future__ import annotations

from catalog.sql import SqlCatalog
from search.backend import SearchResponse

ENTITY_FACETS = ("vendor", "product", "technology", "agency", "organization", "person")


def facet_labels(catalog: SqlCatalog, response: SearchResponse) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    entity_ids = [v.value for f in ENTITY_FACETS for v in response.facets.get(f, ())]
    names = catalog.entities_by_ids(entity_ids)
    for facet in ENTITY_FACETS:
        for v in response.facets.get(facet, ()):
            entity = names.get(v.value)
            labels[(facet, v.value)] = entity.name if entity else v.value
    productions = {p.id: p.name for p in catalog.list_productions()}
    for v in response.facets.get("production", ()):
        labels[("production", v.value)] = productions.get(v.value, v.value)
    return labels
