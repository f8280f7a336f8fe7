"""End-to-end browser tests: a real `foia serve` over the generated sample production, driven by
Debian's chromium through Playwright. Each test saves screenshots to test-artifacts/screenshots/.

Set FOIA_BROWSER_BASE_URL to run against a server that is already running (the sample production is
still uploaded through its API). FOIA_CHROMIUM overrides the browser path (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("FOIA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SAMPLE_PRODUCTION = "Sample production (browser tests)"
STARTUP_SECONDS = 120
INGEST_SECONDS = 900
VIEWPORT = {"width": 1280, "height": 860}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _foia_command() -> list[str]:
    script = Path(sys.executable).parent / "foia"
    return [str(script)] if script.exists() else [sys.executable, "-m", "foia.cli"]


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:] if log else ""
            raise RuntimeError(f"foia serve exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{base_url}/api/v1/productions", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"foia serve did not answer at {base_url} within {STARTUP_SECONDS}s")


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ingest.sample import write_sample_production

    dest = tmp_path_factory.mktemp("sample")
    write_sample_production(dest)
    return dest


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`foia serve` on a free port over a fresh data dir (or FOIA_BROWSER_BASE_URL)."""
    external = os.environ.get("FOIA_BROWSER_BASE_URL")
    if external:
        _wait_until_up(external.rstrip("/"), None, None)
        yield external.rstrip("/")
        return
    data_dir = tmp_path_factory.mktemp("data")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FOIA_DATA_DIR": str(data_dir), "FOIA_WORKERS": "2", "FOIA_LOG_FORMAT": "json"}
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*_foia_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=data_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base_url, process, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_for_production(client: httpx.Client, production_id: str, timeout: float = INGEST_SECONDS) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        production: dict[str, Any] = client.get(f"/api/v1/productions/{production_id}").json()
        if production["progress"]["finished"]:
            return production
        if time.monotonic() > deadline:
            raise TimeoutError(f"production {production_id} not finished after {timeout}s: {production['progress']}")
        time.sleep(1.0)


@pytest.fixture(scope="session")
def sample_production(server_url: str, sample_dir: Path) -> dict[str, Any]:
    """The sample production, uploaded through the API and processed to the end."""
    with httpx.Client(base_url=server_url, timeout=300) as client:
        existing = client.get("/api/v1/productions", params={"limit": 500}).json()["items"]
        for production in existing:
            if production["name"] == SAMPLE_PRODUCTION:
                return wait_for_production(client, production["id"])
        created = client.post("/api/v1/productions", json={"name": SAMPLE_PRODUCTION, "collection": "default"})
        assert created.status_code == 201, created.text
        production_id = created.json()["id"]
        files = [("files", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(sample_dir.glob("*.pdf"))]
        uploaded = client.post(f"/api/v1/productions/{production_id}/files", files=files)
        assert uploaded.status_code == 202, uploaded.text
        assert not uploaded.json()["rejected"], uploaded.json()["rejected"]
        return wait_for_production(client, production_id)


@pytest.fixture(scope="session")
def live_server(server_url: str, sample_production: dict[str, Any]) -> str:
    """The base URL of a server whose catalog and index hold the sample production; the UI must be at /."""
    page = httpx.get(f"{server_url}/", timeout=10)
    if page.status_code != 200 or "text/html" not in page.headers.get("content-type", ""):
        pytest.fail("the UI is not served at / (foia.asgi.served_app must call frontend.mount_frontend)")
    return server_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        message = f"no chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(reason=message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """Uncaught script errors and Content-Security-Policy violations seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


def _new_page(browser: Any, base_url: str, viewport: dict[str, int]) -> tuple[Any, Any, PageProblems]:
    context = browser.new_context(viewport=viewport, base_url=base_url, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.on_console)
    page.on("pageerror", problems.on_page_error)
    return context, page, problems


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh browser tab at a laptop size; fails the test on script errors or CSP violations."""
    context, tab, problems = _new_page(browser, live_server, VIEWPORT)
    yield tab
    context.close()
    assert not problems.errors, problems.errors


@pytest.fixture
def tablet_page(browser: Any, live_server: str) -> Iterator[Any]:
    context, tab, problems = _new_page(browser, live_server, {"width": 820, "height": 1100})
    yield tab
    context.close()
    assert not problems.errors, problems.errors


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """screenshot(page, "name") -> test-artifacts/screenshots/<test module>-<name>.png (the whole page, or
    what the window shows with full_page=False)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    module = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")

    def take(tab: Any, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{module}-{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path

    return take
