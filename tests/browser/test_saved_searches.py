"""Saved searches and alerts in the browser, on the real `foia serve` (its in-process worker runs the
production hook and sends deliveries): save the search on screen, a new production brings a match, the
header counts the unread alert, the alerts page lists it and marks it read, the saved-search list says
what is new and opening it runs the search. Every screen passes axe."""

from __future__ import annotations

import io
import re
import time
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from tests.browser.test_notes import _axe_clean, page_without_csp

pytestmark = pytest.mark.browser
__all__ = ["page_without_csp"]

ALERT_SECONDS = 300  # ingest of one page on a loaded machine, then the hook and the upkeep round


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 760, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _release(client: httpx.Client, collection: str, word: str) -> dict[str, Any]:
    """A production in `collection` with one page mentioning `word` (the server processes it)."""
    created = client.post(
        "/api/v1/productions", json={"name": f"Release {uuid.uuid4().hex[:6]}", "collection": collection}
    )
    assert created.status_code == 201, created.text
    production: dict[str, Any] = created.json()
    files = [("files", (f"{word}.pdf", _pdf(f"The {word} memo about the pilot program."), "application/pdf"))]
    assert client.post(f"/api/v1/productions/{production['id']}/files", files=files).status_code == 202
    return production


def _alert_for(client: httpx.Client, saved_search_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + ALERT_SECONDS
    while time.monotonic() < deadline:
        for alert in client.get("/api/v1/alerts", params={"limit": 200}).json()["items"]:
            if alert["saved_search"]["id"] == saved_search_id:
                return alert  # type: ignore[no-any-return]
        time.sleep(1.0)
    raise TimeoutError(f"no alert for {saved_search_id} after {ALERT_SECONDS}s")


def test_save_a_search_get_an_alert_read_it_and_see_what_is_new(page, live_server, screenshot):
    word = f"zephyr{uuid.uuid4().hex[:8]}"
    collection = f"alerts matter {word}"
    with httpx.Client(base_url=live_server, timeout=120) as client:
        client.post("/api/v1/alerts/read", json={})  # earlier tests' alerts: the badge starts at none
        client.post("/api/v1/productions", json={"name": "Opening", "collection": collection})

        page.goto(f"/search?q={word}")
        expect(page.locator(".summary")).to_contain_text("0 documents")
        page.get_by_role("button", name="Save search").click()
        dialog = page.get_by_role("dialog", name="Save this search")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_label("Name")).to_have_value(word)
        dialog.get_by_label("Name").fill("Zephyr watch")
        dialog.get_by_label("Collection").select_option(label=collection)
        expect(dialog.get_by_label("Alert me when a new production brings matching documents")).to_be_checked()
        screenshot(page, "save-dialog")
        dialog.get_by_role("button", name="Save").click()
        expect(dialog).to_be_hidden()
        expect(page.locator("#status")).to_contain_text("Saved “Zephyr watch”")
        (saved,) = [s for s in client.get("/api/v1/saved-searches").json()["items"] if s["name"] == "Zephyr watch"]
        assert saved["q"] == word and saved["alert"] is True and saved["collection"]["name"] == collection

        _release(client, collection, word)
        alert = _alert_for(client, saved["id"])
        assert alert["new_documents"] == 1

    page.goto("/alerts")
    badge = page.locator('[data-nav="alerts"] .unread-badge')
    expect(badge).to_have_text("1 unread")
    item = page.locator(".alert-item.unread", has_text="Zephyr watch")
    expect(item).to_contain_text("Zephyr watch: 1 new document in Release")
    expect(item).to_contain_text(f"({collection})")
    screenshot(page, "alerts")
    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#status")).to_contain_text("1 alert marked read")
    expect(badge).to_be_hidden()
    expect(page.locator(".alert-item.unread")).to_have_count(0)

    page.get_by_role("link", name="Saved searches").first.click()
    row = page.locator("tr", has_text="Zephyr watch")
    expect(row).to_contain_text("1 new")
    screenshot(page, "saved-list")
    row.get_by_role("link", name="Zephyr watch").click()
    expect(page).to_have_url(re.compile(rf"/search\?q={word}$"))
    expect(page.locator(".summary")).to_contain_text("1 document")
    page.go_back()
    expect(page.locator("tr", has_text="Zephyr watch")).not_to_contain_text("1 new")

    page.on("dialog", lambda d: d.accept())
    page.get_by_role("checkbox", name="Alerts for Zephyr watch").uncheck()
    expect(page.locator("#status")).to_contain_text("Alerts off for “Zephyr watch”")
    page.get_by_role("button", name="Delete Zephyr watch").click()
    expect(page.locator("tr", has_text="Zephyr watch")).to_have_count(0)
    assert all(s["name"] != "Zephyr watch" for s in httpx.get(f"{live_server}/api/v1/saved-searches").json()["items"])


def test_the_saved_search_screens_and_the_save_dialog_pass_axe(page_without_csp, live_server, screenshot):
    page = page_without_csp
    word = f"quorvel{uuid.uuid4().hex[:8]}"
    collection = f"axe matter {word}"
    with httpx.Client(base_url=live_server, timeout=120) as client:
        client.post("/api/v1/productions", json={"name": "Opening", "collection": collection})
        created = client.post(
            "/api/v1/saved-searches", json={"name": f"Watch {word}", "q": word, "collection": collection, "alert": True}
        )
        assert created.status_code == 201, created.text
        saved = created.json()
        _release(client, collection, word)
        _alert_for(client, saved["id"])
    try:
        for path, ready in (("/saved", ".saved-table"), ("/alerts", ".alert-item.unread")):
            page.goto(path)
            page.wait_for_selector(ready)
            screenshot(page, f"axe-{path.strip('/')}")
            _axe_clean(page)
        page.goto(f"/search?q={word}")
        page.get_by_role("button", name="Save search").click()
        expect(page.get_by_role("dialog", name="Save this search")).to_be_visible()
        _axe_clean(page)
    finally:
        httpx.delete(f"{live_server}/api/v1/saved-searches/{saved['id']}", timeout=60)
