"""Review tags in the browser: toggle buttons under each result and in the viewer, their keyboard
shortcuts, the tag facet, and bulk tagging from the results behind a confirmation that names the count;
each checked against what the API then holds, and the screens (dialog open too) against axe."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, TAGS, _serious

pytestmark = pytest.mark.browser

API = "/api/v1"


def _api(live_server: str) -> httpx.Client:
    return httpx.Client(base_url=live_server, timeout=60)


def _untag_everything(live_server: str) -> None:
    """A rerun against a kept server starts clean: every tag of every document and page removed, one by one
    (the bulk endpoint's rate limit is for people, not for clean-ups)."""
    with _api(live_server) as client:
        tagged = {"q": "tag:hot OR tag:relevant OR tag:privileged OR tag:needs-review", "limit": "100"}
        found = client.get(f"{API}/search", params=tagged).json()["items"]
        for item in found:
            doc = item["document_id"]
            tags = client.get(f"{API}/documents/{doc}/tags").json()
            for t in tags["tags"]:
                client.delete(f"{API}/documents/{doc}/tags/{t['tag']}").raise_for_status()
            for number, on_page in tags["pages"].items():
                for t in on_page:
                    client.delete(f"{API}/documents/{doc}/pages/{number}/tags/{t['tag']}").raise_for_status()


def _tags_of(live_server: str, document_id: str) -> dict[str, Any]:
    with _api(live_server) as client:
        body: dict[str, Any] = client.get(f"{API}/documents/{document_id}/tags").json()
    return body


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return _serious(page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS))


@pytest.fixture
def tab(browser: Any, live_server: str) -> Any:
    """A tab whose page axe can be injected into (the UI's CSP allows no inline script)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_result_tag_buttons_keys_and_the_tag_facet(tab, live_server, screenshot):
    page = tab
    _untag_everything(live_server)
    page.goto("/search?q=clearview")
    first = page.locator(".result").first
    bar = first.locator(".tag-bar")
    expect(bar.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "false")
    document_id = first.locator(".result-title a").get_attribute("href").split("/documents/")[1].split("?")[0]

    bar.get_by_role("button", name="Hot").click()
    expect(bar.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "true")
    assert [t["tag"] for t in _tags_of(live_server, document_id)["tags"]] == ["hot"]

    # Keys: j makes the first result current, then the digit of a tag's place toggles it there.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    expect(first).to_have_class("result current")
    place = bar.locator(".tag-toggle").all_inner_texts().index("Relevant") + 1
    page.keyboard.press(str(place))
    expect(bar.get_by_role("button", name="Relevant")).to_have_attribute("aria-pressed", "true")
    assert sorted(t["tag"] for t in _tags_of(live_server, document_id)["tags"]) == ["hot", "relevant"]
    page.keyboard.press(str(place))
    expect(bar.get_by_role("button", name="Relevant")).to_have_attribute("aria-pressed", "false")
    assert [t["tag"] for t in _tags_of(live_server, document_id)["tags"]] == ["hot"]

    # The tag facet counts it and filters by it.
    page.goto("/search?q=clearview")
    facet = page.locator("fieldset", has_text="Tags")
    expect(facet).to_contain_text("hot")
    facet.get_by_label("hot").check()
    expect(page).to_have_url(re.compile(r"[?&]tag=hot"))
    expect(page.locator(".result")).to_have_count(1)
    expect(page.locator(".result .result-title a")).to_have_attribute("href", re.compile(re.escape(document_id)))
    screenshot(page, "tags-results")
    assert _axe(page) == []
    _untag_everything(live_server)


def test_bulk_tagging_confirms_the_count_before_changing_anything(tab, live_server, screenshot):
    page = tab
    _untag_everything(live_server)
    with _api(live_server) as client:
        total = client.get(f"{API}/search", params={"q": '"face recognition"', "limit": 1}).json()
    page.goto("/search?q=%22face+recognition%22")
    expect(page.locator(".result").first).to_be_visible()
    page.get_by_role("button", name="Tag results…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    # Other browser tests' matters share this server: the tag is changed in the sample's collection.
    collection = dialog.get_by_label("Collection")
    if collection.is_visible():
        collection.select_option(label="default")
    dialog.get_by_label("Tag", exact=True).select_option("privileged")
    n = total["total_documents"]
    expect(dialog).to_contain_text(f"Add “Privileged” to {n} document")
    dialog.get_by_label("What").select_option("page")
    expect(dialog).to_contain_text(f"Add “Privileged” to {total['total_pages']} page")
    dialog.get_by_label("What").select_option("document")
    screenshot(page, "tags-bulk-dialog")
    assert _axe(page) == []
    # Cancel changes nothing.
    dialog.get_by_role("button", name="Cancel").click()
    with _api(live_server) as client:
        assert client.get(f"{API}/search", params={"q": "tag:privileged"}).json()["total_documents"] == 0

    page.get_by_role("button", name="Tag results…").click()
    dialog.get_by_role("button", name=f"Tag {n} document").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".result").first.get_by_role("button", name="Privileged")).to_have_attribute(
        "aria-pressed", "true"
    )
    with _api(live_server) as client:
        tagged = client.get(f"{API}/search", params={"q": 'tag:privileged "face recognition"'}).json()
        assert tagged["total_documents"] == n
        assert client.get(f"{API}/search", params={"q": "tag:privileged"}).json()["total_documents"] == n
    _untag_everything(live_server)


def test_viewer_tags_the_page_and_the_document_by_button_and_key(tab, live_server, screenshot):
    page = tab
    _untag_everything(live_server)
    with _api(live_server) as client:
        hit = client.get(f"{API}/search", params={"q": "clearview", "limit": 1}).json()["items"][0]
    document_id, number = hit["document_id"], hit["best_pages"][0]["page_number"]
    page.goto(f"/documents/{document_id}?page={number}&q=clearview")
    pane = page.locator(".viewer-tags")
    page_bar = pane.get_by_role("group", name=f"Tags of page {number}")
    document_bar = pane.get_by_role("group", name="Tags of the document")
    expect(page_bar.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "false")
    place = page_bar.locator(".tag-toggle").all_inner_texts().index("Hot") + 1

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press(str(place))
    expect(page_bar.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "true")
    tags = _tags_of(live_server, document_id)
    assert {n: [t["tag"] for t in v] for n, v in tags["pages"].items()} == {str(number): ["hot"]}
    assert tags["tags"] == []

    page.keyboard.press(f"Shift+Digit{place}")
    expect(document_bar.get_by_role("button", name="Hot")).to_have_attribute("aria-pressed", "true")
    assert [t["tag"] for t in _tags_of(live_server, document_id)["tags"]] == ["hot"]

    needs = document_bar.get_by_role("button", name="Needs review")
    needs.click()
    expect(needs).to_have_attribute("aria-pressed", "true")
    with _api(live_server) as client:
        found = client.get(f"{API}/search", params={"q": "tag:needs-review"}).json()["items"]
    assert [d["document_id"] for d in found] == [document_id]
    screenshot(page, "tags-viewer")
    assert _axe(page) == []
    _untag_everything(live_server)
