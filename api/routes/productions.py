"""Productions: create, list, upload files in bulk, watch progress, retry failures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile, status
from sqlalchemy import Engine

from api.audit import auditor_of
from api.cursors import CursorParam, CursorsDep, page_after
from api.deps import ConfigDep, Principal, PrincipalDep, ServicesDep
from api.problem_types import FORBIDDEN, NOT_FOUND, TOO_LARGE
from api.problems import Problem
from api.schemas import (
    CollectionOut,
    FileCountsOut,
    FileList,
    FileOut,
    FileStatusName,
    PageCountsOut,
    PageWarningOut,
    ProductionCreate,
    ProductionList,
    ProductionOut,
    ProgressOut,
    RetryResult,
    UploadResult,
)
from api.upload_disk_full import audit_unless_disk_full, disk_full_problem
from catalog.intake import Intake
from catalog.models import FileStatus, Production, ProductionFile, Progress
from catalog.protocols import ProductionReader
from catalog.retries import RetryCounts, RetryFacts, retry_counts, retry_facts

router = APIRouter(prefix="/productions", tags=["productions"])


def progress_out(progress: Progress, retry: RetryCounts) -> ProgressOut:
    f, p = progress.files, progress.pages
    return ProgressOut(
        files=FileCountsOut(
            total=f.total,
            pending=f.pending,
            processing=f.processing,
            done=f.done,
            failed=f.failed,
            duplicate=f.duplicate,
        ),
        pages=PageCountsOut(total=p.total, text_layer=p.text_layer, ocr=p.ocr, with_warnings=retry.warned_pages),
        finished=progress.finished,
        retryable=retry.files,
    )


def production_progress(productions: ProductionReader, retries: Engine, production_id: str) -> ProgressOut:
    """The production's counts, and what a retry would queue (catalog/retries.py, read from `retries`)."""
    return progress_out(productions.progress(production_id), retry_counts(retries, production_id))


def production_out(
    productions: ProductionReader, production: Production, collection_names: dict[str, str], retries: Engine
) -> ProductionOut:
    return ProductionOut(
        id=production.id,
        name=production.name,
        collection=CollectionOut(id=production.collection_id, name=collection_names.get(production.collection_id, "")),
        created_at=production.created_at,
        progress=production_progress(productions, retries, production.id),
    )


def file_out(record: ProductionFile, facts: RetryFacts | None = None) -> FileOut:
    warnings = facts.warnings if facts and record.status in (FileStatus.DONE, FileStatus.DUPLICATE) else ()
    failed_retryable = record.status is FileStatus.FAILED and record.document_id is not None
    return FileOut(
        id=record.id,
        name=record.original_name,
        status=record.status.value,
        error=record.error,
        document_id=record.document_id,
        added_at=record.added_at,
        retryable=bool(warnings) or (failed_retryable and facts is not None and facts.failure_retryable),
        warnings=[PageWarningOut.of(w) for w in warnings],
    )


def _names(productions: ProductionReader) -> dict[str, str]:
    return {c.id: c.name for c in productions.list_collections()}


def visible_production(productions: ProductionReader, principal: Principal, production_id: str) -> Production:
    production = productions.get_production(production_id)
    if not principal.can_see(production.collection_id):
        # The same answer as for a production that does not exist: never confirm what one may not see.
        raise Problem(NOT_FOUND, f"no production {production_id}")
    return production


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a production")
def create_production(
    body: ProductionCreate, request: Request, services: ServicesDep, principal: PrincipalDep
) -> ProductionOut:
    catalog = services.catalog
    if principal.collection_ids is not None:
        # A scoped token may only add to its own collections, and must not create new ones.
        known = {c.name: c.id for c in catalog.productions.list_collections()}
        if known.get(body.collection) not in principal.collection_ids:
            raise Problem(FORBIDDEN, f"no access to collection {body.collection!r}")
    collection = catalog.productions.ensure_collection(body.collection)
    production = catalog.productions.create_production(collection.id, body.name)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "production.create", production.id, name=body.name, collection=collection.id)
    return production_out(catalog.productions, production, _names(catalog.productions), catalog.db.reader)


