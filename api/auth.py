"""Who is asking: a bearer token or a session cookie made from one, resolved to a Principal.

Open mode (no authentication) exists only for the loopback quick start: it is allowed when the server
was started on a loopback address and no token has ever been created. As soon as one token has been
created (the catalog keeps that, for good: revoking every token locks everyone out, it never re-opens),
or on any other address, every /api/v1 request must carry a token or a live session cookie. Even open,
the server answers only loopback Host names, and no cross-site state-changing request (api.openmode).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from starlette.requests import Request
from starlette.responses import Response

from api.audit import Auditor
from api.deps import Principal
from api.openmode import cross_site_refusal, host_refusal
from api.problem_types import FORBIDDEN, RATE_LIMITED, UNAUTHORIZED
from api.problems import Problem
from api.ratelimit import RateLimiter
from api.security import rate_kind
from catalog.sessions import SessionStore
from catalog.tokens import TokenRecord, TokenStore

SESSION_COOKIE = "foia_session"
CSRF_HEADER = "X-CSRF-Token"
OPEN_PRINCIPAL = Principal(name="anonymous", role="admin", collection_ids=None)
# How long a token lookup (and "is sign-in on?") is trusted: a revoked token stops working within this.
# Sessions are not cached: signing out ends one at once, in every API process.
CACHE_SECONDS = 5.0
LOCKED = (
    "sign-in is on and every token has been revoked, so nobody can sign in: "
    "an administrator creates a new one with `foia token create`"
)


class AuthError(Problem):
    """Not signed in (401) or signed in without the right (403). `forget_session`: the request's session
    cookie is dead, and the answer tells the browser to drop it."""

    def __init__(self, status: Literal[401, 403], detail: str, *, forget_session: bool = False) -> None:
        super().__init__(UNAUTHORIZED if status == 401 else FORBIDDEN, detail)
        self.forget_session = forget_session

    def decorate(self, response: Response) -> None:
        if self.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="foia"'
        if self.forget_session:
            response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


@dataclass(frozen=True)
class Session:
    token_id: str
    expires: float
    csrf: str
    session_id: str  # its sha256 is the server-side row (catalog.sessions); gone once signed out


def principal_of(record: TokenRecord) -> Principal:
    return Principal(name=f"token:{record.id}:{record.name}", role=record.role, collection_ids=record.collection_ids)


def sign_session(secret: bytes, session: Session) -> str:
    payload = base64.urlsafe_b64encode(
        json.dumps(
            {"t": session.token_id, "e": int(session.expires), "c": session.csrf, "s": session.session_id}
        ).encode()
    ).decode()
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{mac}"


def read_session(secret: bytes, cookie: str, now: float) -> Session | None:
    """The session in a cookie, or None when it is forged, malformed or expired."""
    payload, _, mac = cookie.partition(".")
    expected = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    if not mac or not hmac.compare_digest(mac, expected):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
        session = Session(
            token_id=str(data["t"]), expires=float(data["e"]), csrf=str(data["c"]), session_id=str(data["s"])
        )
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > now else None


@dataclass
class Authenticator:
    tokens: TokenStore | None
    open_allowed: bool  # started on loopback: may run open while no token has ever been created
    sessions: SessionStore | None = None
    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    session_seconds: float = 12 * 3600
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _by_secret: dict[str, tuple[float, TokenRecord | None]] = field(default_factory=dict)
    _by_id: dict[str, tuple[float, TokenRecord | None]] = field(default_factory=dict)
    _any: tuple[float, bool] | None = None
    _sign_in_on: bool = False  # once seen on, it is on for good: never asked again
    _checked: float | None = None

    def is_open(self) -> bool:
        """True when requests without credentials are let in (loopback quick start, no token ever made)."""
        if not self.open_allowed or self._sign_in_on:
            return False
        if self.tokens is None:
            return True
        now = self.clock()
        if self._checked is None or now - self._checked > CACHE_SECONDS:
            on = self.tokens.sign_in_on()
            with self._lock:
                self._sign_in_on, self._checked = self._sign_in_on or on, now
        return not self._sign_in_on

    def not_signed_in(self, detail: str, *, forget_session: bool = False) -> AuthError:
        """The 401 for a request without valid credentials; it says so when nobody can sign in at all."""
        if self.tokens is not None and not self._any_active():
            detail = LOCKED
        return AuthError(401, detail, forget_session=forget_session)

    def _any_active(self) -> bool:
        now = self.clock()
        with self._lock:
            cached = self._any
        if cached is None or now - cached[0] > CACHE_SECONDS:
            cached = (now, self.tokens.any_active() if self.tokens else False)
            with self._lock:
                self._any = cached
        return cached[1]

    def by_secret(self, secret: str) -> TokenRecord | None:
        if self.tokens is None:
            return None
        key = hashlib.sha256(secret.encode()).hexdigest()  # never keep the secret itself in memory longer
        return self._cached(self._by_secret, key, lambda: self.tokens.lookup(secret) if self.tokens else None)

    def by_id(self, token_id: str) -> TokenRecord | None:
        def load() -> TokenRecord | None:
            if self.tokens is None:
                return None
            try:
                record = self.tokens.get(token_id)
            except LookupError:
                return None
            return None if record.revoked_at else record

        return self._cached(self._by_id, token_id, load)

    def _cached(
        self, cache: dict[str, tuple[float, TokenRecord | None]], key: str, load: Callable[[], TokenRecord | None]
    ) -> TokenRecord | None:
        now = self.clock()
        with self._lock:
            hit = cache.get(key)
        if hit is not None and now - hit[0] <= CACHE_SECONDS:
            return hit[1]
        record = load()
        with self._lock:
            if len(cache) > 10_000:  # bounded: a flood of wrong tokens must not grow memory
                cache.clear()
            cache[key] = (now, record)
        return record

    def new_session(self, record: TokenRecord) -> tuple[str, Session]:
        if self.sessions is None:
            raise RuntimeError("an Authenticator without a session store cannot open sessions")
        now = self.wall()
        expires = now + self.session_seconds
        session_id = self.sessions.open(record.id, expires, now)
        session = Session(record.id, expires, secrets.token_urlsafe(24), session_id)
        return sign_session(self.session_secret, session), session

    def live_session(self, cookie: str) -> Session | None:
        """The session of a cookie that is genuine, unexpired and not signed out of; else None."""
        now = self.wall()
        session = read_session(self.session_secret, cookie, now)
        if session is None or self.sessions is None:
            return None
        return session if self.sessions.is_live(session.session_id, session.token_id, now) else None

    def end_session(self, cookie: str) -> Session | None:
        """Sign-out: the cookie's session stops working everywhere. The session ended, if it was live."""
        session = read_session(self.session_secret, cookie, self.wall())
        if session is None or self.sessions is None:
            return None
        return session if self.sessions.end(session.session_id) else None

    def authenticate(
        self, authorization: str | None, cookie: str | None, csrf_header: str | None, unsafe_method: bool
    ) -> tuple[Principal, TokenRecord | None]:
        """The principal of a request; AuthError(401) when it has no valid credentials and may not run open."""
        if authorization:
            scheme, _, secret = authorization.partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise AuthError(401, "use 'Authorization: Bearer <token>'")
            record = self.by_secret(secret.strip())
            if record is None:
                raise self.not_signed_in("unknown or revoked token")
            return principal_of(record), record
        if cookie:
            session = self.live_session(cookie)
            record = self.by_id(session.token_id) if session else None
            if session is None or record is None:
                # Never open instead: a dead cookie is a sign-in that ended, not an anonymous visit.
                raise self.not_signed_in("the session has ended or expired; sign in again", forget_session=True)
            # A cookie is sent by the browser on its own, so a state-changing request must also prove it
            # comes from our page: only our script can read the CSRF token and put it in a header.
            if unsafe_method and not (csrf_header and hmac.compare_digest(csrf_header, session.csrf)):
                raise AuthError(403, f"missing or wrong {CSRF_HEADER} header")
            return principal_of(record), record
        if self.is_open():
            return OPEN_PRINCIPAL, None
        raise self.not_signed_in("sign in with an API token")


