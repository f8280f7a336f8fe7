"""The search filters every search-shaped endpoint takes, parsed once from query parameters: one
parameter per filterable field of the registry (search.fields), none written out by hand."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, cast

from fastapi import Depends, Query

from api.deps import GuardedServices, Principal, PrincipalDep, ServicesDep
from api.entity_names import names_for_queries
from search.backend import HistogramRequest, Interval, SearchRequest, SortOrder
from search.fields import FIELDS, Fields
from search.query.entity_names import EntityNames

MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class Filters:
    q: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    collection_ids: tuple[str, ...] | None = None
    # the reader's entity names, read when q has an entity field value (api.entity_names)
    entity_names: EntityNames | None = None
    # the reader (Principal.name): `note:` finds their private notes too (search.note_marks)
    viewer: str | None = None

    def search_request(self, **kwargs: object) -> SearchRequest:
        return SearchRequest(
            query=self.q,
            filters=self.facets,
            date_from=self.date_from,
            date_to=self.date_to,
            collection_ids=self.collection_ids,
            entity_names=self.entity_names,
            viewer=self.viewer,
            **kwargs,  # type: ignore[arg-type]
        )

    def histogram_request(self, interval: Interval, entity_id: str | None = None) -> HistogramRequest:
        return HistogramRequest(
            query=self.q,
            filters=self.facets,
            date_from=self.date_from,
            date_to=self.date_to,
            collection_ids=self.collection_ids,
            interval=interval,
            entity_id=entity_id,
            entity_names=self.entity_names,
            viewer=self.viewer,
        )

    def as_params(self) -> list[tuple[str, str]]:
        params = [("q", self.q)] if self.q else []
        for facet, values in self.facets.items():
            params.extend((facet, v) for v in values)
        if self.date_from:
            params.append(("date_from", self.date_from.isoformat()))
        if self.date_to:
            params.append(("date_to", self.date_to.isoformat()))
        return params


def scope_of(principal: Principal) -> tuple[str, ...] | None:
    return tuple(sorted(principal.collection_ids)) if principal.collection_ids is not None else None


def _get_filters(
    principal: Principal,
    services: GuardedServices,
    fields: Fields,
    q: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    **facets: list[str] | None,
) -> Filters:
    scope = scope_of(principal)
    return Filters(
        q=q,
        facets={k: v for k, v in facets.items() if v},
        date_from=date_from,
        date_to=date_to,
        collection_ids=scope,
        entity_names=names_for_queries(services.catalog, scope, [q], fields),
        viewer=principal.name,
    )


def _filters_signature(fields: Fields) -> inspect.Signature:
    """get_filters' parameters: q, one repeated parameter per filterable field of the registry (in its
    order, described by its row), the date bounds. FastAPI reads this signature as it reads a def."""

    def param(name: str, annotation: object, default: object = None) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)

    q = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Query; see the query language.")]
    return inspect.Signature(
        [
            param("principal", PrincipalDep, inspect.Parameter.empty),
            param("services", ServicesDep, inspect.Parameter.empty),
            param("q", q, ""),
            *(
                param(f.name, Annotated[list[str] | None, Query(max_length=200, description=f.description)])
                for f in fields
                if f.filterable
            ),
            param("date_from", Annotated[dt.date | None, Query(description="Document date from (inclusive).")]),
            param("date_to", Annotated[dt.date | None, Query(description="Document date to (inclusive).")]),
        ],
        return_annotation=Filters,
    )


def filters_dependency(fields: Fields = FIELDS) -> Callable[..., Filters]:
    """The dependency that reads the search filters of `fields` from the query string."""

    def get_filters(principal: Principal, services: GuardedServices, q: str = "", **given: object) -> Filters:
        date_from, date_to = given.pop("date_from", None), given.pop("date_to", None)
        facets = {k: cast(list[str] | None, v) for k, v in given.items()}
        return _get_filters(
            principal, services, fields, q, cast(dt.date | None, date_from), cast(dt.date | None, date_to), **facets
        )

    get_filters.__signature__ = _filters_signature(fields)  # type: ignore[attr-defined]
    return get_filters


get_filters = filters_dependency()
FiltersDep = Annotated[Filters, Depends(get_filters)]
Sort = Annotated[SortOrder, Query(description="relevance, date_desc or date_asc")]