@router.get("", summary="List productions with their progress")
def list_productions(
    services: ServicesDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: CursorParam = None,
) -> ProductionList:
    catalog = services.catalog
    scope = sorted(principal.collection_ids) if principal.collection_ids is not None else None
    listed = cursors.of("productions")
    after = listed.open(cursor, (str,))
    page, last = page_after(catalog.productions.list_productions(scope), lambda p: (p.id,), after, limit)
    names = _names(catalog.productions)
    return ProductionList(
        items=[production_out(catalog.productions, p, names, catalog.db.reader) for p in page],
        next_cursor=listed.issue(last),
    )


@router.get("/{production_id}", summary="A production and its progress (poll this while ingesting)")
def get_production(production_id: str, services: ServicesDep, principal: PrincipalDep) -> ProductionOut:
    production = visible_production(services.catalog.productions, principal, production_id)
    catalog = services.catalog
    return production_out(catalog.productions, production, _names(catalog.productions), catalog.db.reader)


@router.post(
    "/{production_id}/files",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload many PDFs and zip archives in one multipart request",
    description=(
        "Each part is streamed to disk, stored once by its sha256 and queued. A file that cannot be taken "
        "(not a PDF, empty, an unsafe archive member, over a limit) is listed under `rejected` with its reason; "
        "the rest of the upload goes on. Every new file answers `pending`, whatever other matters hold; "
        "content already in another production of this collection ends as `duplicate`, and content already "
        "in this production answers with the file recorded before (no second row)."
    ),
)
def upload_files(
    production_id: str,
    request: Request,
    files: Annotated[list[UploadFile], File(description="PDF files and zip archives")],
    services: ServicesDep,
    config: ConfigDep,
    principal: PrincipalDep,
) -> UploadResult:
    production = visible_production(services.catalog.productions, principal, production_id)
    declared = int(request.headers.get("content-length") or 0)
    if declared > config.max_upload_bytes:
        raise Problem(TOO_LARGE, f"at most {config.max_upload_bytes} bytes per request")
    intake = Intake(services.catalog, services.blobs, production.id, config.limits, config.spool_dir)
    for upload in files:
        name = (upload.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
        intake.add_stream(name, upload.file)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        with audit_unless_disk_full():
            auditor.record(
                principal,
                "production.upload",
                production.id,
                accepted=[{"name": f.original_name, "document_id": f.document_id} for f in intake.report.accepted],
                rejected=[{"name": f.original_name, "reason": f.error} for f in intake.report.rejected],
            )
    if intake.report.not_stored:
        raise disk_full_problem(intake.report)
    return UploadResult(
        accepted=[file_out(f) for f in intake.report.accepted],
        rejected=[file_out(f) for f in intake.report.rejected],
        progress=production_progress(services.catalog.productions, services.catalog.db.reader, production.id),
    )


@router.get("/{production_id}/files", summary="Files of a production, optionally by status (failed ones with reasons)")
def list_files(
    production_id: str,
    services: ServicesDep,
    principal: PrincipalDep,
    cursors: CursorsDep,
    status_filter: Annotated[FileStatusName | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: CursorParam = None,
) -> FileList:
    production = visible_production(services.catalog.productions, principal, production_id)
    wanted = FileStatus(status_filter) if status_filter else None
    listed = cursors.of("files", production.id, status_filter)
    after = listed.open(cursor, (str,))
    rows = services.catalog.productions.list_files(
        production.id, wanted, limit=limit + 1, after=after[0] if after else None
    )
    page = rows[:limit]
    last = (page[-1].id,) if len(rows) > limit else None
    facts = retry_facts(services.catalog.db.reader, [f.document_id for f in page if f.document_id])
    return FileList(
        items=[file_out(f, facts.get(f.document_id) if f.document_id else None) for f in page],
        next_cursor=listed.issue(last),
    )


@router.post(
    "/{production_id}/retry",
    summary="Queue the production's retryable files again (failures not the file's own, pages whose OCR stopped)",
)
def retry_failed(production_id: str, request: Request, services: ServicesDep, principal: PrincipalDep) -> RetryResult:
    production = visible_production(services.catalog.productions, principal, production_id)
    queued = services.catalog.jobs.retry_failed(production.id)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "production.retry", production.id, queued=queued)
    return RetryResult(queued=queued)
