"""The field registry as the browser UI and API clients read it: which facets, filters and query fields
there are, with their labels (search.fields declares them; nothing here is listed by hand)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import get_principal
from search.fields import FIELDS

router = APIRouter(prefix="/fields", tags=["fields"])


class FieldOut(BaseModel):
    name: str = Field(description="The query-language field (`name:value`), filter parameter and facet name.")
    kind: Literal["entity", "keyword", "date", "text", "number"]
    label: str = Field(description="A facet's heading.", examples=["Vendors"])
    label_one: str = Field(description="What one value is.", examples=["Vendor"])
    description: str
    facet: bool = Field(description="Counted in search responses (`facets`).")
    filterable: bool = Field(description="A search filter: a repeated query parameter of search-shaped endpoints.")
    queryable: bool = Field(description="Usable as `name:value` in `q`.")
    ranges: bool = Field(description="Takes `name:[start TO end]` in `q`.")


class FieldsOut(BaseModel):
    items: list[FieldOut] = Field(
        examples=[
            [
                {
                    "name": "vendor",
                    "kind": "entity",
                    "label": "Vendors",
                    "label_one": "Vendor",
                    "description": "Companies selling surveillance technology (gazetteer or context).",
                    "facet": True,
                    "filterable": True,
                    "queryable": True,
                    "ranges": False,
                }
            ]
        ]
    )
    next_cursor: None = Field(None, description="Always null: every field is in one answer.")


# The same answer for every reader (the registry holds no collection's data), asked with a principal all
# the same, like every route of the API.
@router.get(
    "",
    summary="The fields of the index: facets, filters and query fields, with their labels",
    dependencies=[Depends(get_principal)],
)
def list_fields() -> FieldsOut:
    return FieldsOut(items=[FieldOut.model_validate(row) for row in FIELDS.public()])
