"""Uploaders' API: create a production, upload many files in one request, watch progress, retry failures."""

from __future__ import annotations

import io
import zipfile

from tests import factories
from tests.api.conftest import ApiStack


def test_create_list_and_conflict(api: ApiStack) -> None:
    created = api.client.post("/api/v1/productions", json={"name": "FBI 2019-11", "collection": "default"})
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "FBI 2019-11" and body["collection"]["name"] == "default"
    assert body["progress"]["files"]["total"] == 0
    again = api.client.post("/api/v1/productions", json={"name": "FBI 2019-11"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    names = [p["name"] for p in api.client.get("/api/v1/productions").json()["items"]]
    assert {"Sample production", "FBI 2019-11"} <= set(names)


def test_upload_many_files_and_a_zip_then_progress_failures_and_retry(api: ApiStack) -> None:
    production = api.client.post("/api/v1/productions", json={"name": "Bulk upload"}).json()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("memos/memo.pdf", factories.born_digital_pdf(["ICE signed a Clearview AI contract."]))
        z.writestr("../escape.pdf", factories.born_digital_pdf(["hostile"]))
    files = [
        (
            "files",
            ("letter.pdf", factories.born_digital_pdf(["The DEA bought Cellebrite UFED licences."]), "application/pdf"),
        ),
        ("files", ("locked.pdf", factories.encrypted_pdf(), "application/pdf")),
        ("files", ("notes.pdf", b"just some words", "application/pdf")),
        ("files", ("release.zip", archive.getvalue(), "application/zip")),
        (
            "files",
            (
                "letter again.pdf",
                factories.born_digital_pdf(["The DEA bought Cellebrite UFED licences."]),
                "application/pdf",
            ),
        ),
    ]
    response = api.client.post(f"/api/v1/productions/{production['id']}/files", files=files)
    assert response.status_code == 202
    body = response.json()
    accepted = [(f["name"], f["status"]) for f in body["accepted"]]
    assert accepted == [
        ("letter.pdf", "pending"),
        ("locked.pdf", "pending"),
        ("release.zip/memos/memo.pdf", "pending"),
        ("letter.pdf", "pending"),  # the same content again: the file already recorded, not a second row
    ]
    assert body["accepted"][0]["id"] == body["accepted"][3]["id"]
    rejected = {f["name"]: f["error"] for f in body["rejected"]}
    assert "text file" in rejected["notes.pdf"]
    assert "escapes" in rejected["release.zip/../escape.pdf"]

    api.stack.run_until_idle()
    progress = api.client.get(f"/api/v1/productions/{production['id']}").json()["progress"]
    assert progress["finished"] is True
    assert progress["files"] == {
        "total": 5,
        "pending": 0,
        "processing": 0,
        "done": 2,
        "failed": 3,
        "duplicate": 0,
    }
    assert progress["pages"] == {"total": 2, "text_layer": 2, "ocr": 0, "with_warnings": 0}
    failed = api.client.get(f"/api/v1/productions/{production['id']}/files", params={"status": "failed"}).json()
    reasons = {f["name"]: f["error"] for f in failed["items"]}
    assert set(reasons) == {"locked.pdf", "notes.pdf", "release.zip/../escape.pdf"}
    assert "encrypted" in reasons["locked.pdf"]
    # Each failure is the file's own (encrypted, not a PDF, a hostile path): none is worth a retry, and the
    # production says so, so no "Retry 3 failed files" is offered to answer "Queued 0".
    assert [f["retryable"] for f in failed["items"]] == [False, False, False]
    assert progress["retryable"] == 0

    retried = api.client.post(f"/api/v1/productions/{production['id']}/retry")
    assert retried.json() == {"queued": 0}
    api.stack.run_until_idle()
    assert api.client.get(f"/api/v1/productions/{production['id']}").json()["progress"]["files"]["failed"] == 3


def test_malformed_requests_are_4xx_problems(api: ApiStack) -> None:
    cases = [
        api.client.post("/api/v1/productions", content=b"{not json", headers={"content-type": "application/json"}),
        api.client.post("/api/v1/productions", json={"name": ""}),
        api.client.post("/api/v1/productions", json={}),
        api.client.get("/api/v1/productions/prd_missing"),
        api.client.post(f"/api/v1/productions/{api.production_id}/files"),
        api.client.get(f"/api/v1/productions/{api.production_id}/files", params={"status": "exploded"}),
        api.client.post("/api/v1/productions/prd_missing/retry"),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(response.json())


def test_an_upload_sent_again_after_a_crash_records_each_file_once(api: ApiStack) -> None:
    production = api.client.post("/api/v1/productions", json={"name": "Sent twice"}).json()
    url = f"/api/v1/productions/{production['id']}/files"
    parts = [
        ("files", (f"memo {n}.pdf", factories.born_digital_pdf([f"Memo number {n} of the re-sent upload."]), "x"))
        for n in range(3)
    ]
    cut_short = api.client.post(url, files=parts[:2]).json()  # the connection dropped after two files
    resent = api.client.post(url, files=parts).json()
    assert [f["id"] for f in resent["accepted"][:2]] == [f["id"] for f in cut_short["accepted"]]
    assert resent["progress"]["files"]["total"] == 3
    api.stack.run_until_idle()
    progress = api.client.get(url.removesuffix("/files")).json()["progress"]["files"]
    assert (progress["total"], progress["done"], progress["duplicate"]) == (3, 3, 0)
    again = api.client.post(url, files=parts).json()  # and once more, everything done
    assert [f["status"] for f in again["accepted"]] == ["done", "done", "done"]
    assert again["progress"]["files"]["total"] == 3
    listed = api.client.get(url, params={"limit": 100}).json()["items"]
    assert sorted(f["name"] for f in listed) == ["memo 0.pdf", "memo 1.pdf", "memo 2.pdf"]
