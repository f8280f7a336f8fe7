"""Bodies of the document and entity endpoints."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from api.schemas import Page, PageWarningOut
from api.schemas_notes import NoteOut
from api.schemas_search import ProductionRef

BATES_INFERRED = (
    "True when OCR lost this page's stamp and `bates` is the number its place between stamped pages of one "
    "sequence implies (same prefix and width, one number per page); false when read from the page."
)


class PageSummary(BaseModel):
    number: int
    bates: str | None
    bates_inferred: bool = Field(False, description=BATES_INFERRED)
    source: str = Field(description="text_layer or ocr")
    ocr_confidence: float | None
    exemptions: list[str]
    warning: PageWarningOut | None = Field(None, description="Set when the page's OCR stopped (retryable).")


class DocumentEntity(BaseModel):
    id: str
    type: str
    name: str
    mentions: int
    pages: list[int]


class ExemptionCount(BaseModel):
    code: str
    pages: int


class DocumentOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "doc_620630c91cb253e9c28c694b",
                "title": "Rekognition pilot memo",
                "file_names": ["Rekognition memo.pdf"],
                "productions": [{"id": "prd_3f2a9c1e7b4d5a60", "name": "FBI 2019-11"}],
                "sha256": "620630c91cb253e9c28c694bd29ace93eeaf872801bd8a914cc1ab321ed6d5f6",
                "size": 135877,
                "status": "done",
                "error": None,
                "page_count": 2,
                "document_date": "2019-06-30",
                "date_source": "text:memo_date",
                "bates_begin": "FBI-000123",
                "bates_end": "FBI-000124",
                "pdf_metadata": {"Producer": "Acrobat"},
                "pages": [
                    {
                        "number": 1,
                        "bates": "FBI-000123",
                        "bates_inferred": False,
                        "source": "ocr",
                        "ocr_confidence": 91.2,
                        "exemptions": ["b6"],
                    }
                ],
                "entities": [
                    {"id": "vendor:amazon", "type": "vendor", "name": "Amazon", "mentions": 3, "pages": [1, 2]}
                ],
                "exemptions": [{"code": "b6", "pages": 1}],
            }
        }
    )
    id: str
    title: str | None
    file_names: list[str]
    productions: list[ProductionRef]
    sha256: str
    size: int
    status: str
    error: str | None
    page_count: int | None
    document_date: dt.date | None
    date_source: str | None
    bates_begin: str | None
    bates_end: str | None
    pdf_metadata: dict[str, str]
    pages: list[PageSummary]
    entities: list[DocumentEntity]
    exemptions: list[ExemptionCount]


class Span(BaseModel):
    start: int
    end: int
    text: str


class ExemptionSpan(Span):
    code: str


class EntitySpan(Span):
    id: str
    type: str
    name: str


class PageOut(BaseModel):
    document_id: str
    number: int
    bates: str | None
    bates_inferred: bool = Field(False, description=BATES_INFERRED)
    source: str
    ocr_confidence: float | None
    text: str
    highlighted_text: str = Field(description="HTML-escaped text with the query's hits in <mark>.")
    hits: int
    exemptions: list[ExemptionSpan] = Field(description="Where codes are stamped or cited in the page text.")
    exemption_codes: list[str] = Field(
        description="The page's codes, in the canonical order: those of the text and those tied to its redaction "
        "boxes (printed on the image), the set the exemption facet, filter and analytics count."
    )
    entities: list[EntitySpan]
    image_url: str
    warning: PageWarningOut | None = Field(None, description="Set when the page's OCR stopped (retryable).")


class HitPage(BaseModel):
    page_number: int
    hits: int
    notes: list[NoteOut] = Field(default_factory=list, description="The page's notes the reader sees.")


class DocumentHitsOut(BaseModel):
    pages: list[HitPage]


class EntityRef(BaseModel):
    id: str
    name: str


class EntityListItem(BaseModel):
    id: str
    type: str
    name: str
    documents: int


class EntityList(Page):
    items: list[EntityListItem]


class CoMentioned(BaseModel):
    id: str
    type: str
    name: str
    documents: int


class TopDocument(BaseModel):
    document_id: str
    title: str | None
    document_date: dt.date | None
    mentions: int


class EntityOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "vendor:cellebrite",
                "type": "vendor",
                "name": "Cellebrite",
                "aliases": ["Cellebrite DI", "Cellebrite Inc."],
                "vendor": None,
                "products": [{"id": "product:ufed", "name": "UFED"}],
                "documents": 4,
                "mentions": 19,
                "co_mentioned": [{"id": "agency:dea", "type": "agency", "name": "DEA", "documents": 2}],
                "top_documents": [
                    {"document_id": "doc_0a1b", "title": "UFED contract", "document_date": "2018-05-01", "mentions": 9}
                ],
            }
        }
    )
    id: str
    type: str
    name: str
    aliases: list[str]
    vendor: EntityRef | None
    products: list[EntityRef]
    documents: int
    mentions: int
    co_mentioned: list[CoMentioned]
    top_documents: list[TopDocument]


class TimelineBucket(BaseModel):
    start: dt.date
    documents: int
    mentions: int


class TimelineTotals(BaseModel):
    documents: int
    mentions: int


class TimelineOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "entity_id": "vendor:cellebrite",
                "interval": "month",
                "buckets": [{"start": "2018-05-01", "documents": 2, "mentions": 7}],
                "undated": {"documents": 1},
                "total": {"documents": 3, "mentions": 7},
            }
        }
    )
    entity_id: str
    interval: str
    buckets: list[TimelineBucket]
    undated: dict[str, int] = Field(description="Documents with no known date (not in any bucket).")
    total: TimelineTotals = Field(description="Sums over the dated buckets.")
