"""Request dependencies: the services built at start-up, and who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from api.config import ApiSettings
from api.guarded_search import GuardedSearch
from api.request_log import bind_principal
from catalog.blobstore import BlobStore
from catalog.sql import SqlCatalog
from search.backend import SearchBackend


class ApiServices(Protocol):
    """What the API needs from the composition root (foia.wiring.Services satisfies it)."""

    @property
    def catalog(self) -> SqlCatalog: ...

    @property
    def blobs(self) -> BlobStore: ...

    @property
    def search(self) -> SearchBackend: ...


@dataclass(frozen=True)
class GuardedServices:
    """What the routes see: the composition root's stores, with the search behind its deadline."""

    catalog: SqlCatalog
    blobs: BlobStore
    search: GuardedSearch


@dataclass(frozen=True)
class Principal:
    """Who is asking, and which collections they may see (None: every collection)."""

    name: str
    role: str
    collection_ids: frozenset[str] | None

    def can_see(self, collection_id: str) -> bool:
        return self.collection_ids is None or collection_id in self.collection_ids


def get_services(request: Request) -> GuardedServices:
    services: GuardedServices = request.app.state.services
    return services


def get_config(request: Request) -> ApiSettings:
    config: ApiSettings = request.app.state.config
    return config


async def get_principal(request: Request) -> Principal:
    # api.auth.Guard, installed by create_app: token or session cookie, role, rate limit, audit. It reads
    # the catalog, so it runs in a thread; the principal is bound to the log context here, in the request's
    # own task, so that every later line of this request carries it.
    resolver = getattr(request.app.state, "principal_resolver", None)
    principal: Principal
    if resolver is None:
        principal = request.app.state.default_principal
    else:
        principal = await run_in_threadpool(resolver, request)
    bind_principal(principal.name, principal.role, principal.collection_ids)
    return principal


ServicesDep = Annotated[GuardedServices, Depends(get_services)]
ConfigDep = Annotated[ApiSettings, Depends(get_config)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
