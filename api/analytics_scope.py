"""The one scope every analytics answer starts from: the documents the caller may see, of one
production when asked, with the store their boxes, marks and page facts are read from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from api.deps import Principal, PrincipalDep, ServicesDep
from api.filters import scope_of
from api.problem_types import NOT_FOUND
from api.problems import Problem
from catalog.analytics import AnalyticsCatalog, DocumentRow
from catalog.errors import NotFound
from catalog.protocols import ProductionReader

PageKey = tuple[str, int]


@dataclass(frozen=True)
class AnalyticsScope:
    store: AnalyticsCatalog
    documents: dict[str, DocumentRow]  # visible documents by id, in the order the catalog lists them
    production_id: str | None

    @property
    def ids(self) -> list[str]:
        return list(self.documents)

    def page_codes(self, document_ids: list[str] | None = None) -> dict[PageKey, tuple[str, ...]]:
        """The codes printed or cited on each page of these documents (all in scope by default)."""
        facts = self.store.page_facts(self.ids if document_ids is None else document_ids)
        return {k: v[0] for k, v in facts.items()}


def analytics_store(services: ServicesDep) -> AnalyticsCatalog:
    return services.catalog.analytics


StoreDep = Annotated[AnalyticsCatalog, Depends(analytics_store)]


def _check_production(productions: ProductionReader, principal: Principal, production_id: str) -> None:
    try:
        production = productions.get_production(production_id)
    except NotFound:
        production = None
    if production is None or not principal.can_see(production.collection_id):
        # The same answer for missing and not yours: never confirm what one may not see.
        raise Problem(NOT_FOUND, f"no production {production_id}")


def _scope(
    services: ServicesDep, principal: Principal, store: AnalyticsCatalog, production_id: str | None
) -> AnalyticsScope:
    if production_id is not None:
        _check_production(services.catalog.productions, principal, production_id)
    return AnalyticsScope(store, store.documents(scope_of(principal), production_id), production_id)


def reader_scope(services: ServicesDep, principal: PrincipalDep, store: StoreDep) -> AnalyticsScope:
    """Every document the caller may see."""
    return _scope(services, principal, store, None)


def filtered_scope(
    services: ServicesDep,
    principal: PrincipalDep,
    store: StoreDep,
    production: Annotated[str | None, Query(max_length=60, description="Only this production.")] = None,
) -> AnalyticsScope:
    """The caller's documents, of the `production` query parameter's production when given (404 when
    the caller may not see it)."""
    return _scope(services, principal, store, production)


def production_scope(
    production_id: str, services: ServicesDep, principal: PrincipalDep, store: StoreDep
) -> AnalyticsScope:
    """The caller's documents of the production in the path (404 when the caller may not see it)."""
    return _scope(services, principal, store, production_id)


ReaderScopeDep = Annotated[AnalyticsScope, Depends(reader_scope)]
ScopeDep = Annotated[AnalyticsScope, Depends(filtered_scope)]
ProductionScopeDep = Annotated[AnalyticsScope, Depends(production_scope)]
