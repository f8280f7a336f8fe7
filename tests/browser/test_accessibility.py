"""Every screen checked by axe-core (vendored from npm, tests only) against WCAG 2.1 A and AA rules and
axe's best practices: labels on every control, contrast, landmarks, names of links and buttons.
Moderate, serious and critical violations fail the test (FOIA_AXE_IMPACTS and FOIA_AXE_TAGS change that)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SEVERE = tuple(os.environ.get("FOIA_AXE_IMPACTS", "moderate,serious,critical").split(","))
TAGS = os.environ.get("FOIA_AXE_TAGS", "wcag2a,wcag2aa,wcag21a,wcag21aa,best-practice").split(",")


def _screens(base_url: str) -> dict[str, tuple[str, str]]:
    """name -> (path, a selector that is there once the screen has loaded)"""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        hit = client.get("/api/v1/search", params={"q": "clearview", "limit": 1}).json()["items"][0]
        production = client.get("/api/v1/productions").json()["items"][0]
    page_number = hit["best_pages"][0]["page_number"]
    return {
        "search": ("/search?q=%22face+recognition%22&vendor=vendor%3Aamazon", ".result"),
        "query-error": ("/search?q=amazon+w%2F+pilot", ".query-error"),
        "batch": ("/batch?terms=clearview%0Acellebrite", ".batch-table"),
        "viewer": (f"/documents/{hit['document_id']}?page={page_number}&q=clearview", ".page-text mark"),
        "entities": ("/entities", ".entity-grid"),
        "entity": ("/entities/vendor%3Aamazon", ".timeline-chart svg"),
        "productions": ("/productions", ".data-table"),
        "production": (f"/productions/{production['id']}", ".progress-state"),
    }


def _serious(result: dict[str, Any]) -> list[str]:
    problems = []
    for violation in result["violations"]:
        if violation["impact"] not in SEVERE:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return problems


def test_every_screen_passes_axe(browser, live_server, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server, bypass_csp=True)
    page = context.new_page()
    failures: dict[str, list[str]] = {}
    try:
        for name, (path, ready) in _screens(live_server).items():
            page.goto(path)
            page.wait_for_selector(ready)
            if name == "viewer":
                page.wait_for_function("() => document.querySelector('.page-image')?.naturalWidth > 0")
            page.wait_for_timeout(300)
            screenshot(page, name)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS)
            problems = _serious(result)
            if problems:
                failures[name] = problems
    finally:
        context.close()
    assert not failures, "\n".join(f"{name}: {p}" for name, ps in failures.items() for p in ps)
