"""The analytics in the browser (real `foia serve`, real chromium): the exemption chart and Vaughn
download on the production page, the failed-redaction warning, and the side-by-side re-release view.
Uses the browser tests' server and sample production (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_production_page_shows_exemption_claims_and_downloads_the_vaughn_index(
    page: Any, sample_production: dict[str, Any]
) -> None:
    page.goto(f"/productions/{sample_production['id']}")
    card = page.get_by_role("region", name="Exemptions and redactions")
    expect(card).to_be_visible()
    chart = card.locator("svg.exemption-bars")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile(r"\(b\)\(6\)"))
    alert = card.get_by_role("alert")
    expect(alert).to_contain_text("Failed redaction on 1 page")
    expect(card.locator(".withheld-pages")).to_contain_text("Withheld in full")
    with page.expect_download() as info:
        card.get_by_role("button", name="Vaughn index (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as f:
        header = f.readline()
    assert header.startswith("document_id,title,bates,page_number")


def test_releases_side_by_side(page: Any, live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        items = client.get("/api/v1/search", params={"q": '"Clearview"', "limit": 50}).json()["items"]
    rerelease = next(i for i in items if "re-release" in (i["title"] or ""))
    page.goto(f"/documents/{rerelease['document_id']}/releases")
    pairs = page.locator(".release-pair")
    expect(pairs.first).to_be_visible()
    assert pairs.count() >= 3
    expect(pairs.first.locator("img.release-image").first).to_have_attribute("src", re.compile(r"^blob:"))
    expect(page.locator(".release-only").first).to_contain_text("Shown here, not in the other release")
