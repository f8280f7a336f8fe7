"""Every log line written while a request is answered carries its request id and, once known, who asked.

The request id is the client's X-Request-ID when it is a sane one (a proxy's or a client's own id, so
their logs and ours can be joined), else a fresh one; the answer carries it back either way. The principal
is bound where it is resolved (api.deps.get_principal): its name holds the token id and name, never the
secret. Both live in structlog's context variables for this request only.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
# Printable, no spaces or quotes, short: it goes into every log line and back into a response header.
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

log = structlog.get_logger(__name__)


def request_id_of(incoming: str | None) -> str:
    if incoming is not None and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def bind_principal(name: str, role: str, collection_ids: frozenset[str] | None) -> None:
    """Into the log context of the running request (call it from the request's own task, not a thread:
    a thread's context is a copy, dropped when it returns)."""
    collections = "*" if collection_ids is None else sorted(collection_ids)
    structlog.contextvars.bind_contextvars(principal=name, role=role, collections=collections)


class RequestLogMiddleware:
    """Binds the request id for the request's duration, returns it as X-Request-ID, and logs one line
    per answered request (method, path, status, milliseconds)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope.get("headers", []) if k == REQUEST_ID_HEADER), None)
        request_id = request_id_of(incoming.decode("latin-1") if incoming is not None else None)
        started = time.monotonic()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
                message = {**message, "headers": [*headers, (REQUEST_ID_HEADER, request_id.encode())]}
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round((time.monotonic() - started) * 1000, 1),
                )
                # The principal was bound inside this request's context: gone with it.
                structlog.contextvars.unbind_contextvars("principal", "role", "collections")
