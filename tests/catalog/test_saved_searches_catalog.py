"""Saved searches, alerts and the delivery queue in the catalog, on SQLite and PostgreSQL: matches are
recorded once however often a production is told, alerts are read in the owner's scope only, and each
queued delivery is claimed by one claimer at a time, retried after a doubling delay, then failed."""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from catalog.alert_deliveries import FAILED, QUEUED, SENT
from catalog.blobstore import LocalBlobStore
from catalog.saved_searches import SavedSearch
from catalog.sql import SqlCatalog


def _setup(catalog: SqlCatalog, blobs: LocalBlobStore) -> tuple[SavedSearch, str, list[str]]:
    col = catalog.productions.ensure_collection("matter")
    prod = catalog.productions.create_production(col.id, "p")
    docs = [
        catalog.productions.add_file(prod.id, f"{n}.pdf", blobs.put_stream(io.BytesIO(f"%PDF-1.4 {n}".encode())))
        for n in range(3)
    ]
    saved, secret = catalog.saved_searches.create(
        collection_id=col.id,
        owner="token:t1:alice",
        name="watch",
        query="palantir",
        filters={"exemption": ["b6"]},
        date_from="2019-01-01",
        date_to=None,
        sort="date_desc",
        alert=True,
        webhook_url="https://hooks.example.org/x",
        email=None,
    )
    assert secret is not None and secret.startswith("whsec_")
    assert catalog.saved_searches.webhook_secret(saved.id) == secret
    return saved, prod.id, [d.document_id for d in docs if d.document_id]


def test_matches_are_recorded_once_and_counted_new_until_viewed(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    saved, production_id, docs = _setup(catalog, blobs)
    assert (saved.filters, saved.date_from, saved.sort) == ({"exemption": ["b6"]}, "2019-01-01", "date_desc")
    rows = [("webhook", "https://hooks.example.org/x", "{}")]
    first = catalog.saved_searches.record_matches(saved, production_id, docs[:2], lambda alert: rows)
    again = catalog.saved_searches.record_matches(saved, production_id, docs[:2], lambda alert: rows)
    assert sorted(first.new_documents) == sorted(docs[:2]) and first.alert is not None
    assert again.new_documents == () and again.alert is None  # told twice: nothing twice
    more = catalog.saved_searches.record_matches(saved, production_id, docs, lambda alert: rows)
    assert more.new_documents == (docs[2],) and more.alert is not None and more.alert.documents == 1
    ((listed, new),) = catalog.saved_searches.list_of("token:t1:alice", None)
    assert listed.id == saved.id and new == 3
    assert catalog.saved_searches.new_since(saved.id, saved.viewed_at)[0] == 3
    catalog.saved_searches.mark_viewed(saved.id)
    assert catalog.saved_searches.list_of("token:t1:alice", None)[0][1] == 0
    assert catalog.saved_searches.list_of("token:t2:bob", None) == []
    assert catalog.saved_searches.list_of("token:t1:alice", ["col_other"]) == []
    assert len(catalog.alert_deliveries.of_saved_search(saved.id)) == 2


def test_alerts_are_read_in_the_owners_scope_only(catalog: SqlCatalog, blobs: LocalBlobStore) -> None:
    saved, production_id, docs = _setup(catalog, blobs)
    for doc in docs:
        catalog.saved_searches.record_matches(saved, production_id, [doc], lambda alert: [])
    store, owner = catalog.saved_searches, "token:t1:alice"
    assert store.unread_count(owner, None) == 3 and store.unread_count(owner, [saved.collection_id]) == 3
    assert store.unread_count(owner, ["col_other"]) == 0 and store.unread_count("token:t2:bob", None) == 0
    newest_first = store.alerts_of(owner, None)
    assert [a.document_ids for a in newest_first] == [(docs[2],), (docs[1],), (docs[0],)]
    page = store.alerts_of(owner, None, limit=1, before=newest_first[0].id)
    assert [a.id for a in page] == [newest_first[1].id]
    assert store.alerts_of("token:t2:bob", None, before=newest_first[0].id) == []
    assert store.mark_read("token:t2:bob", None, None) == 0
    assert store.mark_read(owner, ["col_other"], None) == 0
    assert store.mark_read(owner, None, [newest_first[0].id]) == 1
    assert [a.id for a in store.alerts_of(owner, None, unread_only=True)] == [a.id for a in newest_first[1:]]
    assert store.mark_read(owner, None, None) == 2 and store.unread_count(owner, None) == 0
    store.delete(saved.id)
    assert store.alerts_of(owner, None) == [] and catalog.alert_deliveries.of_saved_search(saved.id) == []


def test_each_delivery_is_claimed_once_at_a_time_retried_later_then_failed(
    catalog: SqlCatalog, blobs: LocalBlobStore
) -> None:
    saved, production_id, docs = _setup(catalog, blobs)
    rows = [("webhook", f"https://hooks.example.org/{n}", "{}") for n in range(30)]
    catalog.saved_searches.record_matches(saved, production_id, docs, lambda alert: rows)
    claimed: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def claim(owner: str) -> None:
        start.wait()
        while batch := catalog.alert_deliveries.claim_due(owner, 60, limit=3):
            with lock:
                claimed.extend(d.id for d in batch)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(claim, [f"w{n}" for n in range(6)]))
    assert len(claimed) == 30 and len(set(claimed)) == 30
    deliveries = catalog.alert_deliveries
    (one,) = [d for d in deliveries.of_saved_search(saved.id) if d.target.endswith("/0")]
    owner = next(f"w{n}" for n in range(6) if _holds(catalog, one.id, f"w{n}"))
    assert deliveries.attempt_failed(one.id, "someone else", "x", None, 2, 0.3) == QUEUED  # not theirs: no change
    assert deliveries.attempt_failed(one.id, owner, "HTTP 500", 500, 2, 0.3) == QUEUED
    assert deliveries.claim_due("w9", 60) == []  # held or waiting for their next attempt
    time.sleep(0.4)
    (again,) = deliveries.claim_due("w9", 60)
    assert again.id == one.id and again.attempts == 2
    assert deliveries.attempt_failed(one.id, owner, "late", None, 2, 0.3) == QUEUED  # not ours any more: no change
    assert deliveries.attempt_failed(one.id, "w9", "HTTP 500 again", 500, 2, 0.3) == FAILED
    (failed,) = [d for d in deliveries.of_saved_search(saved.id) if d.id == one.id]
    assert (failed.state, failed.attempts, failed.last_error, failed.last_status) == (FAILED, 2, "HTTP 500 again", 500)
    two = next(d for d in deliveries.of_saved_search(saved.id) if d.target.endswith("/1"))
    holder = next(f"w{n}" for n in range(6) if _holds(catalog, two.id, f"w{n}"))
    deliveries.sent(two.id, holder, 204)
    (sent,) = [d for d in deliveries.of_saved_search(saved.id) if d.id == two.id]
    assert (sent.state, sent.last_status, sent.finished_at is not None) == (SENT, 204, True)


def _holds(catalog: SqlCatalog, delivery_id: str, owner: str) -> bool:
    from sqlalchemy import select

    from catalog.schema_alerts import alert_deliveries

    with catalog.db.reader.connect() as conn:
        held = conn.execute(select(alert_deliveries.c.lease_owner).where(alert_deliveries.c.id == delivery_id)).scalar()
    return bool(held == owner)
