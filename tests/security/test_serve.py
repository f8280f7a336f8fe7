"""`foia serve`: refuses a non-loopback address without tokens, says so when it runs open, stops on SIGTERM;
and the API's search deadline."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.security import GuardedSearch, SearchTimeout

REPO = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "FOIA_DATA_DIR": str(data_dir), "FOIA_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1"}


def _foia(*args: str) -> list[str]:
    return [sys.executable, "-c", "from foia.cli import main; main()", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_refuses_a_public_address_without_tokens(tmp_path: Path) -> None:
    done = subprocess.run(
        _foia("serve", "--host", "0.0.0.0", "--no-worker"),
        env=_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0" in done.stderr


def test_serve_runs_open_on_loopback_says_so_and_stops_on_sigterm_then_needs_a_token(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        _foia("serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"),
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
        created = subprocess.run(
            _foia("token", "create", "--role", "reader", "--collection", "default", "--name", "t"),
            env=_env(tmp_path),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        secret = created.stdout.strip()
        assert created.returncode == 0 and secret.startswith("foia_"), created.stderr
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


class _Slow:
    def search(self, request: object) -> str:
        time.sleep(2.0)
        return "late"

    def histogram(self, request: object) -> str:
        return "quick"

    def count(self) -> int:
        return 7


def test_a_search_past_its_deadline_answers_at_once() -> None:
    guarded = GuardedSearch(_Slow(), timeout=0.2, max_concurrent=2)
    started = time.monotonic()
    with pytest.raises(SearchTimeout):
        guarded.search(object())
    assert time.monotonic() - started < 1.0
    assert guarded.histogram(object()) == "quick"
    assert guarded.count() == 7  # type: ignore[operator]  # everything else passes through
    guarded.close()
