"""What of a shared document a principal may see: the names its own matters gave it.

The same original released in two matters is one document. Its file names, and a title made from a
file name, belong to the production link they came from (catalog.titles); a reader sees those of the
productions in its own collections only. Search hits get the same rule from the index itself
(search.link_names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from api.deps import Principal
from catalog import schema as t
from catalog.sql import SqlCatalog
from catalog.titles import reader_title, shown_name


@dataclass(frozen=True)
class ProductionScope:
    ids: frozenset[str] | None  # None: every production

    def keeps_id(self, production_id: str) -> bool:
        return self.ids is None or production_id in self.ids


def production_scope(catalog: SqlCatalog, principal: Principal) -> ProductionScope:
    if principal.collection_ids is None:
        return ProductionScope(None)
    return ProductionScope(frozenset(p.id for p in catalog.list_productions(sorted(principal.collection_ids))))


def visible_file_names(catalog: SqlCatalog, document_id: str, scope: ProductionScope) -> list[str]:
    """The names the document was uploaded under, in productions the principal may see, oldest first."""
    return visible_file_names_of(catalog, [document_id], scope).get(document_id, [])


def visible_file_names_of(
    catalog: SqlCatalog, document_ids: Sequence[str], scope: ProductionScope
) -> dict[str, list[str]]:
    """visible_file_names for many documents in one query (a list screen asks for many at once)."""
    if not document_ids:
        return {}
    files = t.production_files
    query = (
        select(files.c.document_id, files.c.original_name)
        .where(files.c.document_id.in_(sorted(set(document_ids))))
        .order_by(files.c.added_at, files.c.id)
    )
    if scope.ids is not None:
        query = query.where(files.c.production_id.in_(sorted(scope.ids)))
    names: dict[str, list[str]] = {}
    with catalog.engine.connect() as conn:
        for document_id, original_name in conn.execute(query):
            shown = shown_name(str(original_name))
            seen = names.setdefault(str(document_id), [])
            if shown not in seen:
                seen.append(shown)
    return names


def reader_titles(
    catalog: SqlCatalog, own_titles: Mapping[str, str | None], principal: Principal
) -> dict[str, str | None]:
    """Each document's title for this principal: the PDF's own title (`own_titles`, Document.title),
    else the title of the principal's first link to it."""
    untitled = [d for d, title in own_titles.items() if not title]
    names = visible_file_names_of(catalog, untitled, production_scope(catalog, principal)) if untitled else {}
    return {d: reader_title(title, names.get(d, [])) for d, title in own_titles.items()}
