"""Starting a real `foia serve` for a test: a free loopback port, and a wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def foia_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from foia.cli import main; main()", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(
    data_dir: Path,
    port: int,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    wait: bool = True,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """`foia serve --host 127.0.0.1 --port PORT ARGS` on `data_dir`, once it answers HTTP (unless not `wait`);
    its log (stderr) goes to the file `log` when given."""
    with open(log or os.devnull, "wb") as log_file:
        process = subprocess.Popen(
            foia_command("serve", "--host", "127.0.0.1", "--port", str(port), *args),
            env={**os.environ, "FOIA_DATA_DIR": str(data_dir), "FOIA_LOG_FORMAT": "json", **(env or {})},
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    deadline = time.monotonic() + timeout
    while wait:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/productions", timeout=2)
            return process
        except httpx.TransportError:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.3)
    return process
