"""Redactions found on the ingested sample, checked against the generator's truth.json."""

from __future__ import annotations

from tests.analytics.conftest import AnalyticsStack, iou, released_position

# A detected box matches a truth box at this intersection over union (boxes are one line of text tall,
# so 0.5 allows about 3 pt of disagreement at the edges).
MATCH_IOU = 0.5


def test_boxes_and_their_codes_match_the_truth(api: AnalyticsStack) -> None:
    store = api.stack.catalog.analytics
    tp = fp = fn = codes_right = 0
    for file in api.truth.files:
        stored = store.boxes([api.doc_id(file.file_name)])
        for page in file.pages:
            found = [b for b in stored if b.page_number == page.number]
            wanted = [
                (released_position(t, page.rotation_degrees, page.width, page.height), t.codes) for t in page.redactions
            ]
            unmatched = list(found)
            for position, codes in wanted:
                best = max(unmatched, key=lambda b: iou(position, (b.x0, b.y0, b.x1, b.y1)), default=None)
                if best is not None and iou(position, (best.x0, best.y0, best.x1, best.y1)) >= MATCH_IOU:
                    tp += 1
                    unmatched.remove(best)
                    codes_right += set(best.codes) == set(codes)
                else:
                    fn += 1
            fp += len(unmatched)
            assert all(b.source == ("image" if page.kind == "scanned" else "text_layer") for b in found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"boxes: tp={tp} fp={fp} fn={fn} P={precision:.3f} R={recall:.3f} F1={f1:.3f} codes {codes_right}/{tp}")
    # Issue 8's target is F1 >= 0.9; measured 1.0 on seed 0 (bench/RESULTS.md).
    assert f1 >= 0.9
    assert codes_right / tp >= 0.85


def test_a_failed_redaction_is_flagged_and_its_text_reaches_no_reader(api: AnalyticsStack) -> None:
    failed = [(f, p) for f in api.truth.files for p in f.pages if p.failed_redaction]
    assert failed
    for file, page in failed:
        doc_id = api.doc_id(file.file_name)
        leaked = [t.leaked_text for t in page.redactions if t.leaked_text]
        stored = api.stack.catalog.documents.page(doc_id, page.number).text
        shown = api.client.get(f"/api/v1/documents/{doc_id}/pages/{page.number}").json()
        for words in leaked:
            assert words not in stored
            assert words not in shown["text"]
            term = max(words.split(), key=len).strip("$(),.")
            hits = api.client.get("/api/v1/search", params={"q": f'"{term}"'}).json()
            assert all(words not in p["snippet"] for item in hits["items"] for p in item["best_pages"])
            assert not any(item["document_id"] == doc_id for item in hits["items"]), term
        redactions = api.client.get(f"/api/v1/documents/{doc_id}/redactions").json()
        assert redactions["failed_redaction_pages"] == [page.number]
        report = api.client.get("/api/v1/analytics/failed-redactions").json()["items"]
        assert [(r["document_id"], r["page_number"]) for r in report] == [(doc_id, page.number)]
        assert report[0]["boxes"] == len(leaked)
        assert not any(w in str(report) for w in leaked)


def test_slip_sheets_are_pages_withheld_in_full(api: AnalyticsStack) -> None:
    # The generator's only slip sheet: the last page of the CBP memo ("WITHHELD IN FULL ... (b)(7)(E)").
    slips = {
        (api.doc_id(f.file_name), p.number)
        for f in api.truth.files
        for p in f.pages
        if p.text.upper().startswith("WITHHELD IN FULL")
    }
    assert slips
    withheld = api.client.get("/api/v1/analytics/withheld").json()["items"]
    assert {(w["document_id"], w["page_number"]) for w in withheld} == slips
    assert all(w["kind"] == "withheld_in_full" and "b7E" in w["codes"] for w in withheld)
