"""Sign-in that stays on, server-side sessions, open mode's Host/Origin checks and the '*' name, on the
SQLite and the PostgreSQL catalog."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from api.app import create_app
from api.auth import SESSION_COOKIE
from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.migrate import upgrade
from catalog.sql import SqlCatalog
from search.tantivy_backend import TantivyBackend
from tests.catalog.postgres import schema_url
from tests.conftest import service_url

LOOPBACK = "http://127.0.0.1:8000"


@dataclass
class _Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


@dataclass
class Server:
    """One catalog, and as many API processes on it as a test wants (each its own app and caches)."""

    catalog: SqlCatalog
    root: Path
    secret: bytes = b"k" * 32  # every API process of one server signs cookies with the same key
    clock: float = 1000.0

    def app(self) -> TestClient:
        search = TantivyBackend(self.root / f"index-{id(self)}")
        services = _Services(self.catalog, LocalBlobStore(self.root / "originals"), search)
        app = create_app(
            services, ApiSettings(spool_dir=self.root / "spool", session_secret=self.secret), open_allowed=True
        )
        # The "is sign-in on?" answer is cached for 5 s: the test moves this clock instead of sleeping.
        app.state.authenticator.clock = lambda: self.clock
        return TestClient(app, base_url=LOOPBACK, raise_server_exceptions=False)

    def later(self) -> None:
        self.clock += 10.0


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
        yield from _serve(url, tmp_path)
        return
    base = service_url("FOIA_TEST_DATABASE_URL", "PostgreSQL (scripts/postgres/start.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield from _serve(schema_url(base, schema), tmp_path)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _serve(url: str, root: Path) -> Iterator[Server]:
    catalog = SqlCatalog(url)
    catalog.create_schema()
    yield Server(catalog, root)
    catalog.close()


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_revoking_every_token_locks_everyone_out_and_never_reopens(server: Server) -> None:
    client = server.app()
    assert client.get("/api/v1/productions").status_code == 200  # no token ever made: the quick start
    store = server.catalog.tokens
    only = store.create("ops", "admin", ["*"])
    server.later()
    assert client.get("/api/v1/productions").status_code == 401
    assert client.get("/api/v1/productions", headers=_bearer(only.secret)).status_code == 200
    store.revoke(only.record.id)
    server.later()
    for restarted in (client, server.app()):  # this API process, and one started after the revocation
        refused = restarted.get("/api/v1/productions")
        assert refused.status_code == 401, refused.text
        assert "every token has been revoked" in refused.json()["detail"]
        upload = restarted.post("/api/v1/productions", json={"name": "p", "collection": "c"})
        assert upload.status_code == 401
        assert restarted.get("/api/v1/productions", headers=_bearer(only.secret)).status_code == 401


def test_sign_in_stays_on_even_if_the_row_is_attacked(server: Server) -> None:
    server.catalog.tokens.create("ops", "admin", ["*"])
    for statement in ("DELETE FROM access_state", "UPDATE access_state SET name = 'off'"):
        with pytest.raises(DBAPIError, match="sign-in stays on"), server.catalog.db.writer.begin() as conn:
            conn.execute(text(statement))
    assert server.catalog.tokens.sign_in_on()


def test_a_catalog_whose_tokens_were_all_revoked_before_the_upgrade_stays_closed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    catalog = SqlCatalog(url)
    upgrade(catalog.db.writer, "0003_redaction_analytics")  # the schema before sign-in was kept
    with catalog.db.writer.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO api_tokens (id, name, role, collection_ids, token_sha256, created_at, revoked_at) "
                "VALUES ('tok_1', 'gone', 'admin', NULL, 'x', '2026-01-01T00:00:00', '2026-01-02T00:00:00')"
            )
        )
    catalog.create_schema()
    assert catalog.tokens.sign_in_on() and not catalog.tokens.any_active()
    assert Server(catalog, tmp_path).app().get("/api/v1/productions").status_code == 401
    catalog.close()


def test_a_stale_session_cookie_never_falls_through_to_open_mode(server: Server) -> None:
    client = server.app()
    store = server.catalog.tokens
    reader = store.create("alice", "reader", ["matter-a"])
    assert client.post("/api/v1/session", json={"token": reader.secret}).status_code == 200
    assert client.get("/api/v1/productions").status_code == 200  # the cookie works
    store.revoke(reader.record.id)  # the last token: nobody may sign in any more
    server.later()
    refused = client.get("/api/v1/productions")
    assert refused.status_code == 401  # not the open principal (an admin of everything)
    assert f'{SESSION_COOKIE}=""' in refused.headers.get("set-cookie", "")  # and the browser drops it
    client.cookies.clear()
    assert client.get("/api/v1/productions").status_code == 401


def test_sign_out_ends_the_session_on_the_server_for_every_copy_of_the_cookie(server: Server) -> None:
    store = server.catalog.tokens
    reader = store.create("alice", "reader", ["matter-a"])
    browser, other_process = server.app(), server.app()
    signed = browser.post("/api/v1/session", json={"token": reader.secret})
    assert signed.status_code == 200
    cookie = browser.cookies[SESSION_COOKIE]
    thief = server.app()
    thief.cookies.set(SESSION_COOKIE, cookie)
    assert thief.get("/api/v1/productions").status_code == 200  # a copied cookie works while signed in
    other_process.cookies.set(SESSION_COOKIE, cookie)
    assert other_process.get("/api/v1/session").json()["principal"].endswith(":alice")
    assert browser.post("/api/v1/session/sign-out").status_code == 204
    for copy in (thief, other_process):  # at once, in every API process: no cache in between
        assert copy.get("/api/v1/productions").status_code == 401
        assert copy.get("/api/v1/session").status_code == 401
    again = server.app()
    assert again.post("/api/v1/session", json={"token": reader.secret}).status_code == 200
    assert again.get("/api/v1/productions").status_code == 200  # signing in again opens a new session
    with server.catalog.db.writer.connect() as conn:
        rows = conn.execute(text("SELECT id_sha256, token_id FROM api_sessions")).all()
    assert len(rows) == 1 and rows[0].token_id == reader.record.id
    assert again.cookies[SESSION_COOKIE] and rows[0].id_sha256 not in again.cookies[SESSION_COOKIE]


def test_the_sign_in_body_is_small(server: Server) -> None:
    client = server.app()
    huge = client.post("/api/v1/session", content=b'{"token": "' + b"a" * 100_000 + b'"}')
    assert huge.status_code == 413


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("127.0.0.2:8000", True),
        ("attacker.example:8000", False),  # a rebound DNS name
        ("127.0.0.1.nip.io:8000", False),
        ("127.0.0.1:8001", False),  # another port: another origin
        ("127.0.0.1", False),  # port 80
        ("", False),
    ],
)
def test_open_mode_answers_loopback_host_names_only(server: Server, host: str, allowed: bool) -> None:
    client = server.app()
    answer = client.get("/api/v1/productions", headers={"Host": host})
    assert answer.status_code == (200 if allowed else 403), answer.text
    if not allowed:
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),  # curl, a script
        ({"Origin": LOOPBACK, "Sec-Fetch-Site": "same-origin"}, True),  # our own page
        ({"Origin": "http://localhost:8000"}, False),  # another origin, even on loopback
        ({"Origin": "https://attacker.example"}, False),
        ({"Origin": "null"}, False),  # a sandboxed frame or a file:// page
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
    ],
)
def test_open_mode_refuses_cross_site_state_changes(server: Server, headers: dict[str, str], allowed: bool) -> None:
    client = server.app()
    created = client.post("/api/v1/productions", json={"name": "p", "collection": "c"}, headers=headers)
    assert created.status_code == (201 if allowed else 403), created.text
    production = client.post("/api/v1/productions", json={"name": "q", "collection": "c"}).json()["id"]
    pdf = ("files", ("x.pdf", b"%PDF-1.4 not really", "application/pdf"))
    upload = client.post(f"/api/v1/productions/{production}/files", files=[pdf], headers=headers)
    assert upload.status_code == (202 if allowed else 403), upload.text
    names = [f.original_name for f in server.catalog.productions.list_files(production, limit=10)]
    assert names == (["x.pdf"] if allowed else [])
    assert client.get("/api/v1/productions", headers=headers).status_code == 200  # reading is same-origin-safe


def test_signed_in_requests_are_not_held_to_open_mode_checks(server: Server) -> None:
    admin = server.catalog.tokens.create("ops", "admin", ["*"])
    client = server.app()
    headers = {**_bearer(admin.secret), "Host": "foia.example.org", "Origin": "https://ui.example.org"}
    assert client.get("/api/v1/productions", headers=headers).status_code == 200
    assert client.post("/api/v1/productions", json={"name": "p", "collection": "c"}, headers=headers).status_code == 201


def test_no_collection_may_be_called_star(server: Server) -> None:
    admin = server.catalog.tokens.create("ops", "admin", ["*"])
    client = server.app()
    for name in ("*", " * "):
        refused = client.post(
            "/api/v1/productions", json={"name": "p", "collection": name}, headers=_bearer(admin.secret)
        )
        assert refused.status_code == 422 and "every collection" in refused.json()["detail"], refused.text
        with pytest.raises(ValueError, match="every collection"):  # catalog.errors.InvalidName
            server.catalog.productions.ensure_collection(name)
    assert [c.name for c in server.catalog.productions.list_collections()] == []
