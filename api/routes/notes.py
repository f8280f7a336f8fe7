"""Notes on pages and regions: written by any reader of the collection, edited and deleted by their author.

A note belongs to one collection (catalog/notes.py). Whoever cannot see it gets the 404 of a note that
never existed; whoever sees it but did not write it gets a 403 on edits. Each change is audited and
reaches the search index's marks (search.note_marks) before the answer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from api.access import visible_document
from api.audit import auditor_of
from api.deps import Principal, PrincipalDep, ServicesDep
from api.filters import scope_of
from api.problem_types import COLLECTION_REQUIRED, FORBIDDEN, NOT_FOUND
from api.problems import Problem
from api.schemas_notes import NoteIn, NoteOut, NotePatch, NotesOut
from api.tag_scope import marks_indexer
from catalog.errors import NotFound
from catalog.models import DocumentStatus
from catalog.notes import Note, can_see
from catalog.sql import SqlCatalog

router = APIRouter(tags=["notes"])

PageNumber = Annotated[int, Path(ge=1, le=1_000_000)]
NoteId = Annotated[str, Path(max_length=40)]
NOTE_ID = re.compile(r"note_[0-9a-f]{16}")  # catalog.database.new_id("note")


def _document_collections(catalog: SqlCatalog, principal: Principal, document_id: str) -> list[str]:
    """The principal's collections the document is in (404 when none), and that its pages exist."""
    _, productions = visible_document(catalog, principal, document_id)
    return sorted({p.collection_id for p in productions})


def _collection_for(catalog: SqlCatalog, collections: list[str], chosen: str | None) -> str:
    if chosen is not None:
        if chosen not in collections:
            raise Problem(NOT_FOUND, f"no collection {chosen}")
        return chosen
    if len(collections) > 1:
        names = {c.id: c.name for c in catalog.productions.list_collections()}
        choices = [{"id": c, "name": names.get(c, c)} for c in collections]
        raise Problem(
            COLLECTION_REQUIRED,
            "the document is in several of your collections: say which one the note is for (`collection`)",
            choices=choices,
        )
    return collections[0]


def _visible_note(catalog: SqlCatalog, principal: Principal, note_id: str) -> Note:
    """The note when the principal sees it: in one of their collections that holds its document, shared
    or theirs. Otherwise the 404 of a note that does not exist."""
    if not NOTE_ID.fullmatch(note_id):  # never sent to the database: an id it never gave is no note
        raise Problem(NOT_FOUND, f"no note {note_id}")
    try:
        note = catalog.notes.get(note_id)
    except NotFound:
        raise Problem(NOT_FOUND, f"no note {note_id}") from None
    if not can_see(note, principal.name, scope_of(principal)):
        raise Problem(NOT_FOUND, f"no note {note_id}")
    try:
        collections = _document_collections(catalog, principal, note.document_id)
    except Problem:
        raise Problem(NOT_FOUND, f"no note {note_id}") from None
    if note.collection_id not in collections:
        raise Problem(NOT_FOUND, f"no note {note_id}")
    return note


def _authored(catalog: SqlCatalog, principal: Principal, note_id: str) -> Note:
    note = _visible_note(catalog, principal, note_id)
    if note.author != principal.name:
        raise Problem(FORBIDDEN, "only its author changes or deletes a note")
    return note


@router.post(
    "/documents/{document_id}/pages/{number}/notes",
    status_code=201,
    summary="Write a note on a page or a region of it (private unless shared; audited)",
)
def create_note(
    document_id: str,
    number: PageNumber,
    body: NoteIn,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
) -> NoteOut:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    if document.status is not DocumentStatus.DONE or number > (document.page_count or 0):
        raise Problem(NOT_FOUND, f"no page {number} in document {document_id}")
    collection_id = _collection_for(catalog, sorted({p.collection_id for p in productions}), body.collection)
    note = catalog.notes.create(
        collection_id,
        document.id,
        number,
        principal.name,
        body.text,
        shared=body.shared,
        region=None if body.region is None else body.region.region(),
    )
    _audit(request, principal, "note.create", note)
    _reindex(request, note)
    return NoteOut.of(note, principal.name)


@router.get("/documents/{document_id}/notes", summary="The notes on a document the reader sees, by page")
def document_notes(
    document_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    page: Annotated[int | None, Query(ge=1, le=1_000_000, description="Only the notes on this page.")] = None,
) -> NotesOut:
    catalog = services.catalog
    collections = _document_collections(catalog, principal, document_id)
    notes = catalog.notes.visible([document_id], principal.name, collections)
    return NotesOut(
        items=[NoteOut.of(n, principal.name) for n in notes if page is None or n.page_number == page],
    )


@router.patch("/notes/{note_id}", summary="Change a note's text, sharing or region (its author only; audited)")
def update_note(
    note_id: NoteId, body: NotePatch, request: Request, services: ServicesDep, principal: PrincipalDep
) -> NoteOut:
    catalog = services.catalog
    note = _authored(catalog, principal, note_id)
    given = body.model_fields_set
    text = note.text if body.text is None else body.text
    region = (None if body.region is None else body.region.region()) if "region" in given else note.region
    changed = replace(note, text=text, shared=note.shared if body.shared is None else body.shared, region=region)
    saved = catalog.notes.update(changed)
    _audit(request, principal, "note.update", saved)
    _reindex(request, saved)
    return NoteOut.of(saved, principal.name)


@router.delete("/notes/{note_id}", status_code=204, summary="Delete a note (its author only; audited)")
def delete_note(note_id: NoteId, request: Request, services: ServicesDep, principal: PrincipalDep) -> Response:
    catalog = services.catalog
    note = _authored(catalog, principal, note_id)
    catalog.notes.delete(note.id)
    _audit(request, principal, "note.delete", note)
    _reindex(request, note)
    return Response(status_code=204)


def _reindex(request: Request, note: Note) -> None:
    """The page's marks in the index as the catalog now holds them: `note:` finds the change at once."""
    marks_indexer(request).refresh_marks({note.document_id: {note.page_number}})


def _audit(request: Request, principal: Principal, action: str, note: Note) -> None:
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(
            principal,
            action,
            note.id,
            collection=note.collection_id,
            document=note.document_id,
            page=note.page_number,
            shared=note.shared,
            region=note.region is not None,
        )
