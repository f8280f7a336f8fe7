"""`foia serve`: refuses a non-loopback address without tokens, says so when it runs open, stops on SIGTERM;
several API processes share tokens and rate limits and never outlive the serving process; and the API's
search deadline."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.guarded_search import GuardedSearch, SearchTimeout
from search.backend import HistogramRequest, SearchRequest, SearchResponse
from search.tantivy_backend import TantivyBackend
from tests.serving import REPO, foia_command, free_port, start_serve


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "FOIA_DATA_DIR": str(data_dir), "FOIA_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1"}


def _create_reader_token(data_dir: Path) -> str:
    created = subprocess.run(
        foia_command("token", "create", "--role", "reader", "--collection", "default", "--name", "t"),
        env=_env(data_dir),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    secret = created.stdout.strip()
    assert created.returncode == 0 and secret.startswith("foia_"), created.stderr
    return secret


def test_serve_refuses_a_public_address_without_tokens(tmp_path: Path) -> None:
    done = subprocess.run(
        foia_command("serve", "--host", "0.0.0.0", "--no-worker"),
        env=_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0" in done.stderr


def test_serve_runs_open_on_loopback_says_so_and_stops_on_sigterm_then_needs_a_token(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        foia_command("serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"),
        env=_env(tmp_path),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        url = f"http://127.0.0.1:{port}/api/v1/productions"
        deadline = time.monotonic() + 90
        while True:
            try:
                assert httpx.get(url, timeout=2).status_code == 200  # open: no token exists yet
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
                time.sleep(0.3)
        secret = _create_reader_token(tmp_path)
        time.sleep(5.5)  # the "any tokens?" answer is cached for five seconds
        assert httpx.get(url, timeout=5).status_code == 401
        assert httpx.get(url, headers={"Authorization": f"Bearer {secret}"}, timeout=5).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=5)
    if process.stdout is not None:
        process.stdout.close()
    log = "".join(lines)
    assert "serving_open" in log and "anyone on this machine" in log


class _Slow(TantivyBackend):
    """A real index whose searches take 2 s (histograms and everything else as fast as ever)."""

    def search(self, request: SearchRequest) -> SearchResponse:
        time.sleep(2.0)
        return super().search(request)


def test_a_search_past_its_deadline_answers_at_once(tmp_path: Path) -> None:
    backend = _Slow(tmp_path / "index")
    guarded = GuardedSearch(backend, timeout=0.2, max_concurrent=2)
    started = time.monotonic()
    with pytest.raises(SearchTimeout):
        guarded.search(SearchRequest())
    assert time.monotonic() - started < 1.0
    assert guarded.histogram(HistogramRequest()).buckets == ()
    assert guarded.count() == 0  # everything else passes through
    guarded.close()
    backend.close()


def _api_processes(parent: int, expected: int) -> list[int]:
    """The serving process's children that run the API (not multiprocessing's resource tracker), once
    `expected` of them are there (or 30 s have passed)."""
    deadline = time.monotonic() + 30
    found = _children_running_spawn(parent)
    while len(found) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
        found = _children_running_spawn(parent)
    return found


def _children_running_spawn(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == parent and "spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _gone(pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _refused(port: int) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{port}/api/v1/productions", timeout=2)
    except httpx.ConnectError:
        return True
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the API processes")
def test_several_api_processes_share_tokens_and_limits_and_stop_together_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    secret = _create_reader_token(tmp_path)
    limits = {"FOIA_RATE_LIMIT_SEARCH_PER_MINUTE": "1", "FOIA_RATE_LIMIT_SEARCH_BURST": "6"}
    process = start_serve(tmp_path, port, "--processes", "3", "--no-worker", env=limits)
    try:
        children = _api_processes(process.pid, expected=3)
        assert len(children) == 3
        url = f"http://127.0.0.1:{port}/api/v1"
        assert httpx.get(f"{url}/productions", timeout=5).status_code == 401  # a token exists: sign-in on
        # A fresh connection per request lands on any of the three processes; they count one bucket.
        codes = [
            httpx.get(f"{url}/search", headers={"Authorization": f"Bearer {secret}"}, timeout=10).status_code
            for _ in range(12)
        ]
        assert codes.count(200) == 6 and set(codes[6:]) == {429}, codes
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert _gone(children, timeout=10) and _refused(port)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's")
@pytest.mark.parametrize("moment", ["serving", "still-starting"])
def test_kill_9_of_the_serving_process_takes_its_api_processes_with_it(tmp_path: Path, moment: str) -> None:
    """Serving: the parent-death signal. Still starting (killed before its API processes have loaded
    the app): each finds itself orphaned when it gets there, and exits instead of serving."""
    port = free_port()
    process = start_serve(tmp_path, port, "--processes", "2", "--no-worker", wait=moment == "serving")
    children = _api_processes(process.pid, expected=2)
    try:
        assert len(children) == 2
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert _gone(children, timeout=60), "an API process outlived its supervisor"
        assert _refused(port)  # nobody is left holding the port: a restart can bind it
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
