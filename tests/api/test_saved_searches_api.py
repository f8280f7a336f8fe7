"""Saved searches and alerts end to end on the real stack (SQLite, tantivy, spaCy, the worker with its
production hook and upkeep), delivering to a real HTTP receiver and a real SMTP server started here.

Two matters (alpha, beta) and readers of each; documents are made here, so which ones must match is
known from what the test generated, never from the code under test."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.config import ApiSettings
from catalog import schema as t
from ingest.alert_sender import SIGNATURE_HEADER, DeliverySender, SmtpConfig
from ingest.alerts import AlertsListener
from ingest.production_events import ProductionEvents
from tests import factories
from tests.ingest.conftest import Stack, make_stack
from tests.receivers import Mailbox, WebhookReceiver, free_port, smtp_server, webhook_receiver

API = "/api/v1"


@dataclass
class World:
    stack: Stack
    client: TestClient
    tokens: dict[str, str]
    collections: dict[str, str]  # name -> id
    hooks: WebhookReceiver
    mail: Mailbox
    sender: DeliverySender
    root: Path
    made: int = 0

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who: str, path: str, **params: object) -> dict:  # type: ignore[type-arg]
        response = self.client.get(f"{API}{path}", headers=self.headers(who), params=params)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def save(self, who: str, expect: int = 201, **body: object) -> dict:  # type: ignore[type-arg]
        response = self.client.post(f"{API}/saved-searches", headers=self.headers(who), json=body)
        assert response.status_code == expect, response.text
        return response.json()  # type: ignore[no-any-return]

    def release(self, collection: str, production: str, texts: dict[str, str]) -> dict[str, str]:
        """Ingest one production of born-digital PDFs (file name -> text); returns file name -> document id."""
        folder = self.root / f"upload-{self.made}"
        self.made += 1
        folder.mkdir()
        paths = []
        for name, text in texts.items():
            paths.append(folder / name)
            paths[-1].write_bytes(factories.born_digital_pdf([text]))
        report = self.stack.intake(self.stack.production(production, collection=collection), paths)
        self.stack.run_until_idle()  # indexes, tells the hook's listeners, sends the queued deliveries
        return {r.original_name: r.document_id for r in report.accepted if r.document_id}


@pytest.fixture
def world(tmp_path: Path, analyzer: object) -> Iterator[World]:
    stack = make_stack(tmp_path, analyzer)
    with webhook_receiver() as hooks, smtp_server() as mail:
        stack.worker.events = ProductionEvents(
            stack.catalog.production_notices,
            {"alerts": AlertsListener(stack.catalog, stack.index, "https://foia.example.org")},
            owner=stack.worker.worker_id,
        )
        sender = DeliverySender(
            stack.catalog,
            stack.worker.worker_id,
            SmtpConfig(host=mail.host, port=mail.port, security="none", sender="alerts@foia.example.org"),
            webhook_timeout=5,
            max_attempts=3,
            retry_seconds=0.3,
        )
        stack.worker.upkeep = (sender.send_due,)
        collections = {n: stack.catalog.productions.ensure_collection(n).id for n in ("alpha", "beta")}
        tokens = {
            "alpha": stack.catalog.tokens.create("reader-alpha", "reader", ["alpha"]).secret,
            "alpha2": stack.catalog.tokens.create("second-reader-alpha", "reader", ["alpha"]).secret,
            "beta": stack.catalog.tokens.create("reader-beta", "reader", ["beta"]).secret,
            "both": stack.catalog.tokens.create("reader-both", "reader", ["alpha", "beta"]).secret,
        }
        app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=tmp_path / "spool"))
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
            yield World(stack, client, tokens, collections, hooks, mail, sender, tmp_path)
    stack.close()


MATCHING = "The Palantir contract for the fusion center was signed."
OTHER = "A memo about the cafeteria budget."


def test_an_alert_is_listed_signed_to_the_webhook_and_emailed_when_a_production_brings_matches(
    world: World,
) -> None:
    saved = world.save(
        "alpha",
        name="Palantir contracts",
        q="palantir",
        collection=world.collections["alpha"],
        alert=True,
        webhook_url=world.hooks.to("/ok"),
        email="reviewer@example.org",
    )
    secret = saved["webhook_secret"]
    assert secret and saved["new_documents"] == 0 and saved["collection"]["name"] == "alpha"
    docs = world.release("alpha", "First release", {"p1.pdf": MATCHING, "p2.pdf": MATCHING + " Again.", "x.pdf": OTHER})
    matching = sorted([docs["p1.pdf"], docs["p2.pdf"]])

    alerts = world.get("alpha", "/alerts")
    assert alerts["unread"] == 1
    (alert,) = alerts["items"]
    assert alert["saved_search"] == {"id": saved["id"], "name": "Palantir contracts"}
    assert alert["production"]["name"] == "First release" and alert["new_documents"] == 2
    assert sorted(alert["document_ids"]) == matching and alert["read_at"] is None

    (hook,) = world.hooks.on("/ok")
    expected = "sha256=" + hmac.new(secret.encode(), hook.body, hashlib.sha256).hexdigest()
    assert hook.headers[SIGNATURE_HEADER.lower()] == expected
    assert hook.headers["content-type"] == "application/json"
    body = hook.json()
    assert body["alert_id"] == alert["id"] and body["new_documents"] == 2
    assert sorted(body["document_ids"]) == matching
    assert body["search_url"].startswith("https://foia.example.org/search?q=palantir&production=prd_")

    ((envelope, message),) = world.mail.messages
    assert envelope.rcpt_tos == ["reviewer@example.org"] and envelope.mail_from == "alerts@foia.example.org"
    assert message["Subject"] == "2 new documents for “Palantir contracts”"
    text = message.get_content()
    assert "First release" in text and body["search_url"] in text

    log = world.get("alpha", f"/saved-searches/{saved['id']}/deliveries")["items"]
    assert sorted((d["channel"], d["state"], d["attempts"], d["last_status"]) for d in log) == [
        ("email", "sent", 1, None),
        ("webhook", "sent", 1, 200),
    ]

    # New since last viewed: two, until it is opened.
    (listed,) = world.get("alpha", "/saved-searches")["items"]
    assert listed["new_documents"] == 2
    opened = world.get("alpha", f"/saved-searches/{saved['id']}")
    assert sorted(opened["new_document_ids"]) == matching and opened["new_documents"] == 2
    assert opened["params"] == [["q", "palantir"]]
    assert world.get("alpha", "/saved-searches")["items"][0]["new_documents"] == 0

    # A later production: only what it newly brings (a copy of a document already held is not new).
    later = world.release("alpha", "Second release", {"p3.pdf": MATCHING + " Third.", "p1-copy.pdf": MATCHING})
    assert later["p1-copy.pdf"] == docs["p1.pdf"]
    alerts = world.get("alpha", "/alerts")
    assert alerts["unread"] == 2
    assert alerts["items"][0]["document_ids"] == [later["p3.pdf"]]
    assert world.get("alpha", "/saved-searches")["items"][0]["new_documents"] == 1

    read = world.client.post(f"{API}/alerts/read", headers=world.headers("alpha"), json={"ids": [alert["id"]]})
    assert read.json() == {"marked": 1, "unread": 1}
    read = world.client.post(f"{API}/alerts/read", headers=world.headers("alpha"), json={})
    assert read.json() == {"marked": 1, "unread": 0}
    assert world.get("alpha", "/alerts", unread="true")["items"] == []


def test_alerts_respect_scope_and_owner_also_for_a_document_both_matters_hold(world: World) -> None:
    mine = world.save("alpha", name="mine", q="palantir", collection="alpha", alert=True)
    theirs = world.save("beta", name="theirs", q="palantir", alert=True)  # one collection: no need to name it
    assert theirs["collection"]["id"] == world.collections["beta"]
    world.release("beta", "Beta release", {"shared.pdf": MATCHING})  # beta holds it first
    assert world.get("alpha", "/alerts")["items"] == []
    (beta_alert,) = world.get("beta", "/alerts")["items"]
    shared = world.release("alpha", "Alpha release", {"shared-too.pdf": MATCHING})  # the same bytes
    assert beta_alert["document_ids"] == [shared["shared-too.pdf"]]
    (alpha_alert,) = world.get("alpha", "/alerts")["items"]
    assert alpha_alert["document_ids"] == [shared["shared-too.pdf"]]
    assert alpha_alert["collection"]["id"] == world.collections["alpha"]
    assert [a["id"] for a in world.get("beta", "/alerts")["items"]] == [beta_alert["id"]]  # not alpha's
    # Another reader of the same matter, and a reader of both: neither sees these owners' alerts.
    assert world.get("alpha2", "/alerts") == {"unread": 0, "items": [], "next_before": None}
    assert world.get("both", "/alerts")["items"] == [] and world.get("both", "/saved-searches")["items"] == []
    # Another owner's saved search and alerts read like ones that never existed.
    for who, sid in (("beta", mine["id"]), ("alpha2", mine["id"]), ("alpha", theirs["id"])):
        for method, path in (
            ("GET", f"/saved-searches/{sid}"),
            ("PATCH", f"/saved-searches/{sid}"),
            ("DELETE", f"/saved-searches/{sid}"),
            ("GET", f"/saved-searches/{sid}/deliveries"),
        ):
            response = world.client.request(
                method, f"{API}{path}", headers=world.headers(who), json={} if method == "PATCH" else None
            )
            assert response.status_code == 404, (who, method, path, response.text)
            assert response.json()["detail"] == f"no saved search {sid}"
    marked = world.client.post(f"{API}/alerts/read", headers=world.headers("beta"), json={"ids": [alpha_alert["id"]]})
    assert marked.json() == {"marked": 0, "unread": 1}
    assert world.get("alpha", "/alerts")["unread"] == 1
    # The other owner's alert id as a page boundary says nothing about it.
    assert world.get("beta", "/alerts", before=alpha_alert["id"])["items"] == world.get("beta", "/alerts")["items"]


def test_a_failing_webhook_is_retried_with_backoff_and_logged_and_a_dead_one_fails_with_its_reason(
    world: World,
) -> None:
    flaky = world.save(
        "alpha", name="flaky", q="palantir", alert=True, collection="alpha", webhook_url=world.hooks.to("/flaky-2")
    )
    down = world.save(
        "alpha", name="down", q="palantir", alert=True, collection="alpha", webhook_url=world.hooks.to("/down")
    )
    moved = world.save(
        "alpha", name="moved", q="palantir", alert=True, collection="alpha", webhook_url=world.hooks.to("/redirect")
    )
    world.release("alpha", "Release", {"p.pdf": MATCHING})
    (first,) = world.get("alpha", f"/saved-searches/{flaky['id']}/deliveries")["items"]
    assert (first["state"], first["attempts"], first["last_status"]) == ("queued", 1, 500)
    assert first["last_error"] == "HTTP 500: receiver is down" and first["next_attempt_at"] is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        world.sender.send_due()
        states = {
            s["id"]: world.get("alpha", f"/saved-searches/{s['id']}/deliveries")["items"][0]["state"]
            for s in (flaky, down, moved)
        }
        if "queued" not in states.values():
            break
        time.sleep(0.1)
    (ok,) = world.get("alpha", f"/saved-searches/{flaky['id']}/deliveries")["items"]
    assert (ok["state"], ok["attempts"], ok["last_status"], ok["last_error"]) == ("sent", 3, 200, None)
    times = [r for r in world.hooks.on("/flaky-2")]
    assert len(times) == 3 and len({r.body for r in times}) == 1  # the same signed body each time
    (dead,) = world.get("alpha", f"/saved-searches/{down['id']}/deliveries")["items"]
    assert (dead["state"], dead["attempts"], dead["last_error"]) == ("failed", 3, "HTTP 500: receiver is down")
    (redirected,) = world.get("alpha", f"/saved-searches/{moved['id']}/deliveries")["items"]
    assert redirected["state"] == "failed" and redirected["last_status"] == 302
    assert world.hooks.on("/ok") == []  # the redirect was never followed
    # The in-app alerts are there whatever the webhooks did.
    assert world.get("alpha", "/alerts")["unread"] == 3


def test_smtp_failures_are_failed_deliveries_with_their_reason(world: World) -> None:
    world.mail.refuse.add("nobody@example.org")
    refused = world.save(
        "alpha", name="refused", q="palantir", alert=True, collection="alpha", email="nobody@example.org"
    )
    world.sender.smtp = SmtpConfig(host=world.mail.host, port=world.mail.port, security="none")
    world.release("alpha", "Release", {"p.pdf": MATCHING})
    (one,) = world.get("alpha", f"/saved-searches/{refused['id']}/deliveries")["items"]
    assert (
        one["last_error"] == "SMTP refused the recipient: {'nobody@example.org': (550, b'5.1.1 no such mailbox here')}"
    )
    # No server listening, then no server configured at all.
    closed = world.save("alpha", name="closed", q="cafeteria", alert=True, collection="alpha", email="a@example.org")
    world.sender.smtp = SmtpConfig(host="127.0.0.1", port=free_port(), security="none", timeout=2)
    world.release("alpha", "Release 2", {"c.pdf": OTHER})
    (failed,) = world.get("alpha", f"/saved-searches/{closed['id']}/deliveries")["items"]
    assert failed["state"] == "queued" and failed["last_error"].startswith("SMTP failed: ConnectionRefusedError")
    unset = world.save("alpha", name="unset", q="budget", alert=True, collection="alpha", email="b@example.org")
    world.sender.smtp = SmtpConfig(host=None)
    world.release("alpha", "Release 3", {"b.pdf": "Another budget memo."})
    (never,) = world.get("alpha", f"/saved-searches/{unset['id']}/deliveries")["items"]
    assert (never["state"], never["attempts"]) == ("failed", 1)
    assert never["last_error"] == "no SMTP server is configured (FOIA_SMTP_HOST)"
    assert world.mail.messages == []


def test_bad_saved_searches_are_clear_4xx_and_nothing_is_saved(world: World) -> None:
    base = {"name": "x", "q": "palantir", "collection": "alpha"}
    for url in ("ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)", "http://", "hooks.example.org"):
        problem = world.save("alpha", expect=422, **base, webhook_url=url)
        assert problem["type"] == "/problems/invalid-request" and "http:// or https://" in problem["detail"]
    assert world.save("alpha", expect=422, **base, email="not an address")["type"] == "/problems/invalid-request"
    assert world.save("alpha", expect=422, **{**base, "name": "  "})["type"] == "/problems/invalid-request"
    assert world.save("alpha", expect=422, **base, unknown=1)["type"] == "/problems/invalid-request"
    syntax = world.save("alpha", expect=400, **{**base, "q": 'palantir AND "unclosed'})
    assert syntax["type"] == "/problems/query-syntax" and "position" in syntax
    assert world.save("alpha", expect=400, **base, filters={"colour": ["red"]})["type"] == "/problems/invalid-search"
    ambiguous = world.save("both", expect=400, name="x", q="palantir")
    assert ambiguous["type"] == "/problems/collection-required"
    assert "alpha (" in ambiguous["detail"] and "beta (" in ambiguous["detail"]
    foreign = world.save("alpha", expect=404, name="x", q="palantir", collection="beta")
    assert foreign["detail"] == "no collection 'beta'"
    assert (
        world.save("alpha", expect=404, name="x", collection=world.collections["beta"])["type"] == "/problems/not-found"
    )
    patch = world.client.patch(
        f"{API}/saved-searches/ss_0000000000000000", headers=world.headers("alpha"), json={"webhook_url": "ftp://x"}
    )
    assert patch.status_code == 422
    assert world.get("alpha", "/saved-searches")["items"] == []


def test_changing_the_webhook_gives_a_new_secret_and_deleting_removes_everything(world: World) -> None:
    saved = world.save(
        "alpha", name="n", q="palantir", collection="alpha", alert=True, webhook_url=world.hooks.to("/ok")
    )
    changed = world.client.patch(
        f"{API}/saved-searches/{saved['id']}",
        headers=world.headers("alpha"),
        json={"name": "renamed", "webhook_url": world.hooks.to("/ok?v=2")},
    ).json()
    assert changed["name"] == "renamed" and changed["webhook_secret"] not in (None, saved["webhook_secret"])
    world.release("alpha", "Release", {"p.pdf": MATCHING})
    (hook,) = world.hooks.requests
    assert hook.path == "/ok?v=2"
    good = "sha256=" + hmac.new(changed["webhook_secret"].encode(), hook.body, hashlib.sha256).hexdigest()
    assert hook.headers[SIGNATURE_HEADER.lower()] == good
    off = world.client.patch(
        f"{API}/saved-searches/{saved['id']}",
        headers=world.headers("alpha"),
        json={"alert": False, "webhook_url": None},
    ).json()
    assert (off["alert"], off["webhook_url"], off["webhook_secret"]) == (False, None, None)
    assert world.client.delete(f"{API}/saved-searches/{saved['id']}", headers=world.headers("alpha")).status_code == 204
    assert world.get("alpha", "/saved-searches")["items"] == [] and world.get("alpha", "/alerts")["items"] == []
    with world.stack.catalog.db.reader.connect() as conn:
        audited = conn.execute(select(t.audit_log.c.action, t.audit_log.c.target, t.audit_log.c.actor)).all()
    ours = [(a, actor) for a, target, actor in audited if target == saved["id"]]
    assert [a for a, _ in ours] == [
        "saved_search.create",
        "saved_search.update",
        "saved_search.update",
        "saved_search.delete",
    ]
    (actor,) = {actor for _, actor in ours}
    assert actor.endswith(":reader-alpha")


def test_saved_search_filters_and_dates_are_kept_and_applied(world: World) -> None:
    saved = world.save(
        "alpha",
        name="dated",
        q="palantir",
        collection="alpha",
        filters={"exemption": ["b6"]},
        date_from="2019-01-01",
        sort="date_desc",
        alert=True,
    )
    assert saved["filters"] == {"exemption": ["b6"]} and saved["date_from"] == "2019-01-01"
    assert saved["search_url"] == "/search?q=palantir&exemption=b6&date_from=2019-01-01&sort=date_desc"
    docs = world.release(
        "alpha",
        "Release",
        {
            "in.pdf": "Date: March 3, 2020\n" + MATCHING + " (b)(6)",
            "old.pdf": "Date: March 3, 2015\n" + MATCHING + " (b)(6)",
            "no-code.pdf": "Date: March 3, 2020\n" + MATCHING,
        },
    )
    (alert,) = world.get("alpha", "/alerts")["items"]
    assert alert["document_ids"] == [docs["in.pdf"]]
    assert json.loads(json.dumps(alert))["search_url"].endswith(
        "&production=" + alert["production"]["id"] + "&date_from=2019-01-01&sort=date_desc"
    )


def test_a_running_worker_delivers_within_a_minute_of_the_last_document_being_indexed(world: World) -> None:
    saved = world.save(
        "alpha", name="live", q="palantir", collection="alpha", alert=True, webhook_url=world.hooks.to("/ok")
    )
    stop = threading.Event()
    runner = threading.Thread(target=world.stack.worker.run, args=(stop,), daemon=True)
    runner.start()
    try:
        folder = world.root / "live"
        folder.mkdir()
        (folder / "live.pdf").write_bytes(factories.born_digital_pdf([MATCHING]))
        production = world.stack.production("Live release", collection="alpha")
        world.stack.intake(production, [folder / "live.pdf"])
        while not world.stack.catalog.productions.progress(production.id).finished:
            time.sleep(0.05)
        indexed = time.monotonic()
        assert world.hooks.arrived.wait(60), "no webhook within a minute of the production being indexed"
        assert time.monotonic() - indexed < 60
    finally:
        stop.set()
        runner.join(60)
    (hook,) = world.hooks.on("/ok")
    assert hook.json()["saved_search"]["id"] == saved["id"]


def test_a_slow_listener_of_the_same_production_does_not_hold_up_the_webhook(world: World) -> None:
    """Another listener (screening a large production) may take most of a minute: the deliveries of the
    alerts are sent by their own upkeep thread meanwhile."""
    release = threading.Event()
    slow_started = threading.Event()

    class Slow:
        def production_indexed(self, production_id: str) -> None:
            slow_started.set()
            release.wait(90)

    assert world.stack.worker.events is not None
    world.stack.worker.events.listeners["zz-slow"] = Slow()  # told after "alerts" (names in order)
    url = world.hooks.to("/ok")
    world.save("alpha", name="fast", q="palantir", collection="alpha", alert=True, webhook_url=url)
    stop = threading.Event()
    runner = threading.Thread(target=world.stack.worker.run, args=(stop,), daemon=True)
    runner.start()
    try:
        folder = world.root / "slow"
        folder.mkdir()
        (folder / "s.pdf").write_bytes(factories.born_digital_pdf([MATCHING]))
        world.stack.intake(world.stack.production("Slow release", collection="alpha"), [folder / "s.pdf"])
        assert slow_started.wait(60)
        assert world.hooks.arrived.wait(30), "the webhook waited for the other listener"
        assert not release.is_set()
    finally:
        release.set()
        stop.set()
        runner.join(60)


def test_what_is_not_text_is_refused_before_anything_is_stored(world: World) -> None:
    for body in (
        {"name": "a\x00b", "collection": "alpha"},
        {"name": "ok", "q": "pal\ud800antir", "collection": "alpha"},
        {"name": "ok", "filters": {"exemption": ["b\udc006"]}, "collection": "alpha"},
    ):
        response = world.client.post(
            f"{API}/saved-searches",
            headers={**world.headers("alpha"), "Content-Type": "application/json"},
            content=json.dumps(body).encode(),
        )
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        # Pydantic refuses some halves of a pair itself; our check (api/schemas_alerts.py) the rest, and NUL.
        assert "is not text" in detail or "unable to parse raw data as a unicode string" in detail
    assert world.get("alpha", "/saved-searches")["items"] == []
