"""Transport hardening: security headers, request body limits, which rate limit a request counts against.

The middlewares are plain ASGI so that they see every response (including errors and static files)
and can refuse an oversized body while it streams in, before anything is spooled to disk.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problem_types import TOO_LARGE, problem_body

# No inline script anywhere; the UI is same-origin modules. frame-ancestors stops clickjacking.
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The Swagger UI page (api/docs_page.py) loads its assets from this server but starts with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


def security_headers(path: str, docs_path: str) -> list[tuple[bytes, bytes]]:
    csp = DOCS_CSP if path == docs_path else UI_CSP
    return [*COMMON_HEADERS, (b"content-security-policy", csp.encode())]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, docs_path: str) -> None:
        self.app = app
        self.docs_path = docs_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"], self.docs_path)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses a request body over `max_bytes`: at once by its Content-Length, or as soon as the
    streamed bytes pass the limit (chunked uploads declare nothing), answering 413 problem+json."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _send_413(send, self.max_bytes)
            return
        seen = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                # The framework may have turned BodyTooLarge into its own error page (FastAPI answers 400
                # for any failure while parsing a form); the client is owed a 413 instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _send_413(send, self.max_bytes)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send, self.max_bytes)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_413(send: Send, max_bytes: int) -> None:
    body = json.dumps(problem_body(TOO_LARGE, f"at most {max_bytes} bytes per request")).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/problem+json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def rate_kind(path: str, api_prefix: str) -> str | None:
    """Which limit a request counts against: exports (and the Vaughn draft, a whole production's
    withholdings, and a watchlist screening, every term over a production) are dearer than searches;
    entity lists, timelines, histograms and screening reports count as searches.
    A batch is not counted here: its route charges one unit per query once it knows how many."""
    if not path.startswith(f"{api_prefix}/"):
        return None
    api_path = path[len(api_prefix) :]
    if api_path == "/search/batch":
        return None
    if api_path == "/search/export" or (api_path.startswith("/productions/") and api_path.endswith("/vaughn")):
        return "export"
    if api_path.startswith("/tags/") and api_path.endswith("/bulk"):
        return None  # its route charges: a change is "bulk", a dry run (a count) a "search"
    if api_path.startswith("/watchlists/"):
        # Screening a list is a pass over a whole production (an export's cost); its report is a read.
        if api_path.endswith("/screen"):
            return "export"
        if api_path.endswith("/report"):
            return "search"
    if api_path.startswith("/search") or api_path == "/entities":
        return "search"
    if api_path.startswith("/entities/") and api_path.endswith("/timeline"):
        return "search"
    return None
