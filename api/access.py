"""What a principal may see: documents through the collections of their productions."""

from __future__ import annotations

from typing import Protocol

from api.deps import Principal
from api.problem_types import NOT_FOUND
from api.problems import Problem
from catalog.models import Document, Production
from catalog.protocols import DocumentReader, ProductionReader


class DocumentAccess(Protocol):
    """Where a document and the productions holding it are read from."""

    @property
    def productions(self) -> ProductionReader: ...
    @property
    def documents(self) -> DocumentReader: ...


def visible_document(
    catalog: DocumentAccess, principal: Principal, document_id: str
) -> tuple[Document, list[Production]]:
    """The document and the productions of it the principal may see; 404 when there are none."""
    # Only links the index shows: a file just linked to a document another matter holds is not yet the
    # uploader's to open, exactly like a new file still being processed (no existence oracle).
    shown = catalog.productions.productions_of_document(document_id, shown_only=True)
    productions = [p for p in shown if principal.can_see(p.collection_id)]
    if not productions:
        # Same answer whether it does not exist or is not theirs: never confirm what one may not see.
        raise Problem(NOT_FOUND, f"no document {document_id}")
    return catalog.documents.get_document(document_id), productions