# Requests anyone may send without being signed in: signing in, and out.
ANONYMOUS_POSTS = ("/session", "/session/sign-out")
# State-changing requests that only read: a reader may send them.
READ_ONLY_POSTS = ("/search/batch", *ANONYMOUS_POSTS)
UPLOADER_POSTS = ("/productions",)
# The reviewer's work product (notes, tags, ...): every role that reads a collection writes it there; the
# routes check the collection and the author. One pattern per route family, matched against the whole path.
WORKSPACE_PATHS = (
    re.compile(r"/documents/[^/]+/pages/[0-9]+/notes"),
    re.compile(r"/notes/[^/]+"),
    re.compile(r"/tags(/[^/]+/bulk)?"),
    re.compile(r"/documents/[^/]+(/pages/[0-9]+)?/tags/[^/]+"),
    re.compile(r"/saved-searches(/[^/]+)?"),
    re.compile(r"/alerts/read"),
    re.compile(r"/watchlists(/[^/]+(/screen)?)?"),
)


def role_allows(role: str, method: str, api_path: str) -> bool:
    """May `role` send `method` to `api_path` (the path after /api/v1)? Pure, so it is tested as a table."""
    if role == "admin" or method in ("GET", "HEAD", "OPTIONS"):
        return True
    if method == "POST" and api_path in READ_ONLY_POSTS:
        return True
    if any(p.fullmatch(api_path) for p in WORKSPACE_PATHS):
        return True
    if role == "uploader" and method == "POST":
        return api_path.startswith(UPLOADER_POSTS)
    return False


