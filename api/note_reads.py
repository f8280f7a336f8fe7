"""The notes a reader sees on the pages an answer shows (search hits, a document's hit pages, exports)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from api.deps import Principal
from api.schemas_notes import NoteOut
from catalog.protocols import NoteReader

PageKey = tuple[str, int]  # (document id, page number)


def page_notes(
    notes: NoteReader, principal: Principal, scope: Sequence[str] | None, pages: Iterable[PageKey]
) -> dict[PageKey, list[NoteOut]]:
    """Each page's notes this principal sees within `scope` (their collections), in one query."""
    found = notes.on_pages(pages, principal.name, scope)
    return {key: [NoteOut.of(n, principal.name) for n in listed] for key, listed in found.items()}
