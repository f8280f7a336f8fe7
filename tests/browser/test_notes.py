"""Notes in the viewer: a box dragged out on the page image becomes a note's region (in PDF points, drawn
back where it was dragged), a shared note and a private whole-page note are listed and drawn, the author
edits and deletes them, the search results show them under the hit page, and the screen passes axe."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, TAGS, _serious

pytestmark = pytest.mark.browser

DPI = 110  # the viewer's page image (frontend/static/js/viewer.js PAGE_DPI)
NATURAL_SIZE = "() => { const i = document.querySelector('.page-image'); return [i.naturalWidth, i.naturalHeight]; }"


def _notes(live_server: str, document_id: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        items: list[dict[str, Any]] = client.get(f"/api/v1/documents/{document_id}/notes").json()["items"]
    return items


def test_a_region_dragged_on_the_page_becomes_a_note_drawn_where_it_was(page, live_server, screenshot):
    with httpx.Client(base_url=live_server, timeout=60) as client:
        hit = client.get("/api/v1/search", params={"q": "clearview", "limit": 1}).json()["items"][0]
    document_id, number = hit["document_id"], hit["best_pages"][0]["page_number"]
    for note in _notes(live_server, document_id):  # a rerun against a kept server starts clean
        httpx.delete(f"{live_server}/api/v1/notes/{note['id']}", timeout=60)
    page.goto(f"/documents/{document_id}?page={number}&q=clearview")
    page.wait_for_function("() => document.querySelector('.page-image')?.naturalWidth > 0")
    panel = page.locator(".notes-panel")
    expect(panel.locator("h2")).to_have_text(f"Notes on page {number}")
    expect(panel).to_contain_text("No notes on this page yet.")

    layer = page.locator(".note-layer")
    # The viewer's tag bars load after the image and push it down: measure once the layout holds still.
    expect(page.locator(".viewer-tags").get_by_role("group").first).to_be_visible()
    frame, previous = layer.bounding_box(), None
    for _ in range(25):  # at most 5 s
        if frame == previous:
            break
        page.wait_for_timeout(200)
        previous, frame = frame, layer.bounding_box()
    assert frame and frame["width"] > 100
    x0, y0 = frame["x"] + frame["width"] * 0.2, frame["y"] + frame["height"] * 0.1
    x1, y1 = frame["x"] + frame["width"] * 0.6, frame["y"] + frame["height"] * 0.25
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    expect(page.locator("#note-region")).to_contain_text("For a box")
    expect(layer.locator(".note-box.draft")).to_have_count(1)
    expect(page.locator("#note-text")).to_be_focused()
    page.locator("#note-text").fill("Who approved the Clearview pilot?")
    page.locator("#note-shared").check()
    page.get_by_role("button", name="Add note").click()
    expect(panel.locator(".note")).to_have_count(1)
    expect(panel.locator(".note").first).to_contain_text("Who approved the Clearview pilot?")
    expect(panel.locator(".note").first).to_contain_text("Shared")
    expect(panel.locator(".note").first).to_contain_text("Box 1 on the image")

    # Stored in PDF points from the top-left corner: the dragged rectangle scaled by the image's size.
    (stored,) = _notes(live_server, document_id)
    natural = page.evaluate(
        "() => ['naturalWidth', 'naturalHeight'].map((k) => document.querySelector('.page-image')[k])"
    )
    width_pt, height_pt = natural[0] * 72 / DPI, natural[1] * 72 / DPI
    expected = {
        "x0": (x0 - frame["x"]) / frame["width"] * width_pt,
        "y0": (y0 - frame["y"]) / frame["height"] * height_pt,
        "x1": (x1 - frame["x"]) / frame["width"] * width_pt,
        "y1": (y1 - frame["y"]) / frame["height"] * height_pt,
    }
    assert stored["shared"] is True and stored["page_number"] == number
    for key, value in expected.items():
        assert abs(stored["region"][key] - value) < 2.0, (key, stored["region"], expected)
    # ... and drawn back where it was dragged (relative to the image: the page may have scrolled since).
    box = layer.locator(".note-box.shared")
    expect(box).to_have_count(1)
    drawn, now = box.bounding_box(), layer.bounding_box()
    assert drawn is not None and now is not None
    left, top = drawn["x"] - now["x"], drawn["y"] - now["y"]
    dragged = (x0 - frame["x"], y0 - frame["y"], x1 - frame["x"], y1 - frame["y"])
    assert (
        max(abs(a - b) for a, b in zip((left, top, left + drawn["width"], top + drawn["height"]), dragged, strict=True))
        < 3
    )

    # A private note on the whole page: no drag.
    page.locator("#note-text").fill("Check the date against the contract")
    page.get_by_role("button", name="Add note").click()
    expect(panel.locator(".note")).to_have_count(2)
    second = panel.locator(".note").nth(1)
    expect(second).to_contain_text("Private")
    expect(second).to_contain_text("Whole page")
    expect(layer.locator(".note-box")).to_have_count(1)
    screenshot(page, "two-notes")

    # Edit the first one: new text, private now, region kept.
    page.get_by_role("button", name="Edit note 1").click()
    edit = panel.locator(".note-edit")
    expect(edit.locator("textarea")).to_be_focused()
    edit.locator("textarea").fill("Who approved the pilot? (ask the agency)")
    edit.get_by_label("Shared with the matter").uncheck()
    screenshot(page, "editing")
    edit.get_by_role("button", name="Save").click()
    expect(panel.locator(".note").first).to_contain_text("Who approved the pilot? (ask the agency)")
    expect(panel.locator(".note").first).to_contain_text("Private")
    expect(layer.locator(".note-box:not(.shared)")).to_have_count(1)
    first = next(n for n in _notes(live_server, document_id) if n["region"])
    assert (first["text"], first["shared"]) == ("Who approved the pilot? (ask the agency)", False)

    # The results show the notes under the hit page.
    page.goto("/search?q=clearview")
    result = page.locator(".result").filter(has=page.locator(f'a[href*="/documents/{document_id}"]')).first
    notes_line = result.locator(".best-page .result-notes")
    expect(notes_line.first).to_contain_text("Who approved the pilot? (ask the agency)")
    expect(notes_line.first).to_contain_text("Private note")
    screenshot(page, "in-results")

    # Delete both, one from the list each.
    page.go_back()
    expect(panel.locator(".note")).to_have_count(2)
    page.get_by_role("button", name="Delete note 2").click()
    expect(panel.locator(".note")).to_have_count(1)
    page.get_by_role("button", name="Delete note 1").click()
    expect(panel).to_contain_text("No notes on this page yet.")
    expect(layer.locator(".note-box")).to_have_count(0)
    assert _notes(live_server, document_id) == []


def test_a_region_typed_with_the_keyboard_is_the_notes_region(page, live_server, screenshot):
    with httpx.Client(base_url=live_server, timeout=60) as client:
        hit = client.get("/api/v1/search", params={"q": "rekognition", "limit": 1}).json()["items"][0]
    document_id, number = hit["document_id"], hit["best_pages"][0]["page_number"]
    page.goto(f"/documents/{document_id}?page={number}")
    page.wait_for_function("() => document.querySelector('.page-image')?.naturalWidth > 0")
    before = len(_notes(live_server, document_id))
    page.get_by_text("Type the region instead").click()
    for name, value in (("Left", "100"), ("Top", "120"), ("Right", "90"), ("Bottom", "150")):
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="Use this region").click()
    expect(page.locator("#note-region")).to_contain_text("left < right")  # right is left of left: refused
    page.get_by_label("Right", exact=True).fill("260")
    page.get_by_role("button", name="Use this region").click()
    expect(page.locator("#note-region")).to_have_text("For a box 160 × 30 pt at (100, 120).")
    expect(page.locator(".note-layer .note-box.draft")).to_have_count(1)
    page.locator("#note-text").fill("Typed, not dragged")
    page.locator("#note-text").press("Tab")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".notes-panel .note").filter(has_text="Typed, not dragged")).to_have_count(1)
    expect(page.locator(".note-layer .note-box:not(.draft)")).to_have_count(1)
    screenshot(page, "typed-region")
    made = [n for n in _notes(live_server, document_id) if n["text"] == "Typed, not dragged"]
    assert len(_notes(live_server, document_id)) == before + 1 and len(made) == 1
    assert made[0]["region"] == {"x0": 100.0, "y0": 120.0, "x1": 260.0, "y1": 150.0}
    httpx.delete(f"{live_server}/api/v1/notes/{made[0]['id']}", timeout=60)


def _axe_clean(page: Any) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS)
    problems = _serious(result)
    assert not problems, "\n".join(problems)


@pytest.fixture
def page_without_csp(browser: Any, live_server: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_viewer_with_notes_passes_axe(page_without_csp, live_server, screenshot):
    page = page_without_csp
    with httpx.Client(base_url=live_server, timeout=60) as client:
        hit = client.get("/api/v1/search", params={"q": "amazon", "limit": 1}).json()["items"][0]
        document_id, number = hit["document_id"], hit["best_pages"][0]["page_number"]
        path = f"/api/v1/documents/{document_id}/pages/{number}/notes"
        box = {"x0": 50, "y0": 60, "x1": 250, "y1": 120}
        made = [
            client.post(path, json={"text": "A shared box", "shared": True, "region": box}).json(),
            client.post(path, json={"text": "A private page note"}).json(),
        ]
    try:
        page.goto(f"/documents/{document_id}?page={number}&q=amazon")
        page.wait_for_function("() => document.querySelector('.page-image')?.naturalWidth > 0")
        expect(page.locator(".note-layer .note-box")).to_have_count(1)
        expect(page.locator(".notes-panel .note")).to_have_count(2)
        expect(page.locator(".notes-panel")).to_contain_text(re.compile("A shared box.*A private page note", re.S))
        page.get_by_text("Type the region instead").click()  # with the typed region's fields open
        screenshot(page, "axe-viewer-notes")
        _axe_clean(page)
        page.get_by_role("button", name="Edit note 1").click()  # the edit form too
        expect(page.locator(".note-edit textarea")).to_be_focused()
        _axe_clean(page)
    finally:
        for note in made:
            httpx.delete(f"{live_server}/api/v1/notes/{note['id']}", timeout=60)
