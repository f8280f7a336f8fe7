"""What of a shared document a principal may see of the other side.

The same original released in two matters is one document, indexed once with both matters'
productions on its pages. Collection filters keep other matters' documents out; these helpers keep
other matters' production ids and names out of what is shown for a document both may see.
"""

from __future__ import annotations

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
