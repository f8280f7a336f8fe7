"""Request dependencies: the services built at start-up, and who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request

from catalog.blobstore import BlobStore
from catalog.limits import Limits
from catalog.sql import SqlCatalog


class ApiServices(Protocol):
    """What the API needs from the composition root (foia.wiring.Services satisfies it)."""

    catalog: SqlCatalog
    blobs: BlobStore
    search: Any


@dataclass(frozen=True)
class ApiConfig:
    limits: Limits
    spool_dir: Any
    max_upload_bytes: int


@dataclass(frozen=True)
class Principal:
    """Who is asking, and which collections they may see (None: every collection)."""

    name: str
    role: str
    collection_ids: frozenset[str] | None

    def can_see(self, collection_id: str) -> bool:
        return self.collection_ids is None or collection_id in self.collection_ids


def get_services(request: Request) -> ApiServices:
    services: ApiServices = request.app.state.services
    return services


def get_config(request: Request) -> ApiConfig:
    config: ApiConfig = request.app.state.config
    return config


def get_principal(request: Request) -> Principal:
    # api.auth.Guard, installed by create_app: token or session cookie, role, rate limit, audit.
    resolver = getattr(request.app.state, "principal_resolver", None)
    if resolver is None:
        default: Principal = request.app.state.default_principal
        return default
    principal: Principal = resolver(request)
    return principal


ServicesDep = Annotated[ApiServices, Depends(get_services)]
ConfigDep = Annotated[ApiConfig, Depends(get_config)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
