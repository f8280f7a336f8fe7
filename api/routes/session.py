"""Sign-in for the browser: an API token exchanged for an HttpOnly, SameSite=Strict session cookie.

The cookie lets <img> page images and downloads work without putting the token in URLs or scripts.
State-changing requests made with the cookie must carry the session's CSRF token in X-CSRF-Token
(only our own page can read it, from this endpoint's answer).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.audit import auditor_of
from api.auth import CSRF_HEADER, SESSION_COOKIE, Authenticator, AuthError, principal_of
from api.deps import PrincipalDep

# Anyone may sign in, so the body is read unauthenticated: a token fits in far less than this.
SIGN_IN_BODY_BYTES = 4096
router = APIRouter(prefix="/session", tags=["session"], max_body_size=SIGN_IN_BODY_BYTES)


class SignIn(BaseModel):
    token: str = Field(min_length=1, max_length=200, examples=["foia_3q2-…"])


class SessionOut(BaseModel):
    principal: str = Field(examples=["token:tok_0123456789abcdef:alice"])
    role: str = Field(examples=["reader"])
    collection_ids: list[str] | None = Field(
        description="Collections this session may see; null for every collection.", examples=[["col_1a2b3c4d5e6f7a8b"]]
    )
    csrf_token: str | None = Field(
        None, description=f"Send it as {CSRF_HEADER} on POST/PUT/PATCH/DELETE made with the cookie."
    )
    expires_at: dt.datetime | None = None


def _authenticator(request: Request) -> Authenticator:
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator


@router.post("", summary="Sign in with an API token: sets the session cookie and returns the CSRF token")
def sign_in(body: SignIn, request: Request, response: Response) -> SessionOut:
    authenticator = _authenticator(request)
    record = authenticator.by_secret(body.token.strip())
    if record is None:
        raise AuthError(401, "unknown or revoked token")
    cookie, session = authenticator.new_session(record)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(authenticator.session_seconds),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    principal = principal_of(record)
    auditor = auditor_of(request.app.state)
    if auditor is not None:
        auditor.record(principal, "session.sign_in", record.id)
    return SessionOut(
        principal=principal.name,
        role=principal.role,
        collection_ids=sorted(principal.collection_ids) if principal.collection_ids is not None else None,
        csrf_token=session.csrf,
        expires_at=dt.datetime.fromtimestamp(session.expires, dt.UTC),
    )


@router.get("", summary="Who this request is signed in as (and the session's CSRF token)")
def current(request: Request, principal: PrincipalDep) -> SessionOut:
    authenticator = _authenticator(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    session = authenticator.live_session(cookie) if cookie else None
    return SessionOut(
        principal=principal.name,
        role=principal.role,
        collection_ids=sorted(principal.collection_ids) if principal.collection_ids is not None else None,
        csrf_token=session.csrf if session else None,
        expires_at=dt.datetime.fromtimestamp(session.expires, dt.UTC) if session else None,
    )


@router.post("/sign-out", status_code=204, summary="End the session (on the server too) and forget its cookie")
def sign_out(request: Request, response: Response) -> Response:
    authenticator = _authenticator(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    # Ended on the server: a copy of the cookie (another tab, a stolen one) stops working with it.
    ended = authenticator.end_session(cookie) if cookie else None
    auditor = auditor_of(request.app.state)
    record = authenticator.by_id(ended.token_id) if ended else None
    if auditor is not None and record is not None:
        auditor.record(principal_of(record), "session.sign_out", record.id)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    response.status_code = 204
    return response
