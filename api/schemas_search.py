"""Bodies of the search, export and batch endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from api.schemas import Page
from api.schemas_notes import NoteOut
from search.fields import FIELDS


class ProductionRef(BaseModel):
    id: str
    name: str


class PageHitOut(BaseModel):
    """A hit page, best first. No relevance score: scores count terms over every collection's pages."""

    page_number: int
    bates: str | None
    snippet: str = Field(description="HTML-escaped page text around the hits; hits wrapped in <mark>.")
    notes: list[NoteOut] = Field(default_factory=list, description="The page's notes the reader sees.")


class DocumentHitOut(BaseModel):
    document_id: str
    title: str
    file_name: str
    productions: list[ProductionRef]
    document_date: dt.date | None
    bates_begin: str | None
    bates_end: str | None
    page_count: int
    hit_pages: int
    best_pages: list[PageHitOut]
    tags: list[str] = Field(
        default_factory=list, description="The document's own tags in the reader's collections (names, once each)."
    )


class FacetBucket(BaseModel):
    value: str = Field(description="Pass back as the facet's filter value.")
    label: str
    count: int = Field(description="Documents.")


class SuggestedEntity(BaseModel):
    id: str
    name: str = Field(description="The name the reader sees (their own correction, if any).")


class FieldSuggestion(BaseModel):
    field: str = Field(description="The query field, e.g. vendor.")
    value: str = Field(description="The value as written in the query, which names no entity the reader can find.")
    entities: list[SuggestedEntity] = Field(
        description="The closest known entities of that field by name, best first (empty when none is close)."
    )


class SearchOut(Page):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "total_documents": 1,
                "total_pages": 2,
                "items": [
                    {
                        "document_id": "doc_620630c91cb253e9c28c694b",
                        "title": "Rekognition pilot memo",
                        "file_name": "Rekognition memo.pdf",
                        "productions": [{"id": "prd_3f2a9c1e7b4d5a60", "name": "FBI 2019-11"}],
                        "document_date": "2019-06-30",
                        "bates_begin": "FBI-000120",
                        "bates_end": "FBI-000124",
                        "page_count": 5,
                        "hit_pages": 2,
                        "best_pages": [
                            {
                                "page_number": 4,
                                "bates": "FBI-000123",
                                "snippet": "the <mark>Rekognition</mark> pilot ended in June",
                            }
                        ],
                    }
                ],
                "facets": {"vendor": [{"value": "vendor:amazon", "label": "Amazon", "count": 1}]},
                "suggestions": [
                    {
                        "field": "vendor",
                        "value": "clearveiw",
                        "entities": [{"id": "vendor:clearview-ai", "name": "Clearview AI"}],
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    total_documents: int
    total_pages: int
    items: list[DocumentHitOut]
    facets: dict[str, list[FacetBucket]]
    suggestions: list[FieldSuggestion] = Field(
        default_factory=list,
        description="One per entity field value of the query (vendor:, product:, …) that names no entity the reader "
        "can find by id, name, alias or corrected name: the closest ones, to offer as 'Did you mean …?'.",
    )


class HistogramBucketOut(BaseModel):
    start: dt.date
    documents: int
    pages: int


class HistogramOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "interval": "year",
                "buckets": [{"start": "2019-01-01", "documents": 3, "pages": 9}],
                "undated_documents": 1,
            }
        }
    )
    interval: str
    buckets: list[HistogramBucketOut]
    undated_documents: int


FacetList = list[str] | None
# One JSON field per filterable field of the registry (search.fields), as GET /search takes them.
_filter_fields: dict[str, Any] = {
    f.name: (FacetList, Field(default=None, max_length=200, description=f.description)) for f in FIELDS if f.filterable
}
BatchFilters: type[BaseModel] = create_model("BatchFilters", **_filter_fields)


class BatchIn(BatchFilters):
    """The queries, and the search filters as JSON fields (the same names and values as the query
    parameters of GET /search). An unknown field is a 422, never silently ignored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "queries": ["clearview", '"face recognition"', "stingray w/5 purchase"],
                "agency": ["agency:fbi"],
                "date_from": "2018-01-01",
            }
        },
    )
    queries: list[str] = Field(min_length=1, max_length=500)
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def facet_filters(self) -> dict[str, list[str]]:
        given = self.model_dump(exclude={"queries", "date_from", "date_to"})
        return {facet: values for facet, values in given.items() if values}


class QueryErrorOut(BaseModel):
    detail: str
    position: int
    hint: str


class BatchItem(BaseModel):
    query: str
    documents: int
    pages: int
    error: QueryErrorOut | None = None
    link: str


class BatchOut(BaseModel):
    items: list[BatchItem]
