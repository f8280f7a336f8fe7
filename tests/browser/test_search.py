"""Search page: a phrase with a facet filter, query errors at their position, the histogram brush,
the URL as state (back button), batch search, CSV export, keyboard use and tablet width."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHRASE = '"face recognition"'
VENDOR = "vendor:amazon"


def wait_for_results(page) -> None:
    """Waits until the search answer is drawn (results and facets are marked busy while loading)."""
    expect(page.locator(".results-list")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".facets-panel")).not_to_have_attribute("aria-busy", "true")


def test_phrase_search_with_a_facet_filter(page, screenshot):
    page.goto("/")
    box = page.get_by_label("Search released records")
    box.fill(PHRASE)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=%22face(\+|%20)recognition%22"))
    wait_for_results(page)
    results = page.locator(".result")
    expect(results.first).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("document")
    marks = page.locator(".result .snippet mark")
    expect(marks.first).to_have_text(re.compile(r"face|recognition", re.I))
    before = results.count()
    screenshot(page, "phrase")

    vendor = page.locator(f'.facet[data-facet="vendor"] input[value="{VENDOR}"]')
    expect(vendor).to_be_visible()
    vendor.check()
    expect(page).to_have_url(re.compile(r"vendor=vendor%3Aamazon"))
    wait_for_results(page)
    chip = page.locator(".chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Amazon")
    expect(page.locator(f'.facet[data-facet="vendor"] input[value="{VENDOR}"]')).to_be_checked()
    expect(results.first).to_be_visible()
    assert 1 <= results.count() <= before
    screenshot(page, "phrase-and-vendor")

    # The URL is the state: back removes the filter, forward brings it back.
    page.go_back()
    expect(page.locator(".chip")).to_have_count(0)
    expect(page.get_by_label("Search released records")).to_have_value(PHRASE)
    page.go_forward()
    expect(page.locator(".chip")).to_have_count(1)

    # A chip removes its filter.
    page.get_by_role("button", name=re.compile("Remove filter Vendors: Amazon")).click()
    expect(page.locator(".chip")).to_have_count(0)
    expect(page).not_to_have_url(re.compile("vendor="))


def test_query_error_is_shown_at_its_position(page, live_server, screenshot):
    query = "amazon w/ pilot"
    answer = httpx.get(f"{live_server}/api/v1/search", params={"q": query}, timeout=30)
    assert answer.status_code == 400
    problem = answer.json()
    position = problem["position"]

    page.goto("/search")
    box = page.get_by_label("Search released records")
    box.fill(query)
    box.press("Enter")
    error = page.locator(".query-error")
    expect(error).to_be_visible()
    expect(error.locator(".offender")).to_have_text(query[position] if position < len(query) else " ")
    expect(error.locator(".caret-line")).to_have_text(" " * position + "^")
    expect(error).to_contain_text(problem["detail"])
    expect(box).to_have_attribute("aria-invalid", "true")
    assert box.evaluate("el => el.selectionStart") == position
    screenshot(page, "query-error")

    box.fill("amazon w/5 pilot")
    box.press("Enter")
    expect(error).to_be_hidden()
    expect(box).not_to_have_attribute("aria-invalid", "true")


def test_a_misspelt_vendor_offers_the_closest_names(page, live_server, screenshot):
    query = "vendor:clearveiw"
    answer = httpx.get(f"{live_server}/api/v1/search", params={"q": query}, timeout=30).json()
    assert answer["total_documents"] == 0
    closest = answer["suggestions"][0]["entities"][0]
    assert closest["id"] == "vendor:clearview-ai"
    found = httpx.get(f"{live_server}/api/v1/search", params={"q": "vendor:clearview"}, timeout=30).json()

    page.goto("/search")
    box = page.get_by_label("Search released records")
    box.fill(query)
    box.press("Enter")
    wait_for_results(page)
    offer = page.locator(".did-you-mean")
    expect(offer).to_contain_text("Did you mean")
    screenshot(page, "did-you-mean")
    offer.get_by_role("link", name=closest["name"]).click()
    expect(box).to_have_value(f'vendor:"{closest["name"]}"')
    wait_for_results(page)
    expect(page.locator(".summary")).to_contain_text(f"{found['total_documents']} document")
    expect(page.locator(".did-you-mean")).to_have_count(0)


def test_query_syntax_help_is_one_click_away(page, screenshot):
    page.goto("/search")
    page.get_by_text("Query syntax", exact=True).click()
    help_table = page.locator(".syntax-table")
    expect(help_table).to_be_visible()
    for example in ('"face recognition"', "amazon w/5 pilot", "vendor:cellebrite", "date:[2018-01-01 TO 2019-06-30]"):
        expect(help_table).to_contain_text(example)
    screenshot(page, "syntax-help")
    page.get_by_role("button", name="Use the example amazon w/5 pilot").click()
    expect(page.get_by_label("Search released records")).to_have_value("amazon w/5 pilot")


def test_histogram_brush_filters_a_date_range(page, screenshot):
    page.goto("/search?interval=year")
    overlay = page.locator(".histogram .brush-overlay")
    expect(overlay).to_be_visible()
    bars = page.locator(".histogram .bar")
    assert bars.count() >= 2
    box = overlay.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, y, steps=5)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"date_from=\d{4}-\d{2}-\d{2}.*date_to=\d{4}-\d{2}-\d{2}"))
    expect(page.locator(".chip")).to_contain_text("Dated")
    expect(page.locator(".histogram .bar.selected").first).to_be_attached()
    screenshot(page, "histogram-brushed")


def test_batch_search_counts_each_term(page, screenshot):
    page.goto("/batch")
    page.get_by_label("Terms or queries, one per line").fill('clearview\n"face recognition"\nzzyzx\namazon w/ pilot')
    page.get_by_role("button", name="Count matches").click()
    rows = page.locator(".batch-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0).locator("td.num").first).not_to_have_text("0")
    expect(rows.nth(1).locator("td.num").first).not_to_have_text("0")
    expect(rows.nth(2).locator("td.num").first).to_have_text("0")
    expect(rows.nth(3)).to_contain_text("Query error")
    expect(page).to_have_url(re.compile(r"/batch\?terms="))
    screenshot(page, "batch")


def test_export_csv_of_the_current_results(page, screenshot):
    page.goto("/search?q=%22face+recognition%22")
    expect(page.locator(".result").first).to_be_visible()
    screenshot(page, "before-export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Export CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("document_id")
    assert len(lines) >= 2


def test_search_with_the_keyboard_alone(page, screenshot):
    page.goto("/search")
    expect(page.locator(".summary")).to_contain_text("document")
    # The search field has the focus on load (tests/browser/test_keyboard.py covers the skip links).
    box = page.get_by_label("Search released records")
    expect(box).to_be_focused()
    page.keyboard.type("clearview")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=clearview"))
    wait_for_results(page)
    checkbox_id = page.locator(".facet input[type=checkbox]").first.get_attribute("id")
    first_checkbox = page.locator(f"#{checkbox_id}")
    first_checkbox.focus()
    page.keyboard.press("Space")
    expect(page.locator(".chip")).to_have_count(1)
    # The facets are drawn again for the new results; the focus stays on the same checkbox.
    expect(page.locator(f"#{checkbox_id}")).to_be_checked()
    expect(page.locator(f"#{checkbox_id}")).to_be_focused()
    screenshot(page, "keyboard-focus", full_page=False)
    # Removing the chip from the keyboard moves the focus to the query box.
    page.locator(".chip-remove").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".chip")).to_have_count(0)
    expect(page.get_by_label("Search released records")).to_be_focused()


def test_tablet_width_hides_facets_behind_a_button(tablet_page, screenshot):
    page = tablet_page
    page.goto("/search?q=clearview")
    expect(page.locator(".result").first).to_be_visible()
    panel = page.locator("#facets-panel")
    expect(panel).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters")
    toggle.click()
    expect(panel).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    screenshot(page, "tablet")


def _dates(page) -> list[datetime.date]:
    found = []
    for meta in page.locator(".result .result-meta").all_inner_texts():
        match = re.search(r"Dated (\w{3} \d{1,2}, \d{4})", meta)
        if match:
            found.append(datetime.datetime.strptime(match.group(1), "%b %d, %Y").date())
    return found


def test_paging_on_the_cursor_sorted_by_date(page, screenshot):
    page.goto("/search?sort=date_desc&limit=10")
    wait_for_results(page)
    results = page.locator(".result")
    expect(results).to_have_count(10)
    expect(page.get_by_label("Sort by")).to_have_value("date_desc")
    expect(page.get_by_label("Per page")).to_have_value("10")
    first_page = _dates(page)
    assert first_page == sorted(first_page, reverse=True)
    first_title = results.first.locator(".result-title").inner_text()

    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"cursor=.*page=2|page=2.*cursor="))
    wait_for_results(page)
    expect(page.locator(".pager .page-number")).to_have_text("Page 2")
    expect(results.first).to_be_visible()
    assert results.first.locator(".result-title").inner_text() != first_title
    second_page = _dates(page)
    if first_page and second_page:
        assert second_page[0] <= first_page[-1]
    screenshot(page, "page-2")

    page.get_by_role("link", name="← Previous").click()
    wait_for_results(page)
    expect(page.locator(".pager .page-number")).to_have_text("Page 1")
    expect(results.first.locator(".result-title")).to_have_text(first_title)
    page.go_back()
    expect(page.locator(".pager .page-number")).to_have_text("Page 2")

    page.get_by_label("Sort by").select_option("date_asc")
    expect(page).to_have_url(re.compile(r"sort=date_asc"))
    expect(page).not_to_have_url(re.compile(r"cursor="))
    wait_for_results(page)
    ascending = _dates(page)
    assert ascending == sorted(ascending)


def test_facet_headings_and_entity_types_come_from_the_field_registry(page):
    from search.fields import FIELDS

    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if r.url.split("?")[0].endswith("/api/v1/fields") else None)
    page.goto(f"/search?q={PHRASE}")
    wait_for_results(page)
    assert len(asked) == 1  # read once, before the first screen
    shown = page.locator(".facet").evaluate_all(
        "els => els.map((e) => [e.dataset.facet, e.querySelector('legend').textContent])"
    )
    assert shown, "no facets drawn"
    assert [name for name, _ in shown] == [f for f in FIELDS.facets if f in {name for name, _ in shown}]
    assert all(legend == FIELDS[name].label for name, legend in shown)

    page.goto("/entities")
    # The options are filled from GET /fields after the page loads: wait for the last one before reading.
    expect(page.locator("#entity-type option")).to_have_count(len(FIELDS.entity_types) + 1)
    options = page.locator("#entity-type option").evaluate_all("els => els.map((o) => [o.value, o.textContent])")
    assert options == [[t, FIELDS[t].label_one] for t in FIELDS.entity_types] + [["all", "All types"]]
    expect(page.locator("h1 + p")).to_have_text(
        "Vendors, products, technologies, agencies, organizations and people found in the records."
    )
