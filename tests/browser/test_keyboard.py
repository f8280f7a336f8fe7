"""Keyboard use of the search screen: the query box focused on load, "Skip to results" as the first
focusable element, j/k between results with Enter opening the viewer, and a short Tab path from the query
box to the first result (measured against walking the whole page with Tab)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_search import wait_for_results

pytestmark = pytest.mark.browser

QUERY = "/search?q=clearview"
FIRST_TITLE = ".result >> nth=0 >> .result-title a"
MAX_TABS = 200

IS_FIRST_TITLE = "() => document.activeElement === document.querySelector('.result .result-title a')"
# Elements Tab can reach that come before el in the document (skip links hidden off-screen count too).
TABBABLE_BEFORE = """el => Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(e => !e.disabled && e.getClientRects().length
          && (e.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING))
  .map(e => e.outerHTML.slice(0, 80))"""


def open_results(page: Any) -> None:
    page.goto(QUERY)
    wait_for_results(page)
    expect(page.locator(".result").nth(1)).to_be_visible()


def query_box(page: Any) -> Any:
    return page.get_by_label("Search released records")


def test_the_query_box_is_focused_on_load(page: Any, screenshot: Any) -> None:
    page.goto("/search")
    expect(query_box(page)).to_be_focused()
    page.keyboard.type("clearview")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=clearview"))
    wait_for_results(page)
    screenshot(page, "focused-on-load", full_page=False)


def test_skip_to_results_is_the_first_focusable_element(page: Any, screenshot: Any) -> None:
    open_results(page)
    skip = page.locator(".skip-link.skip-results")
    expect(skip).to_have_count(1)
    assert skip.evaluate(TABBABLE_BEFORE) == []
    # Walk back from the query box with Shift+Tab: the path ends at the skip link.
    expect(query_box(page)).to_be_focused()
    for _ in range(20):
        if skip.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    screenshot(page, "skip-link", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator(FIRST_TITLE)).to_be_focused()
    expect(page.locator(".result").first).to_have_class(re.compile(r"\bcurrent\b"))
    # The skip link belongs to the search screen only.
    page.get_by_role("link", name="Entities", exact=True).click()
    expect(page).to_have_url(re.compile(r"/entities$"))
    expect(skip).to_have_count(0)


def test_j_and_k_move_the_current_result_and_enter_opens_it(page: Any, screenshot: Any) -> None:
    open_results(page)
    results = page.locator(".result")
    current = page.locator(".result.current")
    # Typing j and k in the query box types them.
    page.keyboard.type("jk")
    expect(query_box(page)).to_have_value("clearviewjk")
    expect(current).to_have_count(0)
    query_box(page).fill("clearview")

    page.locator("h1").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    page.keyboard.press("j")
    expect(current).to_have_count(1)
    expect(results.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    expect(results.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(results.nth(1)).to_have_attribute("aria-current", "true")
    expect(current).to_have_count(1)
    expect(results.nth(1).locator(".result-title a")).to_be_focused()
    screenshot(page, "j-selects", full_page=False)
    page.keyboard.press("k")
    expect(results.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("k")  # stays on the first result
    expect(results.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    href = results.nth(1).locator(".result-title a").get_attribute("href")
    assert href is not None
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href.split("?")[0]) + r"\?"))
    expect(page.locator(".page-text")).to_be_visible()


def _tabs_until_first_result(page: Any) -> int:
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(IS_FIRST_TITLE):
            return presses
    raise AssertionError(f"the first result was not reached in {MAX_TABS} Tab presses")


def test_the_tab_path_from_the_query_box_to_the_first_result_is_short(page: Any) -> None:
    open_results(page)
    expect(query_box(page)).to_be_focused()
    # Tab alone walks through the toolbar, every facet value and the histogram first.
    walked = _tabs_until_first_result(page)

    query_box(page).focus()
    presses = 0
    while not page.evaluate("() => document.activeElement.matches('.skip-inline')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 3, "no skip link within 3 Tab presses of the query box"
    expect(page.locator(".skip-inline")).to_be_in_viewport()
    page.keyboard.press("Enter")
    presses += 1
    assert page.evaluate(IS_FIRST_TITLE)
    print(f"key presses from the query box to the first result: {walked} with Tab alone, {presses} with the skip link")
    assert presses <= 3
    assert walked > presses
