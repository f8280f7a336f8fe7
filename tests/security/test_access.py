"""Sign-in and the rest of the access layer: sessions with CSRF, roles, headers, limits, audit, tokens."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.auth import SESSION_COOKIE, Session, read_session, role_allows, sign_session
from api.ratelimit import RateLimiter
from catalog.tokens import token_hash
from foia.netcheck import is_loopback
from tests.security.conftest import Matters


@pytest.fixture
def m(tantivy_matters: Matters) -> Matters:
    return tantivy_matters  # engine-independent: run once, on tantivy


def _fresh(m: Matters) -> TestClient:
    """A client with its own cookie jar, on the same app."""
    return TestClient(m.client.app, raise_server_exceptions=False)


def test_a_session_cookie_is_httponly_strict_and_needs_csrf_for_changes(m: Matters) -> None:
    client = _fresh(m)
    assert client.post("/api/v1/session", json={"token": "foia_nope"}).status_code == 401
    signed = client.post("/api/v1/session", json={"token": m.tokens["uploader-a"]})
    assert signed.status_code == 200
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert m.tokens["uploader-a"] not in cookie  # the token itself never lands in the browser's cookie jar
    csrf = signed.json()["csrf_token"]
    assert client.get("/api/v1/search", params={"q": "alphaword"}).json()["total_documents"] == 1
    assert client.get("/api/v1/session").json()["csrf_token"] == csrf
    body = {"name": "via the browser", "collection": "matter-a"}
    refused = client.post("/api/v1/productions", json=body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert client.post("/api/v1/productions", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/api/v1/productions", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    client.post("/api/v1/session/sign-out")
    assert client.get("/api/v1/search").status_code == 401


def test_a_forged_or_expired_cookie_is_refused(m: Matters) -> None:
    secret = m.client.app.state.authenticator.session_secret  # type: ignore[attr-defined]
    good = sign_session(secret, Session("tok_x", 2e9, "c", "s1"))
    assert read_session(secret, good, 1e9) == Session("tok_x", 2e9, "c", "s1")
    assert read_session(secret, good, 3e9) is None  # expired
    assert read_session(b"another key", good, 1e9) is None
    payload, _, mac = good.partition(".")
    assert read_session(secret, payload + "x." + mac, 1e9) is None
    client = _fresh(m)
    client.cookies.set(SESSION_COOKIE, sign_session(b"attacker", Session("tok_x", 2e9, "c", "s1")))
    assert client.get("/api/v1/search").status_code == 401


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        ("reader", "GET", "/search", True),
        ("reader", "POST", "/search/batch", True),
        ("reader", "POST", "/productions", False),
        ("reader", "POST", "/productions/p/files", False),
        ("uploader", "POST", "/productions", True),
        ("uploader", "POST", "/productions/p/files", True),
        ("uploader", "POST", "/productions/p/retry", True),
        ("uploader", "DELETE", "/productions/p", False),
        ("admin", "DELETE", "/productions/p", True),
        ("reader", "POST", "/documents/d/pages/3/notes", True),
        ("reader", "PATCH", "/notes/note_1", True),
        ("reader", "DELETE", "/notes/note_1", True),
        ("reader", "DELETE", "/documents/d/pages/3/notes", True),
        ("reader", "POST", "/documents/d/pages/x/notes", False),
        ("reader", "POST", "/documents/d/notes", False),
        ("reader", "DELETE", "/notes/note_1/more", False),
        ("reader", "POST", "/tags", True),
        ("reader", "PUT", "/documents/d/tags/hot", True),
        ("reader", "DELETE", "/documents/d/pages/2/tags/hot", True),
        ("reader", "POST", "/tags/hot/bulk", True),
        ("reader", "PUT", "/documents/d/pages/x/tags/hot", False),
        ("reader", "PUT", "/tags/hot", False),
        ("reader", "POST", "/tags/hot/bulk/more", False),
        ("reader", "POST", "/saved-searches", True),
        ("reader", "PATCH", "/saved-searches/ss_1", True),
        ("reader", "DELETE", "/saved-searches/ss_1", True),
        ("reader", "POST", "/alerts/read", True),
        ("uploader", "DELETE", "/saved-searches/ss_1", True),
        ("reader", "POST", "/saved-searches-not-really", False),
        ("reader", "DELETE", "/alertsx", False),
    ],
)
def test_roles_table(role: str, method: str, path: str, allowed: bool) -> None:
    assert role_allows(role, method, path) is allowed


def test_security_headers_on_ui_api_and_errors(m: Matters) -> None:
    for path in ("/", "/api/v1/search", "/api/v1/nowhere"):
        r = m.client.get(path, headers=m.as_("reader-a"))
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_the_ui_has_no_inline_script() -> None:
    html = (Path(__file__).resolve().parents[2] / "frontend" / "static" / "index.html").read_text()
    assert "<script>" not in html and "onclick=" not in html.lower() and "javascript:" not in html


def test_rate_limits_per_token(m: Matters) -> None:
    guard = m.client.app.state.guard  # type: ignore[attr-defined]
    saved = guard.limiter
    guard.limiter = RateLimiter(per_minute={"search": 60.0, "export": 1.0}, burst={"search": 3.0, "export": 1.0})
    try:
        codes = [m.client.get("/api/v1/search", headers=m.as_("reader-b")).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        limited = m.client.get("/api/v1/search", headers=m.as_("reader-b"))
        assert int(limited.headers["retry-after"]) >= 1
        assert m.client.get("/api/v1/search", headers=m.as_("reader-a")).status_code == 200  # per token
        assert m.client.get("/api/v1/search/export", headers=m.as_("reader-a")).status_code == 200
        assert m.client.get("/api/v1/search/export", headers=m.as_("reader-a")).status_code == 429
    finally:
        guard.limiter = saved


def test_rate_limiter_refills() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute={"search": 60.0}, burst={"search": 2.0}, clock=lambda: now[0])
    assert [limiter.check("t", "search") for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.check("t", "search") > 0
    now[0] += 1.0
    assert limiter.check("t", "search") == 0.0
    assert RateLimiter(per_minute={}, burst={}).check("t", "search") == 0.0  # 0/absent: no limit


def test_audit_records_uploads_exports_and_token_use_and_is_append_only(m: Matters) -> None:
    a = m.productions["matter-a"]
    pdf = ("files", ("audited.pdf", b"%PDF-1.4 not really", "application/pdf"))
    m.client.post(f"/api/v1/productions/{a}/files", files=[pdf], headers=m.as_("uploader-a"))
    m.client.get("/api/v1/search/export", params={"q": "alphaword"}, headers=m.as_("reader-b"))
    with m.catalog.db.writer.connect() as conn:
        rows = conn.execute(text("SELECT actor, action, target, detail FROM audit_log ORDER BY id")).all()
    actions = {(r.actor.split(":")[-1], r.action) for r in rows}
    assert {("ulla", "production.upload"), ("bob", "search.export"), ("ulla", "token.use")} <= actions
    upload = next(r for r in rows if r.action == "production.upload" and "audited.pdf" in r.detail)
    assert upload.target == a and json.loads(upload.detail)["accepted"][0]["name"] == "audited.pdf"
    database = str(m.root / "catalog.sqlite")
    with sqlite3.connect(database) as raw:
        for statement in ("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                raw.execute(statement)


def test_tokens_are_stored_only_as_hashes(m: Matters) -> None:
    store = m.catalog.tokens
    created = store.create("carol", "reader", ["matter-b"])
    raw = (m.root / "catalog.sqlite").read_bytes() + b"".join(p.read_bytes() for p in m.root.glob("catalog.sqlite-*"))
    assert created.secret.encode() not in raw
    assert token_hash(created.secret).encode() in raw or store.lookup(created.secret) is not None
    assert store.lookup(created.secret) == created.record
    assert len(created.secret) >= 40  # 32 random bytes
    with pytest.raises(ValueError, match="only an admin"):
        store.create("x", "reader", ["*"])
    with pytest.raises(ValueError, match="role"):
        store.create("x", "superuser", ["matter-a"])
    store.revoke(created.record.id)
    assert store.lookup(created.secret) is None


def test_request_bodies_over_the_limit_are_refused_while_streaming(m: Matters) -> None:
    from api.security import BodyLimitMiddleware

    app = m.client.app
    limit_app = BodyLimitMiddleware(app, max_bytes=1000)
    client = TestClient(limit_app, raise_server_exceptions=False)
    a = m.productions["matter-a"]
    big = ("files", ("big.pdf", b"%PDF-1.4\n" + b"0" * 5000, "application/pdf"))
    r = client.post(f"/api/v1/productions/{a}/files", files=[big], headers=m.as_("uploader-a"))
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"

    head = b'--b0\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n\r\n%PDF-1.4\n'

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield head
        for _ in range(10):
            yield b"0" * 500
        yield b"\r\n--b0--\r\n"

    headers = {**m.as_("uploader-a"), "Content-Type": "multipart/form-data; boundary=b0"}
    r = client.post(f"/api/v1/productions/{a}/files", content=chunks(), headers=headers)
    assert r.status_code == 413
    names = [f.original_name for f in m.catalog.productions.list_files(a, limit=1000)]
    assert "big.pdf" not in names  # nothing of the refused request was stored


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("", False), ("10.1.2.3", False)],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
