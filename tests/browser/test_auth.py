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


@pytest.fixture(scope="module")
def secured_server(tmp_path_factory):
    """A second `foia serve` over an empty data dir with one admin token: every request needs it."""
    import os
    import re as regex
    import subprocess
    import time

    import httpx

    from tests.browser.conftest import _foia_command, _free_port

    data_dir = tmp_path_factory.mktemp("secured")
    env = {**os.environ, "FOIA_DATA_DIR": str(data_dir), "FOIA_WORKERS": "1", "FOIA_LOG_FORMAT": "json"}
    created = subprocess.run(
        [*_foia_command(), "token", "create", "--role", "admin", "-c", "*", "--name", "browser-test"],
        cwd=data_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    token = regex.search(r"\bfoia_[A-Za-z0-9_-]+", created.stdout + created.stderr)
    assert token, created.stdout + created.stderr
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with (data_dir / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [*_foia_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"],
            cwd=data_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base_url}/api/v1/productions", timeout=5).status_code == 401:
                        break
                except httpx.HTTPError:
                    pass
                assert process.poll() is None, (data_dir / "server.log").read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "the secured server did not start"
                time.sleep(0.5)
            yield base_url, token.group(0)
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_sign_in_with_a_real_token(browser, secured_server, screenshot):
    base_url, token = secured_server
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/productions")
        expect(page.locator("dialog#signin")).to_be_visible()
        page.get_by_label("API token").fill("foia_not-a-real-token")
        page.get_by_role("button", name="Sign in").click()
        # A wrong token is refused and the form asks again, saying so.
        expect(page.locator("#signin-error")).to_contain_text("not accepted")
        screenshot(page, "wrong-token")
        page.get_by_label("API token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("dialog#signin")).to_be_hidden()
        expect(page.get_by_text("No productions yet")).to_be_visible()
        # A POST goes through the same door with the token.
        page.get_by_label("Production name").fill("Signed-in upload")
        page.get_by_role("button", name="Create production").click()
        expect(page.locator("h1")).to_have_text("Signed-in upload")
        screenshot(page, "signed-in")
    finally:
        context.close()
    assert not errors, errors
