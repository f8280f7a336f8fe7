"""The reader's entity names, read from the catalog only when a query has an entity field value
(`vendor:AWS`), so the search backends resolve it to ids (search.query.entity_names)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from catalog.sql import SqlCatalog
from search.fields import FIELDS, Fields
from search.query.entity_names import EntityNames, entity_values, known_entities
from search.query.errors import QuerySyntaxError
from search.query.parser import parse_query


def has_entity_values(query: str, fields: Fields = FIELDS) -> bool:
    try:
        return bool(entity_values(parse_query(query, fields), fields))
    except QuerySyntaxError:  # reported by the search itself, with its position
        return False


def reader_entity_names(catalog: SqlCatalog, scope: Sequence[str] | None, fields: Fields = FIELDS) -> EntityNames:
    """Names, aliases and the reader's own corrected names of every entity the reader can find."""
    found = catalog.entity_stats.findable_entities(catalog.corrections.of_collections(scope), scope)
    return known_entities(((e.id, e.type, e.name, others, merged) for e, others, merged in found), fields)


def names_for_queries(
    catalog: SqlCatalog, scope: Sequence[str] | None, queries: Iterable[str], fields: Fields = FIELDS
) -> EntityNames | None:
    """The reader's names when one of the queries needs them, else None (no catalog read)."""
    if any(has_entity_values(q, fields) for q in queries if q):
        return reader_entity_names(catalog, scope, fields)
    return None