@dataclass
class Guard:
    """Resolves the principal of each /api/v1 request: authenticate, check the role, rate-limit, audit."""

    authenticator: Authenticator
    limiter: RateLimiter
    auditor: Auditor | None
    api_prefix: str

    def principal(self, request: Request) -> Principal:
        resolved = getattr(request.state, PRINCIPAL_STATE, None)
        if isinstance(resolved, Principal):  # resolved before the body was read (api.gate): once per request
            return resolved
        method = request.method.upper()
        principal, record = self.authenticator.authenticate(
            request.headers.get("authorization"),
            request.cookies.get(SESSION_COOKIE),
            request.headers.get(CSRF_HEADER),
            unsafe_method=method not in ("GET", "HEAD", "OPTIONS"),
        )
        if record is None:
            _check_open_request(request, method)
        path = request.url.path
        api_path = path[len(self.api_prefix) :] if path.startswith(self.api_prefix) else path
        if not role_allows(principal.role, method, api_path):
            raise AuthError(403, f"a {principal.role} token may not {method} {api_path}")
        kind = rate_kind(path, self.api_prefix)
        if kind is not None:
            self.charge(principal, kind, 1)
        if record is not None and self.auditor is not None:
            self.auditor.token_used(principal, method, path)
        setattr(request.state, PRINCIPAL_STATE, principal)
        return principal

    def charge(self, principal: Principal, kind: str, cost: int) -> None:
        """Spend `cost` units of `principal`'s `kind` bucket at once, or raise RateLimited spending none."""
        wait = self.limiter.check(principal.name, kind, cost)
        if wait > 0:
            raise RateLimited(wait)


PRINCIPAL_STATE = "foia_principal"


def _check_open_request(request: Request, method: str) -> None:
    """Open mode answers this machine's own pages only (api.openmode says why)."""
    server = request.scope.get("server")
    served_port = int(server[1]) if server and server[1] is not None else None
    host = request.headers.get("host")
    refusal = host_refusal(host, request.url.scheme, served_port) or cross_site_refusal(
        method, request.headers.get("origin"), request.headers.get("sec-fetch-site"), host, request.url.scheme
    )
    if refusal is not None:
        raise AuthError(403, refusal)


class RateLimited(Problem):
    def __init__(self, retry_after: float) -> None:
        super().__init__(RATE_LIMITED, f"rate limit reached: retry after {max(1, math.ceil(retry_after))} s")
        self.retry_after = retry_after

    def decorate(self, response: Response) -> None:
        response.headers["Retry-After"] = str(max(1, math.ceil(self.retry_after)))


def session_key_of(configured: str | None, data_dir: Path) -> bytes:
    """The key signing session cookies: `configured` (FOIA_SESSION_SECRET), else a random key kept in the
    data dir (so every API process on this data dir, and a restart, accept the same cookies)."""
    if configured is not None:
        return hashlib.sha256(configured.encode()).digest()
    path = data_dir / "session.key"
    try:
        return bytes.fromhex(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    # Several API processes start at once: each writes its own candidate, the first link wins, and every
    # process (the winner too) uses what the file holds.
    candidate = path.with_name(f"session.key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_bytes(32).hex())
    try:
        os.link(candidate, path)
    except FileExistsError:
        pass
    finally:
        candidate.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text().strip())
