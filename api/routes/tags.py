"""Review tags: a matter's tag names, and tags set on documents and pages, one by one. Each change is
audited and reaches the search index before the answer (the index's marks, search.marks).

Any role that reads a collection tags in it (tags are the reviewer's work product). A document shared by
several of the principal's collections is tagged in the one named by `collection` (its id); without it
the answer is 400 naming the choices. A document, page or collection the principal cannot see is 404,
exactly as one that does not exist; so is a tag the collection does not know (naming the ones it does).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.access import visible_document
from api.audit import auditor_of
from api.deps import Principal, PrincipalDep, ServicesDep
from api.problem_types import NOT_FOUND
from api.problems import Problem
from api.tag_scope import (
    chosen_collection,
    collection_of_document,
    marks_indexer,
    readable_collections,
    require_tag,
)
from catalog.tags import TAG_NAME, TagDefinition

router = APIRouter(tags=["tags"])

PageNumber = Annotated[int, Path(ge=1, le=1_000_000)]
TagPath = Annotated[str, Path(min_length=1, max_length=40, description="The tag's name: hot, needs-review, ...")]
CollectionParam = Annotated[
    str | None,
    Query(max_length=40, description="The collection (id) to tag in, when the document is in several of yours."),
]


class TagOut(BaseModel):
    collection_id: str
    name: str
    label: str
    built_in: bool
    created_at: str | None = None
    created_by: str | None = None


class TagsOut(BaseModel):
    tags: list[TagOut]


class TagIn(BaseModel):
    collection: str | None = Field(None, max_length=40, description="The collection (id); needed with several.")
    name: str = Field(pattern=TAG_NAME.pattern, examples=["key-witness"])
    label: str | None = Field(None, min_length=1, max_length=200, examples=["Key witness"])


class AppliedTag(BaseModel):
    collection_id: str
    tag: str


class DocumentTagsOut(BaseModel):
    document_id: str
    tags: list[AppliedTag]  # the document's own
    pages: dict[int, list[AppliedTag]]  # page number -> the page's own


class TaggedOut(BaseModel):
    document_id: str
    page_number: int | None = None
    collection_id: str
    tag: str
    changed: bool  # False: it already had (or had not) the tag


def _out(d: TagDefinition) -> TagOut:
    return TagOut(
        collection_id=d.collection_id,
        name=d.name,
        label=d.label,
        built_in=d.built_in,
        created_at=d.created_at,
        created_by=d.created_by,
    )


@router.get("/tags", summary="The tags of your collections (built-in and the matter's own)")
def list_tags(
    services: ServicesDep, principal: PrincipalDep, collection: Annotated[str | None, Query(max_length=40)] = None
) -> TagsOut:
    collections = readable_collections(services.catalog, principal)
    if collection is not None:
        if collection not in collections:
            raise Problem(NOT_FOUND, f"no collection {collection}")
        collections = [collection]
    return TagsOut(tags=[_out(d) for d in services.catalog.tags.definitions(collections)])


@router.post("/tags", status_code=201, summary="Create a tag of a collection (audited)")
def create_tag(body: TagIn, request: Request, services: ServicesDep, principal: PrincipalDep) -> TagOut:
    collections = readable_collections(services.catalog, principal)
    collection_id = chosen_collection(collections, body.collection, "the tag")
    made = services.catalog.tags.define(collection_id, body.name, body.label or body.name, principal.name)
    _audit(request, principal, "tag.create", made.name, collection=collection_id, label=made.label)
    return _out(made)


@router.get("/documents/{document_id}/tags", summary="A document's tags and its pages' tags, in your collections")
def document_tags(document_id: str, services: ServicesDep, principal: PrincipalDep) -> DocumentTagsOut:
    catalog = services.catalog
    _, productions = visible_document(catalog, principal, document_id)
    mine = sorted({p.collection_id for p in productions})
    applied = catalog.tags.applied(document_id, mine)
    return DocumentTagsOut(
        document_id=document_id,
        tags=[AppliedTag(collection_id=c, tag=tag) for c, tag in applied.document],
        pages={n: [AppliedTag(collection_id=c, tag=tag) for c, tag in v] for n, v in applied.pages.items()},
    )


@router.put("/documents/{document_id}/tags/{tag}", summary="Tag a document (audited)")
def tag_document(
    document_id: str,
    tag: TagPath,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    collection: CollectionParam = None,
) -> TaggedOut:
    return _set(request, services, principal, document_id, None, tag, collection, add=True)


@router.delete("/documents/{document_id}/tags/{tag}", status_code=204, summary="Untag a document (audited)")
def untag_document(
    document_id: str,
    tag: TagPath,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    collection: CollectionParam = None,
) -> Response:
    _set(request, services, principal, document_id, None, tag, collection, add=False)
    return Response(status_code=204)


@router.put("/documents/{document_id}/pages/{number}/tags/{tag}", summary="Tag one page (audited)")
def tag_page(
    document_id: str,
    number: PageNumber,
    tag: TagPath,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    collection: CollectionParam = None,
) -> TaggedOut:
    return _set(request, services, principal, document_id, number, tag, collection, add=True)


@router.delete(
    "/documents/{document_id}/pages/{number}/tags/{tag}", status_code=204, summary="Untag one page (audited)"
)
def untag_page(
    document_id: str,
    number: PageNumber,
    tag: TagPath,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    collection: CollectionParam = None,
) -> Response:
    _set(request, services, principal, document_id, number, tag, collection, add=False)
    return Response(status_code=204)


def _set(
    request: Request,
    services: ServicesDep,
    principal: Principal,
    document_id: str,
    page: int | None,
    tag: str,
    collection: str | None,
    *,
    add: bool,
) -> TaggedOut:
    catalog = services.catalog
    document, productions = visible_document(catalog, principal, document_id)
    collection_id = collection_of_document(document_id, productions, collection)
    if page is not None and not 1 <= page <= (document.page_count or 0):
        raise Problem(NOT_FOUND, f"no page {page} in document {document_id} ({document.page_count or 0} pages)")
    require_tag(catalog.tags, collection_id, tag)
    store = catalog.tags
    pages = [(document_id, page)] if page is not None else []
    if page is None and add:
        changed = store.tag_documents(collection_id, tag, [document_id], principal.name)
    elif page is None:
        changed = store.untag_documents(collection_id, tag, [document_id])
    elif add:
        changed = store.tag_pages(collection_id, tag, pages, principal.name)
    else:
        changed = store.untag_pages(collection_id, tag, pages)
    if changed:
        marks_indexer(request).refresh_marks({document_id: None if page is None else {page}})
    _audit(
        request,
        principal,
        "tag.add" if add else "tag.remove",
        document_id,
        collection=collection_id,
        tag=tag,
        page=page,
        changed=bool(changed),
    )
    return TaggedOut(
        document_id=document_id, page_number=page, collection_id=collection_id, tag=tag, changed=bool(changed)
    )


def _audit(request: Request, principal: Principal, action: str, target: str, **detail: object) -> None:
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, action, target, **detail)
