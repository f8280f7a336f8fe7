"""Watchlists in the browser: terms that cannot be kept are shown at their lines (blank lines counted) and
nothing is saved; a watchlist screened against the sample production shows its search term report, the
figures of the API's report, with links that open each term's results; the screens pass axe-core."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, PageProblems
from tests.browser.test_accessibility import AXE, TAGS, _serious

pytestmark = pytest.mark.browser

TERMS = ["Clearview AI", '"face recognition"', "cellebrite", "qzxwvunmatched"]


@pytest.fixture
def axe_page(browser: Any, live_server: str) -> Iterator[Any]:
    """A tab axe-core can be added to (the CSP refuses its inline script); script errors still fail."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server, bypass_csp=True, accept_downloads=True)
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems = PageProblems()
    tab.on("pageerror", problems.on_page_error)
    yield tab
    context.close()
    assert not problems.errors, problems.errors


def _axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return _serious(page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS))


def _choose_default_collection(page: Any) -> None:
    select = page.locator("#new-watchlist-collection")
    # The collections load after the page: wait for them before looking whether there is a choice.
    page.wait_for_function("() => document.querySelector('#new-watchlist-collection')?.options.length > 0")
    if select.is_visible():  # other tests may have made more collections
        select.select_option(label="default")


def test_terms_that_cannot_be_kept_are_shown_at_their_lines(axe_page, live_server, screenshot):
    page = axe_page
    name = f"Broken {uuid.uuid4().hex[:6]}"
    page.goto("/watchlists")
    expect(page.get_by_role("heading", name="Watchlists", level=1)).to_be_visible()
    _choose_default_collection(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Terms, one per line").fill('clearview\n\nface AND\n"unclosed\nclearview')
    page.get_by_role("button", name="Create watchlist").click()
    errors = page.locator(".term-error-list li")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("Line 3")
    expect(errors.nth(0)).to_contain_text("face AND")
    expect(errors.nth(1)).to_contain_text("Line 4")
    expect(errors.nth(2)).to_contain_text("Line 5")
    expect(errors.nth(2)).to_contain_text("term 1")
    textarea = page.get_by_label("Terms, one per line")
    expect(textarea).to_have_attribute("aria-invalid", "true")
    # The cursor is put on the first bad term, from the character the parser points at.
    assert textarea.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == "AND"
    errors.nth(1).get_by_role("button").click()
    assert textarea.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == '"unclosed'
    screenshot(page, "term-errors")
    assert not _axe(page), _axe(page)
    listed = httpx.get(f"{live_server}/api/v1/watchlists", params={"limit": 500}).json()["items"]
    assert name not in [w["name"] for w in listed]  # nothing was kept


def test_a_screened_watchlist_shows_its_report_with_links(axe_page, live_server, sample_production, screenshot):
    page = axe_page
    name = f"Vendors {uuid.uuid4().hex[:6]}"
    page.goto("/watchlists")
    _choose_default_collection(page)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Terms, one per line").fill("\n".join(TERMS))
    page.get_by_role("button", name="Create watchlist").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text("Not screened yet.")).to_be_visible()
    watchlist_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.get_by_label("Screen").select_option(label=sample_production["name"])
    page.get_by_role("button", name="Screen now").click()
    table = page.locator(".report-table")
    expect(table).to_be_visible(timeout=120_000)
    screenshot(page, "report")
    report = httpx.get(
        f"{live_server}/api/v1/watchlists/{watchlist_id}/report", params={"production": sample_production["id"]}
    ).json()
    assert report["run"]["status"] == "done" and [i["term"] for i in report["items"]] == TERMS
    assert sum(1 for i in report["items"] if i["pages"]) >= 2
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(TERMS))
    for n, item in enumerate(report["items"]):
        cells = rows.nth(n).locator("td")
        shown = [cells.nth(k).inner_text().replace(",", "") for k in range(3)]
        assert shown == [str(item["documents"]), str(item["pages"]), str(item["unique_pages"])], item
    expect(page.get_by_role("button", name="Download report as CSV")).to_be_visible()
    assert not _axe(page), _axe(page)

    first = next(i for i in report["items"] if i["pages"])
    page.get_by_role("link", name=f"Show results for {first['term']}").click()
    expect(page).to_have_url(re.compile(r"/search\?"))
    assert f"production={sample_production['id']}" in page.url
    expect(page.locator(".result").first).to_be_visible()
    searched = httpx.get(
        f"{live_server}/api/v1/search", params={"q": first["term"], "production": sample_production["id"]}
    ).json()
    assert searched["total_documents"] == first["documents"]
    expect(page.locator(".result")).to_have_count(min(first["documents"], 20))
    screenshot(page, "term-results")

    page.goto("/watchlists")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    assert not _axe(page), _axe(page)
