"""Response and request bodies of the public API (snake_case, opaque string ids, ISO 8601)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from catalog.models import ALL_COLLECTIONS
from catalog.retries import PageWarning


class Page(BaseModel):
    """A cursor page of items."""

    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page; null at the end.")


class CollectionOut(BaseModel):
    id: str
    name: str


class FileCountsOut(BaseModel):
    total: int
    pending: int
    processing: int
    done: int
    failed: int
    duplicate: int


class PageCountsOut(BaseModel):
    total: int
    text_layer: int
    ocr: int
    with_warnings: int = Field(0, description="Pages stored with a warning (their OCR stopped): see the files.")


class ProgressOut(BaseModel):
    files: FileCountsOut
    pages: PageCountsOut
    finished: bool = Field(
        description="True when no file is pending or processing: every done file is searchable by then."
    )
    retryable: int = Field(
        0,
        description="Files a retry would queue again: failures that are not the file's own, and done files "
        "with warned pages. POST /productions/{id}/retry queues exactly these.",
    )


class PageWarningOut(BaseModel):
    page_number: int
    kind: Literal["ocr_timeout", "ocr_error"]
    detail: str
    retryable: bool = Field(description="A retry OCRs the page again.")

    @classmethod
    def of(cls, warning: PageWarning) -> PageWarningOut:
        return cls(
            page_number=warning.page_number, kind=warning.kind, detail=warning.detail, retryable=warning.retryable
        )


class ProductionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "prd_3f2a9c1e7b4d5a60",
                "name": "FBI 2019-11",
                "collection": {"id": "col_9b1d2e3f4a5b6c7d", "name": "default"},
                "created_at": "2026-11-26T04:00:00.000+00:00",
                "progress": {
                    "files": {"total": 3, "pending": 0, "processing": 1, "done": 1, "failed": 1, "duplicate": 0},
                    "pages": {"total": 12, "text_layer": 9, "ocr": 3, "with_warnings": 1},
                    "finished": False,
                    "retryable": 1,
                },
            }
        }
    )
    id: str
    name: str
    collection: CollectionOut
    created_at: dt.datetime
    progress: ProgressOut


class ProductionList(Page):
    items: list[ProductionOut]


class ProductionCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"name": "FBI 2019-11", "collection": "default"}})
    name: str = Field(min_length=1, max_length=300, description="Production name, unique in its collection.")
    collection: str = Field(
        "default", min_length=1, max_length=200, description=f"Collection (matter) name; never {ALL_COLLECTIONS!r}."
    )

    @field_validator("collection")
    @classmethod
    def _not_every_collection(cls, name: str) -> str:
        if name.strip() == ALL_COLLECTIONS:
            raise ValueError(f"{ALL_COLLECTIONS!r} means every collection in a token; it cannot name one")
        return name


FileStatusName = Literal["pending", "processing", "done", "failed", "duplicate"]


class FileOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "fil_0a1b2c3d4e5f6a7b",
                "name": "release.zip/memos/Rekognition memo.pdf",
                "status": "failed",
                "error": "encrypted PDF: it needs a password to open",
                "document_id": "doc_620630c91cb253e9c28c694b",
                "added_at": "2026-11-26T04:00:00.000+00:00",
                "retryable": False,
                "warnings": [],
            }
        }
    )
    id: str
    name: str
    status: FileStatusName
    error: str | None
    document_id: str | None = Field(description="Null for a file rejected at upload; a failed file has no pages.")
    added_at: dt.datetime
    retryable: bool = Field(
        False, description="A retry may help: a failure that is not the file's own, or a done file with warnings."
    )
    warnings: list[PageWarningOut] = Field(default_factory=list, description="Pages stored with a warning.")


class FileList(Page):
    items: list[FileOut]


class UploadResult(BaseModel):
    accepted: list[FileOut]
    rejected: list[FileOut]
    progress: ProgressOut


class RetryResult(BaseModel):
    queued: int = Field(description="How many files were queued again (the production's `retryable` count).")
