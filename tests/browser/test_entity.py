"""Entity page: names, aliases and links; the timeline of documents and mentions, by interval and
filtered by facets; co-mentioned entities and top documents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_entity_timeline_renders(page, screenshot):
    page.goto("/entities")
    link = page.get_by_role("link", name="Amazon", exact=True)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/entities/vendor(%3A|:)amazon"))
    expect(page.locator("h1")).to_have_text("Amazon")
    expect(page.locator(".entity-type")).to_have_text("Vendor")
    chart = page.locator(".timeline-chart")
    expect(chart.locator(".bar rect").first).to_be_attached()
    expect(chart.locator(".series-line")).to_be_attached()
    expect(chart.locator("svg")).to_have_attribute("aria-label", re.compile(r"\d+ documents"))
    expect(page.locator(".timeline")).to_contain_text("In total")
    expect(page.locator("#top-title + .ranked li").first).to_be_visible()
    expect(page.locator("#co-title + .ranked li").first).to_be_visible()
    screenshot(page, "timeline-month")

    page.get_by_label("Interval").select_option("year")
    expect(page).to_have_url(re.compile(r"interval=year"))
    expect(chart.locator(".axis-label", has_text=re.compile(r"^\d{4}$")).first).to_be_attached()
    year_bars = chart.locator(".bar").count()
    assert year_bars >= 1
    screenshot(page, "timeline-year")

    # The same facets as search filter the timeline.
    agency = page.locator('.facet[data-facet="agency"] input[type=checkbox]').first
    expect(agency).to_be_visible()
    agency.check()
    expect(page).to_have_url(re.compile(r"agency="))
    expect(page.locator(".chip")).to_have_count(1)
    expect(chart.locator("svg, .chart-empty").first).to_be_attached()
    screenshot(page, "timeline-filtered")
