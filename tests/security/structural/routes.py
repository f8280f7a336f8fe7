"""Every route the app answers, read from its router (not from a list kept by hand), as (METHOD, path)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

RouteKey = tuple[str, str]


def app_routes(app: FastAPI) -> set[RouteKey]:
    """(method, path template) of every route, API and UI alike, including those left out of the OpenAPI
    document; a mounted app (the UI's static files) counts as `GET <mount>/{path:path}`. HEAD is the GET
    route answering without a body, so it is not a route of its own."""
    found: set[RouteKey] = set()
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if isinstance(route, Mount):
            found.add(("GET", f"{route.path}/{{path:path}}"))
            continue
        path = context.path
        assert path is not None, f"a route without a path: {route!r}"
        for method in context.methods or {"GET"}:
            if method != "HEAD":
                found.add((method, path))
    return found


def openapi_routes(app: FastAPI) -> set[RouteKey]:
    return {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
