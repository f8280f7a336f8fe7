"""An admin's corrections of detected entities: rename, retype, hide, merge, and undo. Each is audited.

A correction belongs to one collection (catalog/corrections.py): an admin of several collections names
it (`collection`), else it goes to the one collection of theirs whose documents mention the entity.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.audit import auditor_of
from api.deps import Principal, PrincipalDep, ServicesDep
from api.problem_types import COLLECTION_REQUIRED, FORBIDDEN, INVALID_CORRECTION, NOT_FOUND
from api.problems import Problem
from catalog.corrections import Correction
from catalog.errors import NotFound
from catalog.sql import SqlCatalog
from search.records import ENTITY_FIELDS

router = APIRouter(prefix="/entities", tags=["entities"])

# A retype names one of the registry's entity types (search.fields), checked like a Literal.
CorrectedType = Annotated[
    str,
    Field(pattern=f"^({'|'.join(ENTITY_FIELDS)})$", json_schema_extra={"enum": list(ENTITY_FIELDS)}),
]
CollectionName = Annotated[str | None, Field(max_length=200, description="The collection the decision is for.")]


class CorrectionIn(BaseModel):
    collection: CollectionName = None
    name: str | None = Field(None, min_length=1, max_length=300, examples=["Axon Enterprise"])
    type: CorrectedType | None = Field(None, examples=["vendor"])
    hidden: bool | None = None


class MergeIn(BaseModel):
    collection: CollectionName = None
    into: str = Field(min_length=1, max_length=300, examples=["vendor:axon"])


class CorrectionOut(BaseModel):
    entity_id: str
    collection_id: str
    name: str | None
    type: str | None
    merged_into: str | None
    hidden: bool
    updated_at: str
    updated_by: str


def _out(c: Correction) -> CorrectionOut:
    return CorrectionOut(
        entity_id=c.entity_id,
        collection_id=c.collection_id,
        name=c.name,
        type=c.type,
        merged_into=c.merged_into,
        hidden=c.hidden,
        updated_at=c.updated_at,
        updated_by=c.updated_by,
    )


def _require_admin(principal: Principal) -> None:
    if principal.role != "admin":
        raise Problem(FORBIDDEN, "only an admin corrects entities")


def _collection_for(catalog: SqlCatalog, principal: Principal, entity_id: str, name: str | None) -> str:
    """The collection the decision is for; the entity must be mentioned there (else: no such entity)."""
    visible = [c for c in catalog.productions.list_collections() if principal.can_see(c.id)]
    if name is not None:
        chosen = [c.id for c in visible if c.name == name]
        if not chosen:
            raise NotFound(f"no collection named {name!r}")
    else:
        chosen = [c.id for c in visible if catalog.entity_stats.entity_totals([entity_id], (c.id,))[0] > 0]
        if len(chosen) > 1:
            raise Problem(
                COLLECTION_REQUIRED,
                "the entity is mentioned in several of your collections: say which one the correction is for",
            )
    catalog.entities.get_entity(entity_id)
    if not chosen or catalog.entity_stats.entity_totals([entity_id], (chosen[0],))[0] == 0:
        raise NotFound(f"no entity {entity_id}")
    return chosen[0]


@router.patch("/{entity_id}", summary="Rename, retype or hide an entity (admin; per collection, audited)")
def correct_entity(
    entity_id: str, body: CorrectionIn, request: Request, services: ServicesDep, principal: PrincipalDep
) -> CorrectionOut:
    _require_admin(principal)
    if body.name is None and body.type is None and body.hidden is None:
        raise Problem(INVALID_CORRECTION, "give a name, a type or hidden")
    catalog = services.catalog
    collection_id = _collection_for(catalog, principal, entity_id, body.collection)
    store = catalog.corrections
    before = store.get(collection_id, entity_id) or Correction(collection_id, entity_id)
    name = body.name.strip() if body.name is not None else before.name
    if name == "":
        raise Problem(INVALID_CORRECTION, "a name may not be blank")
    saved = store.save(
        Correction(
            collection_id,
            entity_id,
            name=name,
            type=body.type or before.type,
            merged_into=before.merged_into,
            hidden=before.hidden if body.hidden is None else body.hidden,
            updated_by=principal.name,
        )
    )
    _audit(request, principal, "entity.correct", saved)
    return _out(saved)


@router.post("/{entity_id}/merge", summary="Count an entity's mentions under another (admin; audited)")
def merge_entity(
    entity_id: str, body: MergeIn, request: Request, services: ServicesDep, principal: PrincipalDep
) -> CorrectionOut:
    _require_admin(principal)
    catalog = services.catalog
    collection_id = _collection_for(catalog, principal, entity_id, body.collection)
    if body.into == entity_id:
        raise Problem(INVALID_CORRECTION, "an entity cannot be merged into itself")
    try:
        catalog.entities.get_entity(body.into)
    except NotFound:
        raise Problem(NOT_FOUND, f"no entity {body.into}") from None
    if catalog.entity_stats.entity_totals([body.into], (collection_id,))[0] == 0:
        raise Problem(NOT_FOUND, f"no entity {body.into}")
    store = catalog.corrections
    before = store.get(collection_id, entity_id) or Correction(collection_id, entity_id)
    saved = store.save(
        Correction(
            collection_id,
            entity_id,
            name=before.name,
            type=before.type,
            merged_into=body.into,
            hidden=before.hidden,
            updated_by=principal.name,
        )
    )
    _audit(request, principal, "entity.merge", saved)
    return _out(saved)


@router.delete("/{entity_id}/correction", status_code=204, summary="Undo a correction (admin; audited)")
def undo_correction(
    entity_id: str,
    request: Request,
    services: ServicesDep,
    principal: PrincipalDep,
    collection: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    _require_admin(principal)
    catalog = services.catalog
    collection_id = _collection_for(catalog, principal, entity_id, collection)
    store = catalog.corrections
    before = store.get(collection_id, entity_id)
    if before is None or not store.remove(collection_id, entity_id):
        raise NotFound(f"no correction of {entity_id}")
    _audit(request, principal, "entity.uncorrect", before)
    return Response(status_code=204)


def _audit(request: Request, principal: Principal, action: str, c: Correction) -> None:
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(
            principal,
            action,
            c.entity_id,
            collection=c.collection_id,
            **dict(zip(("name", "type", "merged_into", "hidden"), c.decision, strict=True)),
        )
