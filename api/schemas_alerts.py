"""Bodies of the saved-search and alert endpoints (api/routes/saved_searches.py, api/routes/alerts.py)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.schemas import CollectionOut
from search.backend import SortOrder

_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")


def check_webhook_url(value: str | None) -> str | None:
    """Only http and https URLs with a host: a webhook is never a file, a mailbox or a path."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("a webhook URL must be an http:// or https:// URL with a host")
    return value.strip()


def check_email(value: str | None) -> str | None:
    if value is None:
        return None
    if not _EMAIL.match(value.strip()):
        raise ValueError("not an email address")
    return value.strip()


def _not_text(value: object) -> str | None:
    """Pure: why a value given as text is not text (a NUL, half of a UTF-16 pair), looking into lists and
    mappings; None when it is. Neither can be stored by every catalog or written back in an answer."""
    if isinstance(value, str):
        for position, char in enumerate(value):
            if char == "\x00" or "\ud800" <= char <= "\udfff":
                return f"U+{ord(char):04X} at position {position} is not text"
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        return next((why for v in value if (why := _not_text(v))), None)
    return None


class TextOnly(BaseModel):
    @model_validator(mode="after")
    def _text_only(self) -> TextOnly:
        for name in type(self).model_fields:
            why = _not_text(getattr(self, name))
            if why:
                raise ValueError(f"{name}: {why}")
        return self


class AlertSettings(TextOnly):
    alert: bool = Field(False, description="Alert me when a newly indexed production adds matching documents.")
    webhook_url: str | None = Field(
        None, max_length=2000, description="POST each alert here, signed (HMAC-SHA256); http(s) only."
    )
    email: str | None = Field(None, max_length=320, description="Email each alert to this address.")

    _url = field_validator("webhook_url")(check_webhook_url)
    _email = field_validator("email")(check_email)


class SavedSearchIn(AlertSettings):
    """A search as GET /search takes it (q, the filters by field name, the date bounds, the sort), a name,
    and the collection it is saved in (an id or a name; may be left out by a reader of one collection)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "name": "Clearview contracts",
                "q": "clearview w/10 contract",
                "filters": {"exemption": ["b7C"]},
                "date_from": "2018-01-01",
                "sort": "date_desc",
                "collection": "col_0123456789abcdef",
                "alert": True,
                "webhook_url": "https://hooks.example.org/foia",
            }
        },
    )
    name: str = Field(min_length=1, max_length=200)
    q: str = Field("", max_length=2000)
    filters: dict[str, list[str]] = Field(default_factory=dict, description="Field name -> values, as /search.")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: SortOrder = "relevance"
    collection: str | None = Field(None, max_length=200)

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a saved search needs a name")
        return value.strip()


class SavedSearchPatch(AlertSettings):
    """Only the fields given change; `webhook_url: null` or `email: null` removes that delivery."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    alert: bool | None = None  # type: ignore[assignment]


class SavedSearchOut(BaseModel):
    id: str
    name: str
    q: str
    filters: dict[str, list[str]]
    date_from: dt.date | None
    date_to: dt.date | None
    sort: SortOrder
    collection: CollectionOut
    alert: bool
    webhook_url: str | None
    email: str | None
    created_at: dt.datetime
    viewed_at: dt.datetime
    new_documents: int = Field(description="Documents new since it was last viewed (brought by productions).")
    search_url: str = Field(description="The UI's /search URL that runs it.")


class SavedSearchCreated(SavedSearchOut):
    webhook_secret: str | None = Field(
        description="The webhook's signing secret, shown this once (null without a webhook)."
    )


class SavedSearchList(BaseModel):
    items: list[SavedSearchOut]


class SavedSearchView(SavedSearchOut):
    """One saved search as opened: what is new since the previous view (it is now viewed)."""

    new_since: dt.datetime = Field(description="When it was viewed before this view.")
    new_document_ids: list[str] = Field(description="The first 100 new documents, oldest first.")
    params: list[tuple[str, str]] = Field(description="The query parameters of GET /search that run it.")


class DeliveryOut(BaseModel):
    id: str
    alert_id: str
    channel: str = Field(description="webhook or email")
    target: str
    state: str = Field(description="queued, sent or failed")
    attempts: int
    last_status: int | None = Field(description="HTTP (or SMTP) status of the last attempt.")
    last_error: str | None
    next_attempt_at: dt.datetime | None = Field(description="When a queued delivery is tried next.")
    created_at: dt.datetime
    finished_at: dt.datetime | None


class DeliveryList(BaseModel):
    items: list[DeliveryOut]


class Ref(BaseModel):
    id: str
    name: str


class AlertOut(BaseModel):
    id: str
    saved_search: Ref
    collection: CollectionOut
    production: Ref
    new_documents: int
    document_ids: list[str] = Field(description="The first 100 of them.")
    created_at: dt.datetime
    read_at: dt.datetime | None
    search_url: str


class AlertList(BaseModel):
    unread: int = Field(description="Unread alerts in the collections the caller can read.")
    items: list[AlertOut]
    next_before: str | None = Field(None, description="Pass as `before` for older alerts; null at the end.")


class AlertsReadIn(TextOnly):
    model_config = ConfigDict(extra="forbid")
    ids: list[str] | None = Field(None, max_length=1000, description="The alerts to mark read; null: all of them.")


class AlertsReadOut(BaseModel):
    marked: int
    unread: int
