"""Catalog records as plain, immutable data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# In a token's collections, every collection: so no collection may bear this name (no scoped token could
# be issued for it).
ALL_COLLECTIONS = "*"


class DocumentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class FileStatus(StrEnum):
    """A production file's status as users see it."""

    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    DUPLICATE = "duplicate"


class JobStatus(StrEnum):
    """A document's job in the queue; the moves between them are catalog/jobs.py's TRANSITIONS."""

    QUEUED = "queued"  # waiting for a worker to read the original
    RUNNING = "running"  # a worker holds its lease and is reading it
    INDEXING = "indexing"  # stored (or failed), waiting to be shown by the index: no OCR left to do
    DONE = "done"
    FAILED = "failed"


class PageSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"


@dataclass(frozen=True)
class Collection:
    id: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Production:
    id: str
    collection_id: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Document:
    id: str
    sha256: str
    size: int
    status: DocumentStatus
    error: str | None
    page_count: int | None
    pdf_metadata: dict[str, str]
    title: str | None
    document_date: dt.date | None
    date_source: str | None
    bates_begin: str | None
    bates_end: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class ProductionFile:
    id: str
    production_id: str
    document_id: str | None  # None when the file was rejected before it became a document
    original_name: str
    status: FileStatus
    error: str | None
    added_at: dt.datetime


@dataclass(frozen=True)
class PageFactsRecord:
    """What nlp found on a page, as stored (offsets into the page text)."""

    exemptions: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    document_id: str
    number: int  # 1-based
    text: str
    source: PageSource
    ocr_confidence: float | None
    bates: str | None = None
    exemptions: tuple[str, ...] = ()
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MentionRecord:
    document_id: str
    page_number: int
    entity_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityRecord:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    vendor_id: str | None = None
    source: str = "gazetteer"  # or "ner"


@dataclass(frozen=True)
class Job:
    id: str
    document_id: str
    status: JobStatus
    attempts: int
    lease_owner: str | None
    lease_expires: float | None


@dataclass(frozen=True)
class RedactionBox:
    """A redaction box on a page, in PDF points with the origin at the top left (pdfplumber's x0, top,
    x1, bottom); on a scan, the box as the released image shows it."""

    page_number: int
    x0: float
    y0: float
    x1: float
    y1: float
    source: str  # "text_layer" (drawn in the PDF) | "image" (found in the scan)
    codes: tuple[str, ...] = ()
    label: str = ""
    # Words are still under the box in the text layer (a failed redaction). Only the flag: the words
    # themselves never reach the catalog.
    leaked: bool = False
    context: str = ""  # visible words around the box, the box as "[...]"


@dataclass(frozen=True)
class PageMark:
    """What a page is and how much of it was withheld, plus its near-duplicate signature."""

    page_number: int
    kind: str = "content"  # content | withheld_in_full | duplicate | referred
    redacted_share: float = 0.0
    failed_redaction: bool = False
    minhash: tuple[int, ...] | None = None


@dataclass(frozen=True)
class DocumentResult:
    """Everything the worker learned about a document, stored in one transaction."""

    page_count: int
    pdf_metadata: dict[str, str]
    title: str | None
    pages: list[Page]
    mentions: list[MentionRecord]
    document_date: dt.date | None = None
    date_source: str | None = None
    bates_begin: str | None = None
    bates_end: str | None = None
    redaction_boxes: list[RedactionBox] = field(default_factory=list)
    page_marks: list[PageMark] = field(default_factory=list)


@dataclass(frozen=True)
class FileCounts:
    total: int = 0
    pending: int = 0
    processing: int = 0
    done: int = 0
    failed: int = 0
    duplicate: int = 0


@dataclass(frozen=True)
class PageCounts:
    total: int = 0
    text_layer: int = 0
    ocr: int = 0


@dataclass(frozen=True)
class Progress:
    files: FileCounts
    pages: PageCounts

    @property
    def finished(self) -> bool:
        return self.files.pending == 0 and self.files.processing == 0
