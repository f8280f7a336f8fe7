"""Opaque, tamper-evident-enough cursors for stable pagination.

A cursor pins a snapshot (`max_seq`: only pages indexed up to then are visible, plus the id of a
cached engine snapshot when the backend keeps one) and the sort key of the last document returned.
The fingerprint ties it to the request it came from, so a cursor reused with another query, filter
set or sort is refused instead of silently returning the wrong pages.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from search.backend import InvalidRequest, SearchRequest


class InvalidCursor(ValueError):
    """A cursor that was not issued for this request (or was mangled)."""


@dataclass(frozen=True)
class Cursor:
    fingerprint: str
    max_seq: int
    snapshot_id: str | None
    # Last document's sort key: relevance -> [score, document_id]; date -> [phase, day, document_id]
    after: list[Any]


def fingerprint(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(raw.encode(), digest_size=8).hexdigest()


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps(
        {"f": cursor.fingerprint, "m": cursor.max_seq, "s": cursor.snapshot_id, "a": cursor.after},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str, expected_fingerprint: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw)
        cursor = Cursor(
            fingerprint=str(data["f"]),
            max_seq=int(data["m"]),
            snapshot_id=None if data["s"] is None else str(data["s"]),
            after=list(data["a"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidCursor("malformed cursor") from exc
    if cursor.fingerprint != expected_fingerprint:
        raise InvalidCursor("cursor belongs to a different query, filter set or sort")
    return cursor


@dataclass(frozen=True)
class OpenedRequest:
    """A search request's normalized filters, its fingerprint and its cursor (None on the first page)."""

    filters: dict[str, list[str]]
    fingerprint: str
    cursor: Cursor | None


def open_request(request: SearchRequest) -> OpenedRequest:
    """What every backend does first with a search request; a bad cursor is an InvalidRequest."""
    normalized = {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}
    fp = fingerprint(
        "search",
        request.query,
        normalized,
        request.date_from,
        request.date_to,
        None if request.collection_ids is None else sorted(request.collection_ids),
        request.sort,
    )
    try:
        cursor = decode_cursor(request.cursor, fp) if request.cursor else None
    except InvalidCursor as exc:
        raise InvalidRequest(str(exc)) from exc
    return OpenedRequest(normalized, fp, cursor)
