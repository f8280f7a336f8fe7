"""Sign-in: a 401 from the API opens the sign-in form; the token is kept in sessionStorage and sent as
`Authorization: Bearer` on every later request. (The API answers 401 here through request routing,
since the server runs without authentication.)"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TOKEN = "test-token-123"


def test_a_401_asks_for_a_token_and_retries_with_it(page, screenshot):
    seen: list[str | None] = []

    def guard(route, request):
        authorization = request.headers.get("authorization")
        seen.append(authorization)
        if authorization != f"Bearer {TOKEN}":
            route.fulfill(
                status=401,
                content_type="application/problem+json",
                body=json.dumps({"type": "about:blank", "title": "Unauthorized", "status": 401, "detail": "sign in"}),
            )
        else:
            # The test server runs in open mode and would refuse a token it does not know: pass it on without.
            headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
            route.continue_(headers=headers)

    page.route("**/api/v1/productions*", guard)
    page.goto("/productions")
    dialog = page.locator("dialog#signin")
    expect(dialog).to_be_visible()
    screenshot(page, "sign-in")
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".data-table")).to_be_visible()
    assert seen[0] is None
    assert seen[-1] == f"Bearer {TOKEN}"
    assert page.evaluate("sessionStorage.getItem('foia.api_token')") == TOKEN
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
