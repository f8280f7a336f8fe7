"""A reader's search results say nothing about other matters' words: no field of matter A's response moves
when matter B indexes pages full of A's query words (raw BM25 scores did, down to exact page counts),
and the cursor, which carries index-wide numbers, leaves the server sealed. On every engine."""

from __future__ import annotations

import base64
import binascii
import json
import threading
from typing import Any

from catalog.blobstore import LocalBlobStore
from catalog.intake import Intake
from catalog.limits import Limits
from ingest.indexing import Indexer
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from tests import factories
from tests.security.conftest import Matters

# Words of matter A's pages (A_TEXT, SHARED_TEXT in conftest): single words, OR, AND, prefix, phrase, proximity.
QUERIES = (
    "clearview",
    "clearview OR recognition OR memo",
    "clearview AND microsoft",
    "clear*",
    '"face recognition"',
    "clearview w/5 recognition",
    "",
)
B_PAGES = [
    "Clearview AI Clearview AI face recognition memo. " * (n + 1) + "Microsoft recognition memo." for n in range(12)
]


def _responses(m: Matters) -> dict[tuple[str, str, int], Any]:
    out: dict[tuple[str, str, int], Any] = {}
    for q in QUERIES:
        for sort in ("relevance", "date_desc"):
            for limit in (1, 20):
                r = m.client.get(
                    "/api/v1/search", params={"q": q, "sort": sort, "limit": limit}, headers=m.as_("reader-a")
                )
                assert r.status_code == 200, r.text
                body = r.json()
                # The sealed cursor differs on every response by design: only whether there is one is compared.
                body["next_cursor"] = body["next_cursor"] is not None
                out[(q, sort, limit)] = body
    return out


def _add_pages_to_b(m: Matters, analyzer: object) -> None:
    production = m.catalog.productions.create_production(m.collections["matter-b"], "matter-b release 2")
    folder = m.root / "matter-b-more"
    folder.mkdir()
    for n in range(3):
        (folder / f"b-more-{n}.pdf").write_bytes(factories.born_digital_pdf(B_PAGES[n * 4 : (n + 1) * 4]))
    blobs = LocalBlobStore(m.root / "originals")
    report = Intake(m.catalog, blobs, production.id, Limits(), m.root / "spool").add_paths(sorted(folder.iterdir()))
    assert len(report.accepted) == 3
    worker = Worker(
        m.catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        Indexer(m.catalog, m.search),
        WorkerConfig(processes=1, limits=Limits(), lease_seconds=30),
    )
    try:
        worker.run(threading.Event(), until_idle=True)
    finally:
        worker.close()
    m.search.refresh()


def test_no_field_of_a_readers_results_moves_when_another_matter_indexes_their_words(
    matters: Matters, analyzer: object
) -> None:
    m = matters
    b_before = m.client.get("/api/v1/search", params={"q": "clearview"}, headers=m.as_("reader-b")).json()
    before = _responses(m)
    _add_pages_to_b(m, analyzer)
    b_after = m.client.get("/api/v1/search", params={"q": "clearview"}, headers=m.as_("reader-b")).json()
    assert b_after["total_pages"] == b_before["total_pages"] + len(B_PAGES)  # B's pages really are in the index
    after = _responses(m)
    for key, body in before.items():
        assert after[key] == body, key
    assert all("score" not in json.dumps(body) for body in after.values())


def _decodes_to_json(cursor: str) -> bool:
    try:
        json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return False
    return True


def test_search_cursors_are_sealed_and_still_page(matters: Matters) -> None:
    m = matters
    headers = m.as_("reader-a")
    seen: list[str] = []
    cursors: list[str] = []
    cursor = None
    while True:
        params = {"q": "clearview OR memo", "limit": 1, **({"cursor": cursor} if cursor else {})}
        body = m.client.get("/api/v1/search", params=params, headers=headers).json()
        seen += [d["document_id"] for d in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
        cursors.append(cursor)
        assert not _decodes_to_json(cursor)  # neither score nor sequence number nor PIT id readable
    assert sorted(seen) == sorted({m.documents["a"], m.documents["shared"]}) and len(seen) == 2
    again = m.client.get("/api/v1/search", params={"q": "clearview OR memo", "limit": 1}, headers=headers).json()
    assert again["next_cursor"] != cursors[0]  # a fresh nonce each time: equal cursors tell nothing either
    first = cursors[0]
    flipped = first[:10] + ("A" if first[10] != "A" else "B") + first[11:]
    plain = base64.urlsafe_b64encode(json.dumps({"f": "x", "m": 1, "s": None, "a": [1.0, "d"]}).encode()).decode()
    for bad in (flipped, plain, "not a cursor", "\u00e9"):
        r = m.client.get("/api/v1/search", params={"q": "clearview OR memo", "cursor": bad}, headers=headers)
        assert r.status_code == 400, (bad, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    # Reader B's session cannot replay it for another scope either: the backend's fingerprint refuses it.
    r = m.client.get("/api/v1/search", params={"q": "clearview OR memo", "cursor": first}, headers=m.as_("reader-b"))
    assert r.status_code == 400
