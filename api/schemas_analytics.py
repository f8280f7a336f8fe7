"""Bodies of the FOIA analytics endpoints (api/routes/analytics.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ExemptionStatOut(BaseModel):
    code: str = Field(description='Normalized code: "b6", "b7C", "IL 7(1)(c)"; "unknown" for boxes without one.')
    group: str = Field(description="Production id, agency entity id, or month (YYYY-MM); 'all' without grouping.")
    group_label: str
    pages: int = Field(description="Pages on which the code is claimed (stamped, cited, or tied to a box).")
    boxes: int = Field(description="Redaction boxes tied to the code.")


class ExemptionStatList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "group_by": "production",
                "items": [{"code": "b6", "group": "prd_1", "group_label": "FBI 2019-11", "pages": 12, "boxes": 31}],
                "next_cursor": None,
            }
        }
    )
    group_by: str
    items: list[ExemptionStatOut]
    next_cursor: str | None = None


class WithheldPage(BaseModel):
    document_id: str
    title: str | None
    page_number: int
    bates: str | None
    kind: str = Field(description="withheld_in_full | duplicate | referred")
    codes: list[str]


class WithheldPageList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "document_id": "doc_1",
                        "title": "CBP memo",
                        "page_number": 4,
                        "bates": "CBP-002213",
                        "kind": "withheld_in_full",
                        "codes": ["b7E"],
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    items: list[WithheldPage]
    next_cursor: str | None = None


class DensityOut(BaseModel):
    document_id: str
    title: str | None
    pages: int
    redacted_pages: int = Field(description="Pages with at least one redaction box.")
    withheld_pages: int = Field(description="Slip sheets: withheld in full, duplicate, referred.")
    failed_redaction_pages: int
    boxes: int
    mean_redacted_share: float = Field(description="Mean share of the text area under boxes; withheld pages count 1.")


class DensityList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "document_id": "doc_1",
                        "title": "ICE emails",
                        "pages": 3,
                        "redacted_pages": 3,
                        "withheld_pages": 0,
                        "failed_redaction_pages": 0,
                        "boxes": 20,
                        "mean_redacted_share": 0.032,
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    items: list[DensityOut]
    next_cursor: str | None = None


class CodeDocument(BaseModel):
    document_id: str
    title: str | None
    pages: int
    boxes: int


class CodeDocumentList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "code": "b6",
                "items": [{"document_id": "doc_1", "title": "ICE emails", "pages": 3, "boxes": 11}],
                "next_cursor": None,
            }
        }
    )
    code: str
    items: list[CodeDocument]
    next_cursor: str | None = None


class BoxOut(BaseModel):
    x0: float
    y0: float
    x1: float
    y1: float
    source: str = Field(description="text_layer (drawn in the PDF) or image (found in the scan)")
    codes: list[str]
    label: str
    failed: bool = Field(description="Text is still under this box in the text layer (never shown).")


class PageRedactionsOut(BaseModel):
    number: int
    kind: str
    redacted_share: float
    failed_redaction: bool
    boxes: list[BoxOut]


class DocumentRedactionsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "document_id": "doc_1",
                "failed_redaction_pages": [2],
                "pages": [
                    {
                        "number": 2,
                        "kind": "content",
                        "redacted_share": 0.014,
                        "failed_redaction": True,
                        "boxes": [
                            {
                                "x0": 245.0,
                                "y0": 77.5,
                                "x1": 274.5,
                                "y1": 89.4,
                                "source": "text_layer",
                                "codes": ["b4"],
                                "label": "(b)(4)",
                                "failed": True,
                            }
                        ],
                    }
                ],
            }
        }
    )
    document_id: str
    failed_redaction_pages: list[int]
    pages: list[PageRedactionsOut]


class FailedRedaction(BaseModel):
    document_id: str
    title: str | None
    page_number: int
    bates: str | None
    boxes: int = Field(description="Boxes with text still under them on this page.")
    codes: list[str]


class FailedRedactionList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "document_id": "doc_1",
                        "title": "CBP decision memo",
                        "page_number": 2,
                        "bates": "CBP-002215",
                        "boxes": 7,
                        "codes": ["b4", "b6", "b7C"],
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    items: list[FailedRedaction]
    next_cursor: str | None = None


class ReleaseRef(BaseModel):
    document_id: str
    title: str | None
    page_number: int
    document_date: str | None
    productions: list[str]


class ReleasePair(BaseModel):
    page_number: int
    other: ReleaseRef
    similarity: float = Field(description="Estimated Jaccard similarity of the pages' word 3-gram sets.")
    only_here: list[str] = Field(description="Text this release shows that the other does not (redacted there).")
    only_there: list[str] = Field(description="Text the other release shows that this one does not.")
    codes_only_here: list[str]
    codes_only_there: list[str]
    boxes_here: int
    boxes_there: int


class ReleaseList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "document_id": "doc_2",
                "productions": ["prd_2"],
                "items": [
                    {
                        "page_number": 1,
                        "other": {
                            "document_id": "doc_1",
                            "title": "ICE emails, release 1",
                            "page_number": 1,
                            "document_date": "2019-11-14",
                            "productions": ["prd_1"],
                        },
                        "similarity": 0.81,
                        "only_here": ["Sergeant Ortiz"],
                        "only_there": [],
                        "codes_only_here": [],
                        "codes_only_there": ["b5"],
                        "boxes_here": 7,
                        "boxes_there": 9,
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    document_id: str
    productions: list[str] = Field(description="Every production holding this exact file (same sha256).")
    items: list[ReleasePair]
    next_cursor: str | None = None


class VaughnRowOut(BaseModel):
    document_id: str
    title: str | None
    bates: str | None
    page_number: int
    document_date: str | None
    author: str | None
    recipient: str | None
    withholding: str = Field(description="redaction | withheld_in_full | duplicate | referred")
    codes: list[str]
    x0: float | None
    y0: float | None
    x1: float | None
    y1: float | None
    width_pt: float | None
    height_pt: float | None
    page_redacted_share: float
    context: str = Field(description='Visible words around the box, the box as "[...]".')


class VaughnOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "production_id": "prd_1",
                "items": [
                    {
                        "document_id": "doc_1",
                        "title": "FBI EC",
                        "bates": "FBI-000117",
                        "page_number": 1,
                        "document_date": "2018-03-14",
                        "author": "Operational Technology Division",
                        "recipient": "Criminal Justice Information Services",
                        "withholding": "redaction",
                        "codes": ["b6", "b7C"],
                        "x0": 178.0,
                        "y0": 142.7,
                        "x1": 259.2,
                        "y1": 154.6,
                        "width_pt": 81.2,
                        "height_pt": 11.9,
                        "page_redacted_share": 0.02,
                        "context": "Contact: [...] (b)(6), (b)(7)(C)",
                    }
                ],
                "next_cursor": None,
            }
        }
    )
    production_id: str
    items: list[VaughnRowOut]
    next_cursor: str | None = None
