"""Bulk tagging: every document (or page) matching a search, tagged or untagged in one request.

The search is given exactly as /search takes it (q and the search filters as query parameters), run in
the one collection the tag belongs to. The request carries the count the user confirmed
(`expected_count`, what the UI showed): when the search now matches another number, nothing changes and
the answer is 409 with the real count. Only the pages whose tags change are re-indexed (from the catalog,
never OCR); the answer comes once searches see them. Rate limited (FOIA_RATE_LIMIT_BULK_*), audited.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Annotated, Literal

import structlog
from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from api.audit import auditor_of
from api.deps import PrincipalDep, ServicesDep
from api.filters import FiltersDep
from api.problem_types import CONFLICT, INVALID_REQUEST
from api.problems import Problem
from api.tag_scope import chosen_collection, marks_indexer, readable_collections, require_tag

log = structlog.get_logger(__name__)
router = APIRouter(tags=["tags"])

TagPath = Annotated[str, Path(min_length=1, max_length=40, description="The tag's name.")]


class BulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level: Literal["document", "page"] = Field("document", description="Tag the matching documents, or pages.")
    action: Literal["add", "remove"] = "add"
    expected_count: int | None = Field(
        None, ge=0, description="The number of documents (or pages) the user confirmed; required unless dry_run."
    )
    dry_run: bool = Field(False, description="Only count what the change would touch (the number to confirm).")
    collection: str | None = Field(None, max_length=40, description="The collection (id); needed with several.")


class BulkOut(BaseModel):
    tag: str
    collection_id: str
    level: Literal["document", "page"]
    action: Literal["add", "remove"]
    count: int = Field(description="Documents (or pages) the search matched: all now have (or lack) the tag.")
    changed: int = Field(description="Of those, how many had (or lacked) it before.")
    indexed_pages: int = Field(description="Pages re-indexed with their new tags.")
    dry_run: bool = False


@router.post("/tags/{tag_name}/bulk", summary="Tag (or untag) every document or page a search matches (audited)")
def bulk_tag(
    tag_name: TagPath,
    body: BulkIn,
    request: Request,
    services: ServicesDep,
    filters: FiltersDep,
    principal: PrincipalDep,
) -> BulkOut:
    # The path names the tag `tag_name`: `tag` is a search filter of the query string, as on /search.
    tag = tag_name
    # A change re-indexes a whole search's pages (the bulk limit); a dry run only counts (a search).
    request.app.state.guard.charge(principal, "search" if body.dry_run else "bulk", 1)
    started = time.perf_counter()
    catalog = services.catalog
    collection_id = chosen_collection(readable_collections(catalog, principal), body.collection, "the bulk change")
    require_tag(catalog.tags, collection_id, tag)
    # The tag is one collection's: the search runs in that collection only.
    search = dataclasses.replace(filters, collection_ids=(collection_id,)).search_request(facets=())
    pages = sorted({(h.document_id, h.page_number) for h in services.search.iter_hits(search)})
    documents = sorted({d for d, _ in pages})
    count = len(documents) if body.level == "document" else len(pages)
    if body.dry_run:
        # The exact number to show in the confirmation (a search's document total is an estimate past
        # a few thousand documents on tantivy, so the UI asks here).
        return BulkOut(
            tag=tag,
            collection_id=collection_id,
            level=body.level,
            action=body.action,
            count=count,
            changed=0,
            indexed_pages=0,
            dry_run=True,
        )
    if body.expected_count is None:
        raise Problem(INVALID_REQUEST, "expected_count: give the count the user confirmed (or dry_run: true)")
    if count != body.expected_count:
        raise Problem(
            CONFLICT,
            f"the search now matches {count} {body.level}s, not the {body.expected_count} confirmed: nothing was "
            "changed; confirm the new count",
            count=count,
        )
    store, add = catalog.tags, body.action == "add"
    refresh: dict[str, set[int] | None]
    if body.level == "document":
        had = store.documents_with(collection_id, tag, documents)
        changing = [d for d in documents if (d not in had) == add]
        if add:
            store.tag_documents(collection_id, tag, changing, principal.name)
        else:
            store.untag_documents(collection_id, tag, changing)
        refresh = {d: None for d in changing}
    else:
        had_pages = store.pages_with(collection_id, tag, pages)
        changing_pages = [p for p in pages if (p not in had_pages) == add]
        if add:
            store.tag_pages(collection_id, tag, changing_pages, principal.name)
        else:
            store.untag_pages(collection_id, tag, changing_pages)
        refresh = {}
        for d, n in changing_pages:
            numbers = refresh.setdefault(d, set())
            assert numbers is not None
            numbers.add(n)
        changing = [f"{d}:{n}" for d, n in changing_pages]
    catalogued = time.perf_counter()
    indexed = marks_indexer(request).refresh_marks(refresh) if refresh else 0
    done = time.perf_counter()
    log.info(
        "tags_bulk",
        tag=tag,
        level=body.level,
        action=body.action,
        count=count,
        changed=len(changing),
        indexed_pages=indexed,
        catalog_seconds=round(catalogued - started, 3),
        index_seconds=round(done - catalogued, 3),
    )
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(
            principal,
            "tag.bulk",
            tag,
            collection=collection_id,
            level=body.level,
            change=body.action,
            search=filters.as_params(),
            count=count,
            changed=len(changing),
        )
    return BulkOut(
        tag=tag,
        collection_id=collection_id,
        level=body.level,
        action=body.action,
        count=count,
        changed=len(changing),
        indexed_pages=indexed,
    )
