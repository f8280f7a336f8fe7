"""What of a shared document a principal may see of the other side.

The same original released in two matters is one document, indexed once with both matters'
productions on its pages. Collection filters keep other matters' documents out; these helpers keep
other matters' production ids and names out of what is shown for a document both may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.deps import Principal
from catalog.sql import SqlCatalog


@dataclass(frozen=True)
class ProductionScope:
    ids: frozenset[str] | None  # None: every production
    names: frozenset[str] | None

    def keeps_id(self, production_id: str) -> bool:
        return self.ids is None or production_id in self.ids

    def keeps_name(self, name: str) -> bool:
        return self.names is None or name in self.names


def production_scope(catalog: SqlCatalog, principal: Principal) -> ProductionScope:
    if principal.collection_ids is None:
        return ProductionScope(None, None)
    visible = catalog.list_productions(sorted(principal.collection_ids))
    return ProductionScope(frozenset(p.id for p in visible), frozenset(p.name for p in visible))


def visible_file_names(catalog: SqlCatalog, document_id: str, scope: ProductionScope) -> list[str]:
    """The names the document was uploaded under, in productions the principal may see, oldest first.

    A name is what another matter chose to call the file: it is shown only to those who see that matter.
    """
    return visible_file_names_of(catalog, [document_id], scope).get(document_id, [])


def visible_file_names_of(
    catalog: SqlCatalog, document_ids: Sequence[str], scope: ProductionScope
) -> dict[str, list[str]]:
    """visible_file_names for many documents in one query (a results page asks for twenty at once)."""
    from sqlalchemy import select

    from catalog import schema as t

    if not document_ids:
        return {}
    files = t.production_files
    query = (
        select(files.c.document_id, files.c.original_name)
        .where(files.c.document_id.in_(sorted(set(document_ids))))
        .order_by(files.c.added_at)
    )
    if scope.ids is not None:
        query = query.where(files.c.production_id.in_(sorted(scope.ids)))
    names: dict[str, list[str]] = {}
    with catalog.engine.connect() as conn:
        for document_id, original_name in conn.execute(query):
            shown = str(original_name).rsplit("/", 1)[-1]
            seen = names.setdefault(str(document_id), [])
            if shown not in seen:
                seen.append(shown)
    return names


def shown_name_and_title(names: Sequence[str], hidden: bool, file_name: str, title: str) -> tuple[str, str]:
    """A hit's file name and title, with another matter's file name replaced by one of the reader's own
    (`names`: visible_file_names of the hit's document)."""
    if not hidden or not names or names[0] == file_name:
        return file_name, title
    stem = file_name.rsplit(".", 1)[0]
    return names[0], (names[0].rsplit(".", 1)[0] if title in (file_name, stem) else title)
