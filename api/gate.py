"""Who is asking, settled before a request body is read.

FastAPI reads (and spools to disk) a request's body before it runs any dependency, so an anonymous client
could push gigabytes into the temporary directory before being told it is not signed in. This ASGI
middleware runs first for every state-changing /api/v1 request: it authenticates, checks the role (and
CSRF, rate limits, open-mode origin), and for an upload that the target production is one the principal
may see, all from the headers and the path alone; only then is the request passed on and its body read.
The principal it resolved is kept on the request, so the route's dependency does not resolve it twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import ANONYMOUS_POSTS, Guard
from api.deps import GuardedServices, Principal
from api.routes.productions import visible_production

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

BodyCheck = Callable[[GuardedServices, Principal, Mapping[str, str]], None]


def _upload_target(services: GuardedServices, principal: Principal, params: Mapping[str, str]) -> None:
    visible_production(services.catalog.productions, principal, params["production_id"])


# Paths (after the API prefix) whose target is checked before the body: {name} matches one path segment.
BODY_CHECKS: dict[str, BodyCheck] = {"/productions/{production_id}/files": _upload_target}


def _compile(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")


@dataclass(frozen=True)
class _Check:
    pattern: re.Pattern[str]
    check: BodyCheck


CHECKS = tuple(_Check(_compile(template), check) for template, check in BODY_CHECKS.items())


class AuthBeforeBodyMiddleware:
    """Refuses a state-changing API request that may not be made before one byte of its body is read."""

    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._gated(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)  # no receive: nothing here can read the body
        try:
            await run_in_threadpool(self._admit, request)
        except Exception as exc:  # answered by the app's own handler, or re-raised
            response = await _answer(request, exc)
            if response is None:
                raise
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _gated(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"].upper() in SAFE_METHODS:
            return False
        path: str = scope["path"]
        if not path.startswith(self.api_prefix + "/"):
            return False
        return path[len(self.api_prefix) :] not in ANONYMOUS_POSTS

    def _admit(self, request: Request) -> None:
        guard: Guard = request.app.state.guard
        principal = guard.principal(request)
        api_path = request.url.path[len(self.api_prefix) :]
        services: GuardedServices = request.app.state.services
        for entry in CHECKS:
            match = entry.pattern.match(api_path)
            if match is not None:
                entry.check(services, principal, match.groupdict())


async def _answer(request: Request, exc: Exception) -> Response | None:
    """The app's own answer to `exc` (problem+json from api.problems / api.app), if it has a handler."""
    handlers = request.app.exception_handlers
    for kind in type(exc).__mro__:
        handler = handlers.get(kind)
        if handler is not None:
            response: Response = await handler(request, exc)
            return response
    return None
