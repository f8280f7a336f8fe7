"""Opaque, tamper-evident-enough cursors for stable pagination.

A cursor pins a snapshot (`max_seq`: only pages indexed up to then are visible, plus the id of a
cached engine snapshot when the backend keeps one) and the sort key of the last document returned.
The fingerprint ties it to the request it came from, so a cursor reused with another query, filter
set or sort is refused instead of silently returning the wrong pages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from search.backend import HistogramRequest, InvalidRequest, SearchRequest


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


class KeyPart(Enum):
    """One value of a cursor's sort key, as a backend resumes from it."""

    SCORE = "a relevance score"
    DAY = "a day number or null"
    DOCUMENT_ID = "a document id"
    OFFSET = "a count of documents already shown"


# Each backend declares the key its cursors carry, by sort order: a tampered value is refused here, in the
# one place cursors are read, instead of reaching the engine (where a NaN, a list or a 40-digit number
# ends as a 500).
CursorKeys = Mapping[str, tuple[KeyPart, ...]]

MAX_INT64 = 2**63 - 1
MAX_SCORE = 3.4e38  # engines score in 32-bit floats
MAX_DAY = 3_000_000  # days from the epoch: past year 10000 either way
MAX_OFFSET = 1_000_000_000
MAX_ID_CHARS = 200


def _reject_constant(name: str) -> Any:
    raise InvalidCursor(f"malformed cursor: {name} is not a number")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _part_ok(part: KeyPart, value: Any) -> bool:
    if part is KeyPart.SCORE:
        number = _is_int(value) or isinstance(value, float)
        return number and math.isfinite(value) and abs(value) <= MAX_SCORE
    if part is KeyPart.DAY:
        return value is None or (_is_int(value) and abs(value) <= MAX_DAY)
    if part is KeyPart.OFFSET:
        return _is_int(value) and 0 <= value <= MAX_OFFSET
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS


def _checked(data: Any, key: tuple[KeyPart, ...] | None) -> Cursor:
    if not isinstance(data, dict) or set(data) != {"f", "m", "s", "a"}:
        raise InvalidCursor("malformed cursor")
    fp, max_seq, snapshot, after = data["f"], data["m"], data["s"], data["a"]
    if not isinstance(fp, str):
        raise InvalidCursor("malformed cursor: no fingerprint")
    if not _is_int(max_seq) or not 0 <= max_seq <= MAX_INT64:
        raise InvalidCursor("malformed cursor: its snapshot is not a sequence number")
    if snapshot is not None and not isinstance(snapshot, str):
        raise InvalidCursor("malformed cursor: its snapshot id is not text")
    if not isinstance(after, list):
        raise InvalidCursor("malformed cursor: no sort key")
    if key is not None:
        if len(after) != len(key):
            raise InvalidCursor(f"malformed cursor: its sort key has {len(after)} values, not {len(key)}")
        for n, (part, value) in enumerate(zip(key, after, strict=True), start=1):
            if not _part_ok(part, value):
                raise InvalidCursor(f"malformed cursor: value {n} of its sort key is not {part.value}")
    return Cursor(fingerprint=fp, max_seq=max_seq, snapshot_id=snapshot, after=after)


def decode_cursor(text: str, expected_fingerprint: str, key: tuple[KeyPart, ...] | None = None) -> Cursor:
    """The cursor in `text`, checked field by field (and its sort key against `key`, when given)."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, binascii.Error, RecursionError) as exc:  # RecursionError: "[[[[...": nesting past the stack
        raise InvalidCursor("malformed cursor") from exc
    cursor = _checked(data, key)
    if cursor.fingerprint != expected_fingerprint:
        raise InvalidCursor("cursor belongs to a different query, filter set or sort")
    return cursor


@dataclass(frozen=True)
class OpenedRequest:
    """A search request's normalized filters, its fingerprint and its cursor (None on the first page)."""

    filters: dict[str, list[str]]
    fingerprint: str
    cursor: Cursor | None


def normalized_filters(request: SearchRequest | HistogramRequest) -> dict[str, list[str]]:
    """The request's facet filters with values as text, empty ones left out."""
    return {k: [str(v) for v in vs] for k, vs in request.filters.items() if vs}


def open_request(request: SearchRequest, keys: CursorKeys) -> OpenedRequest:
    """What every backend does first with a search request; a bad cursor is an InvalidRequest.

    `keys`: the backend's cursor sort key for each sort order (see CursorKeys)."""
    normalized = normalized_filters(request)
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
        cursor = decode_cursor(request.cursor, fp, keys[request.sort]) if request.cursor else None
    except InvalidCursor as exc:
        raise InvalidRequest(str(exc)) from exc
    return OpenedRequest(normalized, fp, cursor)
