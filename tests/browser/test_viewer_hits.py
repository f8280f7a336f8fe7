"""The viewer's hit stepping agrees with search: for a phrase, "Hit k of N" counts exactly the phrase's
occurrences in the document (not its words one by one), every step lands on one whole occurrence, and the
pages stepped through are the pages search counts for the document."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_production
from tests.factories import born_digital_pdf

pytestmark = pytest.mark.browser

PHRASE = "face recognition"


def _pages(tag: str) -> list[str]:
    """Occurrences of the phrase written out, with its words alone nearby (decoys that must not count)."""
    return [
        f"Record {tag}. Face detection and iris recognition were reviewed.",
        f"The face recognition pilot ended.\nA second face recognition trial began.\nFace, then recognition of {tag}.",
        "Nothing on this page but the budget.",
        "Face Recognition at the border: the\nface recognition contract was renewed.",
    ]


def test_hit_k_of_n_counts_exactly_the_phrase_occurrences(page, server_url, tmp_path, screenshot):
    tag = f"phrase{uuid.uuid4().hex[:8]}"
    texts = _pages(tag)
    expected = sum(len(re.findall(r"face\s+recognition", t, flags=re.I)) for t in texts)  # 2 + 2 = 4
    pages_expected = [n for n, t in enumerate(texts, start=1) if re.search(r"face\s+recognition", t, flags=re.I)]
    with httpx.Client(base_url=server_url, timeout=120) as client:
        production = client.post("/api/v1/productions", json={"name": f"Hits {tag}"}).json()
        pdf = born_digital_pdf(texts)
        sent = client.post(
            f"/api/v1/productions/{production['id']}/files", files=[("files", (f"{tag}.pdf", pdf, "application/pdf"))]
        )
        assert sent.status_code == 202, sent.text
        wait_for_production(client, production["id"])
        found = client.get("/api/v1/search", params={"q": f'"{PHRASE}" {tag}'}).json()["items"]
        document_id = found[0]["document_id"]
        listed = client.get(f"/api/v1/documents/{document_id}/hits", params={"q": f'"{PHRASE}"'}).json()["pages"]
        searched = client.get("/api/v1/search", params={"q": f'"{PHRASE}"', "production": production["id"]}).json()
    assert [p["page_number"] for p in listed] == pages_expected
    assert sum(p["hits"] for p in listed) == expected
    assert searched["items"][0]["hit_pages"] == len(pages_expected)

    page.goto(f"/documents/{document_id}?page={pages_expected[0]}&q=%22face%20recognition%22")
    status = page.locator(".hit-status")
    expect(status).to_have_text(f"Hit 1 of {expected}")
    stepped = []
    for ordinal in range(1, expected + 1):
        if ordinal > 1:
            page.locator("body").press("n")
        expect(status).to_have_text(f"Hit {ordinal} of {expected}")
        current = page.locator(".page-text mark.current")
        expect(current).to_have_count(1)
        assert re.fullmatch(r"face\s+recognition", current.inner_text().strip(), flags=re.I)
        stepped.append(int(page.locator("#page-input").input_value()))
    assert sorted(set(stepped)) == pages_expected
    expect(page.get_by_role("button", name="Next hit ›")).to_be_disabled()
    screenshot(page, "phrase-hits", full_page=False)
