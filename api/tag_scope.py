"""Where a tag goes: the principal's collections, the one collection of a document a change is for, the
tags a collection knows, and the indexer that brings the index's marks up to date after a change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fastapi import Request

from api.deps import Principal
from api.problem_types import COLLECTION_REQUIRED, NOT_FOUND
from api.problems import Problem
from catalog.models import Production
from catalog.protocols import ProductionReader


class MarksIndexer(Protocol):
    """ingest.indexing.Indexer's side the routes use."""

    def refresh_marks(self, pages: dict[str, set[int] | None]) -> int: ...


class TagNames(Protocol):
    def names(self, collection_id: str) -> list[str]: ...


def readable_collections(catalog: _Catalog, principal: Principal) -> list[str]:
    """The ids of the collections the principal reads, sorted."""
    return sorted(c.id for c in catalog.productions.list_collections() if principal.can_see(c.id))


class _Catalog(Protocol):
    @property
    def productions(self) -> ProductionReader: ...


def collection_of_document(document_id: str, productions: Sequence[Production], given: str | None) -> str:
    """The collection of the principal's `productions` of a document that a change is for: `given` (404
    when the document is not in it, as if the document were not there), else the only one (400 naming the
    choices when there are several)."""
    choices = sorted({p.collection_id for p in productions})
    if given is not None:
        if given not in choices:
            raise Problem(NOT_FOUND, f"no document {document_id} in collection {given}")
        return given
    if len(choices) > 1:
        raise Problem(
            COLLECTION_REQUIRED,
            f"document {document_id} is in several of your collections: give collection, one of {', '.join(choices)}",
            choices=choices,
        )
    return choices[0]


def chosen_collection(collections: Sequence[str], given: str | None, what: str) -> str:
    """The principal's collection a request is for: `given` (404 when it is not one of `collections`, as
    if it did not exist), else the only one (400 naming the choices when there are several)."""
    if given is not None:
        if given not in collections:
            raise Problem(NOT_FOUND, f"no collection {given}")
        return given
    if len(collections) == 1:
        return collections[0]
    raise Problem(
        COLLECTION_REQUIRED,
        f"say which collection {what} is for: one of {', '.join(collections)}",
        choices=list(collections),
    )


def require_tag(tags: TagNames, collection_id: str, tag: str) -> None:
    """404 naming the collection's tags when it has no tag `tag`."""
    known = tags.names(collection_id)
    if tag not in known:
        raise Problem(
            NOT_FOUND, f"no tag '{tag}' in collection {collection_id}; its tags: {', '.join(known)}", known=known
        )


def marks_indexer(request: Request) -> MarksIndexer:
    indexer: MarksIndexer = request.app.state.marks_indexer
    return indexer
