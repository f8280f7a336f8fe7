"""Document viewer: opens at the hit's page with the page image and highlighted text, steps through
hits across pages, shows the page's Bates number, entities and exemptions, copies a citation,
downloads the original PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _open_first_hit(page, query: str) -> int:
    page.goto(f"/search?q={query}")
    link = page.locator(".result .best-page a.page-ref").first
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    match = re.search(r"page=(\d+)", href)
    assert match, href
    link.click()
    return int(match.group(1))


def test_viewer_opens_at_the_hit_page(page, screenshot):
    number = _open_first_hit(page, "rekognition")
    expect(page).to_have_url(re.compile(rf"/documents/[^/?]+\?page={number}&q=rekognition"))
    expect(page.locator("#page-input")).to_have_value(str(number))
    expect(page.locator(".page-text mark").first).to_have_text(re.compile("rekognition", re.I))
    expect(page.locator(".page-text mark.current")).to_have_count(1)
    expect(page.locator(".hit-status")).to_contain_text(re.compile(r"Hit \d+ of \d+"))
    page.wait_for_function("() => document.querySelector('.page-image')?.naturalWidth > 0")
    facts = page.locator(".page-facts")
    expect(facts).to_contain_text(f"Page {number}")
    bates = facts.locator("dd.bates").inner_text().strip()
    citation = page.locator("#citation")
    expect(citation).to_contain_text(f"p. {number} of '")
    expect(citation).to_contain_text("production '")
    if bates and bates != "—":
        expect(citation).to_have_text(re.compile(rf"^{re.escape(bates)} \(p\. {number} of '"))
    expect(page.locator(".page-facts")).to_contain_text("Entities on this page")
    screenshot(page, "hit-page")
    screenshot(page, "hit-page-window", full_page=False)


def test_stepping_through_hits_across_pages(page, screenshot):
    _open_first_hit(page, "amazon")
    status = page.locator(".hit-status")
    expect(status).to_contain_text(re.compile(r"Hit \d+ of \d+"))
    total = int(re.search(r"of (\d+)", status.inner_text()).group(1))  # type: ignore[union-attr]
    hit_pages = page.locator(".doc-panel .page-chips li")
    expect(hit_pages.first).to_be_visible()
    pages_with_hits = hit_pages.count()
    # Start from the first hit of the document, then press "n" until the last.
    first_page = page.locator(".doc-panel .page-chips a").first
    first_page.click()
    expect(status).to_have_text(f"Hit 1 of {total}")
    seen_pages = {page.locator("#page-input").input_value()}
    for ordinal in range(2, total + 1):
        page.locator("body").press("n")
        expect(status).to_have_text(f"Hit {ordinal} of {total}")
        seen_pages.add(page.locator("#page-input").input_value())
    assert len(seen_pages) == pages_with_hits
    expect(page.get_by_role("button", name="Next hit ›")).to_be_disabled()
    page.get_by_role("button", name="‹ Previous hit").click()
    expect(status).to_have_text(f"Hit {max(1, total - 1)} of {total}")
    screenshot(page, "stepped", full_page=False)


def test_citation_copy_and_pdf_download(page, screenshot):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open_first_hit(page, "clearview")
    citation = page.locator("#citation")
    expect(citation).to_contain_text("p. ")
    page.get_by_role("button", name="Copy citation").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == citation.inner_text()
    screenshot(page, "citation-copied", full_page=False)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    assert Path(info.value.path()).read_bytes()[:5] == b"%PDF-"


def test_page_and_range_citations_mark_inferred_bates(page, server_url, screenshot):
    import uuid

    import httpx

    from tests.browser.conftest import wait_for_production
    from tests.factories import BATES_GAP_PAGES, bates_gap_pdf

    tag = f"stamps{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=server_url, timeout=120) as client:
        production = client.post("/api/v1/productions", json={"name": f"Stamps {tag}"}).json()
        sent = client.post(
            f"/api/v1/productions/{production['id']}/files",
            files=[("files", (f"{tag}.pdf", bates_gap_pdf(tag), "application/pdf"))],
        )
        assert sent.status_code == 202, sent.text
        wait_for_production(client, production["id"])
        document_id = client.get("/api/v1/search", params={"q": tag}).json()["items"][0]["document_id"]
    where = f"of '{tag}.pdf', production 'Stamps {tag}')"
    inferred = next(n for n, (_, _, guessed) in enumerate(BATES_GAP_PAGES, start=1) if guessed)
    value = BATES_GAP_PAGES[inferred - 1][1]
    assert value is not None
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.goto(f"/documents/{document_id}?page={inferred}")
    expect(page.locator(".page-facts dd.bates")).to_have_text(f"{value} (inferred)")
    expect(page.locator("#citation")).to_have_text(f"{value} (inferred) (p. {inferred} {where}")

    # The range of the example: from the inferred page to the last stamp of its sequence.
    prefix = value.split("-")[0] + "-"
    last_stamped = max(
        n for n, (stamp, _, _) in enumerate(BATES_GAP_PAGES, start=1) if stamp and stamp.startswith(prefix)
    )
    last_value = BATES_GAP_PAGES[last_stamped - 1][1]
    page.get_by_label("Cite pages").fill(str(inferred))
    page.get_by_label("to", exact=True).fill(str(last_stamped))
    expected = f"{value} (inferred) to {last_value} (pp. {inferred}–{last_stamped} {where}"
    expect(page.locator("#range-citation")).to_have_text(expected)
    page.get_by_role("button", name="Copy range citation").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == expected

    page.get_by_label("Cite pages").fill("1")
    first_value = BATES_GAP_PAGES[0][1]
    expect(page.locator("#range-citation")).to_have_text(f"{first_value} to {last_value} (pp. 1–{last_stamped} {where}")
    screenshot(page, "range-citation", full_page=False)
