"""What of a shared document a principal may see: the names its own matters gave it.

The same original released in two matters is one document. Its file names, and a title made from a
file name, belong to the production link they came from (catalog.titles); a reader sees those of the
productions in its own collections only. Search hits get the same rule from the index itself
(search.link_names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from api.deps import Principal
from catalog.protocols import ProductionReader
from catalog.titles import reader_title


@dataclass(frozen=True)
class ProductionScope:
    ids: frozenset[str] | None  # None: every production

    def keeps_id(self, production_id: str) -> bool:
        return self.ids is None or production_id in self.ids


def production_scope(productions: ProductionReader, principal: Principal) -> ProductionScope:
    if principal.collection_ids is None:
        return ProductionScope(None)
    return ProductionScope(frozenset(p.id for p in productions.list_productions(sorted(principal.collection_ids))))


def visible_file_names(productions: ProductionReader, document_id: str, scope: ProductionScope) -> list[str]:
    """The names the document was uploaded under, in productions the principal may see, oldest first."""
    return visible_file_names_of(productions, [document_id], scope).get(document_id, [])


def visible_file_names_of(
    productions: ProductionReader, document_ids: Sequence[str], scope: ProductionScope
) -> dict[str, list[str]]:
    """visible_file_names for many documents in one query (a list screen asks for many at once)."""
    return productions.file_names_of(document_ids, None if scope.ids is None else sorted(scope.ids))


def reader_titles(
    productions: ProductionReader, own_titles: Mapping[str, str | None], principal: Principal
) -> dict[str, str | None]:
    """Each document's title for this principal: the PDF's own title (`own_titles`, Document.title),
    else the title of the principal's first link to it."""
    untitled = [d for d, title in own_titles.items() if not title]
    names = visible_file_names_of(productions, untitled, production_scope(productions, principal)) if untitled else {}
    return {d: reader_title(title, names.get(d, [])) for d, title in own_titles.items()}
