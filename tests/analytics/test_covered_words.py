"""Words under a failed redaction reach no label, no catalog table, no log and no response: checked on
the ingested sample against the generator's truth (the words it left under boxes of the Axon memo)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import inspect, select, text, update

from catalog.analytics import redaction_boxes
from ingest.sample.model import SampleFile, SamplePage
from tests.analytics.conftest import AnalyticsStack, iou, released_position

API = "/api/v1"
MATCH_IOU = 0.5


def hidden_words(api: AnalyticsStack) -> set[str]:
    """Each word the truth leaves under a box that the sample shows nowhere (a visible "202" elsewhere
    is no leak), the whole covered phrases too."""
    visible = " ".join(p.text for f in api.truth.files for p in f.pages).lower()
    leaked = [b.leaked_text for f in api.truth.files for p in f.pages for b in p.redactions if b.leaked_text]
    words = {w.strip(",.;:()") for phrase in leaked for w in phrase.split()}
    found = {w for w in words if len(re.sub(r"\W", "", w)) >= 3 and w.lower() not in visible}
    return found | {p for p in leaked if p.lower() not in visible}


def leaks_in(body: str, hidden: set[str]) -> list[str]:
    lowered = body.lower()
    return sorted(w for w in hidden if w.lower() in lowered)


def failed_pages(api: AnalyticsStack) -> list[tuple[SampleFile, SamplePage]]:
    return [(f, p) for f in api.truth.files for p in f.pages if p.failed_redaction]


def test_the_sample_hides_words_to_look_for(api: AnalyticsStack) -> None:
    hidden = hidden_words(api)
    assert {"Gregory", "Ilves", "555-0119", "Castellanos"} <= hidden


def test_box_labels_hold_only_the_stamp(api: AnalyticsStack) -> None:
    hidden = hidden_words(api)
    checked = exact = 0
    for file in api.truth.files:
        body = api.client.get(f"{API}/documents/{api.doc_id(file.file_name)}/redactions").json()
        for page in file.pages:
            boxes: list[dict[str, Any]] = next((p["boxes"] for p in body["pages"] if p["number"] == page.number), [])
            for box in boxes:
                assert not leaks_in(box["label"], hidden), (file.file_name, page.number, box["label"])
            if page.kind == "scanned":
                continue  # OCR'd stamps are read off the image: no covered word there, exact text varies
            visible = " ".join(page.text.split())
            for truth in page.redactions:
                position = released_position(truth, page.rotation_degrees, page.width, page.height)
                best = max(boxes, key=lambda b: iou(position, (b["x0"], b["y0"], b["x1"], b["y1"])), default=None)
                if best is None or iou(position, (best["x0"], best["y0"], best["x1"], best["y1"])) < MATCH_IOU:
                    continue
                checked += 1
                where = (file.file_name, page.number, truth.label_position, best["label"])
                if truth.label_position in ("after", "inside"):
                    assert best["label"] == truth.label, where
                    exact += 1
                elif truth.label_position == "none":
                    assert best["label"] == "", where
                else:  # the margin stamp of the line, as printed there
                    assert best["label"] == "" or best["label"] in visible, where
    failed_boxes = sum(len(p.redactions) for _, p in failed_pages(api))
    print(f"labels: {checked} text-layer boxes checked, {exact} against a printed stamp")
    assert checked >= 60 and exact >= 40 and failed_boxes >= 5


def every_json_and_csv_answer(api: AnalyticsStack) -> Iterator[tuple[str, str]]:
    """Every GET route of the app with a text answer, with each path parameter filled from the sample
    (every document and page, both productions, every claimed code, every entity). A route with a
    path parameter this does not know fails the test, so a new route cannot go unchecked."""
    client = api.client
    doc_ids = [api.doc_id(f.file_name) for f in api.truth.files]
    pages = {api.doc_id(f.file_name): [p.number for p in f.pages] for f in api.truth.files}
    productions = [api.main_production, api.first_release_production]
    codes = sorted({s["code"] for s in client.get(f"{API}/analytics/exemptions").json()["items"]})
    entities: list[str] = []
    cursor: str | None = ""
    while cursor is not None:
        listed = client.get(f"{API}/entities", params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
        entities += [e["id"] for e in listed["items"]]
        cursor = listed["next_cursor"]
    queries = ["Axon", "redacted", *sorted(hidden_words(api))]
    saved_searches, watchlists = workspace_items(api)
    spec = client.get(f"{API}/openapi.json").json()
    routes = 0
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        media = set(get["responses"].get("200", {}).get("content", {}))
        if media and not media & {"application/json", "text/csv", "application/x-ndjson"}:
            continue  # page images and the agency's own PDF (docs/ANALYTICS.md: the original keeps its text)
        routes += 1
        names = re.findall(r"{(\w+)}", path)
        fills: list[dict[str, str]] = [{}]
        for name in names:
            if name == "document_id":
                fills = [{**f, name: d} for f in fills for d in doc_ids]
            elif name == "number":
                fills = [{**f, name: str(n)} for f in fills for n in pages[f["document_id"]]]
            elif name == "production_id":
                fills = [{**f, name: p} for f in fills for p in productions]
            elif name == "code":
                fills = [{**f, name: c} for f in fills for c in codes]
            elif name == "entity_id":
                fills = [{**f, name: e} for f in fills for e in entities]
            elif name == "saved_search_id":
                fills = [{**f, name: s} for f in fills for s in saved_searches]
            elif name == "watchlist_id":
                fills = [{**f, name: w} for f in fills for w in watchlists]
            else:
                raise AssertionError(f"{path}: no sample value for {{{name}}}; teach this test")
        variants: list[dict[str, str]] = [{}]
        if path.endswith("/vaughn"):
            variants = [{"format": "json"}, {"format": "csv"}]
        elif path.endswith("/export"):
            variants = [{"q": q, "format": f} for q in queries for f in ("csv", "ndjson")]
        elif path.endswith(("/search", "/hits", "/histogram")):
            variants = [{"q": q} for q in queries]
        elif path.endswith("/report"):
            variants = [{"format": "json"}, {"format": "csv"}]
        elif path.endswith("/analytics/exemptions"):
            variants = [{"group_by": g} for g in ("production", "agency", "month", "none")]
        for fill in fills:
            url = API + path.removeprefix(API).format(**fill)
            for params in variants:
                response = client.get(url, params=params)
                assert response.status_code < 500, (url, params, response.text[:300])
                yield f"{url} {params}", response.text + " " + str(dict(response.headers))
    assert routes >= 20


def workspace_items(api: AnalyticsStack) -> tuple[list[str], list[str]]:
    """A saved search and a screened watchlist in each collection, whose queries are words printed beside
    the boxes (never a covered word: the catalog keeps what readers typed, and the test below reads every
    table), so their answers (a re-run, a report) are checked too."""
    client = api.client
    saved: list[str] = []
    watched: list[str] = []
    for production in (api.main_production, api.first_release_production):
        collection = client.get(f"{API}/productions/{production}").json()["collection"]["id"]
        made = client.post(
            f"{API}/saved-searches", json={"name": f"redacted {production}", "q": "redacted", "collection": collection}
        )
        assert made.status_code == 201, made.text
        saved.append(made.json()["id"])
        listed = client.post(
            f"{API}/watchlists",
            json={"name": f"sample {production}", "terms": ["Axon", "redacted", "b6"], "collection": collection},
        )
        assert listed.status_code == 201, listed.text
        watchlist = listed.json()["id"]
        watched.append(watchlist)
        started = client.post(f"{API}/watchlists/{watchlist}/screen", json={})
        assert started.status_code == 202, started.text
        deadline = time.monotonic() + 120
        while (run := client.get(f"{API}/watchlists/{watchlist}/report").json()["run"])["status"] != "done":
            assert run["status"] != "failed" and time.monotonic() < deadline, run
            time.sleep(0.2)
    return saved, watched


def test_no_response_carries_a_covered_word(api: AnalyticsStack) -> None:
    hidden = hidden_words(api)
    answers = 0
    for where, body in every_json_and_csv_answer(api):
        answers += 1
        assert not leaks_in(body, hidden), where
    print(f"covered words: {answers} answers checked")


def test_no_catalog_table_and_no_log_holds_a_covered_word(api: AnalyticsStack) -> None:
    hidden = hidden_words(api)
    engine = api.stack.catalog.db.reader
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            if table == "audit_log":
                # What readers typed, such as the exports above that search for the covered words.
                rows = [r for r in rows if r.action != "search.export"]
            assert not leaks_in(" ".join(str(tuple(r)) for r in rows), hidden), table
    assert api.ingest_logs, "the worker logged nothing: the capture is broken"
    assert not leaks_in(" ".join(str(e) for e in api.ingest_logs), hidden)


def test_labels_stored_before_the_fix_are_never_answered_and_reanalyze_cleans_them(api: AnalyticsStack) -> None:
    """A catalog written by the earlier detector holds labels such as "Gregory (b)(6), (b)(7)(C) Ilves":
    the words under the box around the stamp. Built here from the truth, then read and restamped."""
    from ingest.reanalyze import restamp_labels

    file, page = failed_pages(api)[0]
    doc_id = api.doc_id(file.file_name)
    stale = {
        truth.label: f"{truth.leaked_text.split()[0]} {truth.label} {' '.join(truth.leaked_text.split()[1:])}"
        for truth in page.redactions
        if truth.label and truth.leaked_text
    }
    assert stale
    engine = api.stack.catalog.db.writer
    try:
        with engine.begin() as conn:
            for clean, old in stale.items():
                conn.execute(
                    update(redaction_boxes)
                    .where(redaction_boxes.c.document_id == doc_id, redaction_boxes.c.label == clean)
                    .values(label=old)
                )
        body = api.client.get(f"{API}/documents/{doc_id}/redactions").json()
        labels = [b["label"] for p in body["pages"] if p["number"] == page.number for b in p["boxes"]]
        assert not leaks_in(" ".join(labels), hidden_words(api))
        assert set(stale) <= set(labels)
    finally:
        changed = restamp_labels(api.stack.catalog)
    with engine.connect() as conn:
        stored = conn.execute(
            select(redaction_boxes.c.label).where(
                redaction_boxes.c.document_id == doc_id, redaction_boxes.c.page_number == page.number
            )
        ).scalars()
        stored_labels = list(stored)
    assert changed >= len(stale)
    assert not leaks_in(" ".join(stored_labels), hidden_words(api))
    assert set(stale) <= set(stored_labels)
