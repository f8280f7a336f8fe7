"""An admin retypes an organization on its entity page; once the worker has re-projected its documents,
the search page shows it in the vendor facet (and no longer among organizations). Undone afterwards so
the other browser tests see the sample as detected."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPROJECT_SECONDS = 60


def test_an_admin_retypes_an_entity_and_the_facet_follows(page, live_server, screenshot):
    with httpx.Client(base_url=live_server, timeout=60) as client:
        organization = client.get("/api/v1/entities", params={"type": "organization", "limit": 1}).json()["items"][0]
    entity_id, name = organization["id"], organization["name"]
    try:
        page.goto(f"/entities/{quote(entity_id, safe='')}")
        expect(page.locator(".entity-type")).to_have_text("Organization")
        panel = page.locator(".correction")
        expect(panel).to_be_visible()  # open mode: the reader is an admin
        panel.locator("#correct-type").select_option("vendor")
        panel.get_by_role("button", name="Save correction").click()
        expect(page.locator(".entity-type")).to_have_text("Vendor")
        screenshot(page, "entity-retyped")

        vendor_facet = page.locator('.facet[data-facet="vendor"]')
        found = False
        for _ in range(REPROJECT_SECONDS // 2):
            page.goto("/search?q=")
            expect(vendor_facet).to_be_visible()
            if vendor_facet.get_by_text(name, exact=True).count():
                found = True
                break
            page.wait_for_timeout(2000)
        assert found, f"{name} never reached the vendor facet"
        organization_facet = page.locator('.facet[data-facet="organization"]')
        expect(organization_facet.get_by_text(name, exact=True)).to_have_count(0)
        screenshot(page, "vendor-facet-after-retype")
    finally:
        with httpx.Client(base_url=live_server, timeout=60) as client:
            client.delete(f"/api/v1/entities/{quote(entity_id, safe='')}/correction")
    expect(page).to_have_url(re.compile(r"/search"))
