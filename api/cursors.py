"""One cursor for every list the API answers: opaque, scoped to the request, resuming after a key.

A list's cursor holds the sort key of the last item shown (keyset paging: the next page is the items
after that key, so a row added or removed meanwhile never makes another row repeat or go missing) or,
for search, the backend's own resume point. It leaves the server sealed (api/cursor_seal.py: AES-GCM,
padded), together with the list's name and a fingerprint of what the list was asked for: the reader's
collections and the list's own parameters (production, filters, query, sort; never `limit`). A cursor is
refused with one 400 problem (`/problems/invalid-cursor`) when it was not issued by this server, was
tampered with, belongs to another list, or is replayed with other parameters or other collections.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request

from api.cursor_seal import CursorSeal, SealedCursorInvalid
from api.deps import PrincipalDep
from api.problem_types import INVALID_CURSOR
from api.problems import Problem

T = TypeVar("T")
Key = tuple[Any, ...]
KeyValue = type[int] | type[float] | type[str]

MAX_CURSOR_CHARS = 2000
CursorParam = Annotated[
    str | None, Query(max_length=MAX_CURSOR_CHARS, description="next_cursor of a previous page (opaque).")
]


def invalid_cursor(why: str) -> Problem:
    return Problem(INVALID_CURSOR, f"{why}: pass back the next_cursor of a previous page")


def _fingerprint(collection_ids: tuple[str, ...] | None, params: Sequence[Any]) -> str:
    raw = json.dumps([collection_ids, list(params)], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def _typed(value: Any, kind: KeyValue) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


@dataclass(frozen=True)
class ListCursor:
    """The cursors of one list asked with one set of parameters by one reader."""

    seal: CursorSeal
    list_name: str
    scope: str  # fingerprint of the reader's collections and the list's parameters

    def issue(self, key: Sequence[Any] | None) -> str | None:
        """The cursor resuming after `key`; None at the end of the list (no key)."""
        if key is None:
            return None
        return self.seal.seal(json.dumps({"l": self.list_name, "s": self.scope, "k": list(key)}, separators=(",", ":")))

    def open(self, token: str | None, shape: Sequence[KeyValue]) -> Key | None:
        """The key a cursor resumes after (None on the first page), its values of the types in `shape`;
        a cursor this list did not issue for these parameters and collections is a 400 problem."""
        try:
            text = self.seal.open(token)
        except SealedCursorInvalid as exc:
            raise invalid_cursor(str(exc)) from exc
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:  # pragma: no cover - only this module writes what the seal holds
            raise invalid_cursor("malformed cursor") from exc
        if not isinstance(data, dict) or data.get("l") != self.list_name:
            raise invalid_cursor("the cursor belongs to another list")
        if data.get("s") != self.scope:
            raise invalid_cursor("the cursor belongs to another query, filter set or set of collections")
        key = data.get("k")
        if (
            not isinstance(key, list)
            or len(key) != len(shape)
            or not all(_typed(v, kind) for v, kind in zip(key, shape, strict=True))
        ):
            raise invalid_cursor("malformed cursor: its key is not this list's")
        return tuple(key)


@dataclass(frozen=True)
class ListCursors:
    """The cursors of the lists one reader asks for."""

    seal: CursorSeal
    collection_ids: tuple[str, ...] | None

    def of(self, list_name: str, *params: Any) -> ListCursor:
        """The cursors of `list_name` asked with `params` (everything that selects its rows, not `limit`)."""
        return ListCursor(self.seal, list_name, _fingerprint(self.collection_ids, params))


def get_list_cursors(request: Request, principal: PrincipalDep) -> ListCursors:
    seal: CursorSeal = request.app.state.cursor_seal
    scope = tuple(sorted(principal.collection_ids)) if principal.collection_ids is not None else None
    return ListCursors(seal, scope)


CursorsDep = Annotated[ListCursors, Depends(get_list_cursors)]


def page_after(
    items: Sequence[T], sort_key: Callable[[T], Key], after: Key | None, limit: int
) -> tuple[list[T], Key | None]:
    """Keyset paging over a list computed in memory: the `limit` items whose sort key follows `after`,
    in sort-key order, and the key to resume after (None when no item follows). `sort_key` must be
    unique per item (end it with the item's id), so that every item is on exactly one page."""
    ordered = sorted(items, key=sort_key)
    keys = [sort_key(i) for i in ordered]
    start = 0 if after is None else bisect.bisect_right(keys, after)
    chunk = ordered[start : start + limit]
    return chunk, (keys[start + limit - 1] if start + limit < len(ordered) else None)
