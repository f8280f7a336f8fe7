"""The search filters every search-shaped endpoint takes, parsed once from query parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query

from api.deps import Principal, PrincipalDep
from api.problems import Problem
from search.backend import HistogramRequest, Interval, SearchRequest, SortOrder
from search.query.errors import QuerySyntaxError

FacetValues = Annotated[list[str] | None, Query(max_length=200)]
MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class Filters:
    q: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    collection_ids: tuple[str, ...] | None = None

    def search_request(self, **kwargs: object) -> SearchRequest:
        return SearchRequest(
            query=self.q,
            filters=self.facets,
            date_from=self.date_from,
            date_to=self.date_to,
            collection_ids=self.collection_ids,
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


def get_filters(
    principal: PrincipalDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Query; see the query language.")] = "",
    vendor: FacetValues = None,
    product: FacetValues = None,
    technology: FacetValues = None,
    agency: FacetValues = None,
    organization: FacetValues = None,
    person: FacetValues = None,
    production: FacetValues = None,
    exemption: FacetValues = None,
    year: FacetValues = None,
    date_from: Annotated[dt.date | None, Query(description="Document date from (inclusive).")] = None,
    date_to: Annotated[dt.date | None, Query(description="Document date to (inclusive).")] = None,
) -> Filters:
    given = {
        "vendor": vendor,
        "product": product,
        "technology": technology,
        "agency": agency,
        "organization": organization,
        "person": person,
        "production": production,
        "exemption": exemption,
        "year": year,
    }
    return Filters(
        q=q,
        facets={k: v for k, v in given.items() if v},
        date_from=date_from,
        date_to=date_to,
        collection_ids=scope_of(principal),
    )


FiltersDep = Annotated[Filters, Depends(get_filters)]
Sort = Annotated[SortOrder, Query(description="relevance, date_desc or date_asc")]


def query_problem(exc: QuerySyntaxError, query: str) -> Problem:
    return Problem(
        400,
        "Query syntax error",
        exc.message,
        "/problems/query-syntax",
        position=exc.position,
        hint=exc.hint,
        query=query,
    )
