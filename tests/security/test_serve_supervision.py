"""`foia serve`'s API processes under a slow start: no restart loop; a real death or a hang is respawned,
and each respawn is logged with its cause.

The slow start is real code, not a fake: the serving process runs from a main module that, like the
`foia` console script, each spawned API process imports again, and that import takes SLOW_START_SECONDS
(on a machine at load 15 the console script's import alone took over 5 s: uvicorn's health check then
killed every API process before it could answer, forever).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serving import REPO, free_port

SLOW_START_SECONDS = 12  # uvicorn's own supervisor gives a process 5 s to answer
HEALTH_SECONDS = 3

SLOW_MAIN = """
import os
import time

if __name__ != "__main__":  # an API process, importing the main module again
    time.sleep(float(os.environ["SLOW_START_SECONDS"]))

from foia.cli import main

if __name__ == "__main__":
    main()
"""


def _api_pids(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == parent and stat[0] != "Z" and b"spawn_main" in cmdline:
            found.add(int(entry.name))
    return found


def _events(log: Path) -> list[dict[str, Any]]:
    events = []
    for line in log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                events.append(event)
    return events


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v1/productions", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to follow the API processes")
def test_a_slow_start_is_waited_for_and_deaths_and_hangs_are_respawned_with_their_cause(tmp_path: Path) -> None:
    script, log, port = tmp_path / "slow_foia.py", tmp_path / "serve.log", free_port()
    script.write_text(SLOW_MAIN)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "FOIA_DATA_DIR": str(tmp_path / "data"),
        "FOIA_LOG_FORMAT": "json",
        "SLOW_START_SECONDS": str(SLOW_START_SECONDS),
        "FOIA_API_HEALTH_SECONDS": str(HEALTH_SECONDS),
    }
    command = [sys.executable, str(script), "serve", "--host", "127.0.0.1", "--port", str(port), "--processes", "2"]
    with log.open("wb") as out:
        server = subprocess.Popen([*command, "--no-worker"], env=env, cwd=REPO, stdout=out, stderr=out)
    try:
        seen: set[int] = set()
        deadline = time.monotonic() + 120
        while not _answers(port):
            seen |= _api_pids(server.pid)
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        seen |= _api_pids(server.pid)
        time.sleep(2)  # both serve by now (each answered "serving"): still the same two
        assert len(seen) == 2 and _api_pids(server.pid) == seen, (seen, log.read_text()[-3000:])
        names = [e.get("event") for e in _events(log)]
        assert "api_process_respawned" not in names and "serving" in names, names

        # A real death: respawned, logged with its cause, while the other process goes on answering.
        killed, hung = sorted(seen)
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not (_api_pids(server.pid) - seen):
            assert _answers(port), "the surviving API process stopped answering"
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        respawns = [e for e in _events(log) if e.get("event") == "api_process_respawned"]
        assert [(e["pid"], e["cause"]) for e in respawns] == [(killed, "killed by SIGKILL")], respawns

        # A hang (stopped: alive, silent) once serving: replaced after the health timeout.
        os.kill(hung, signal.SIGSTOP)
        deadline = time.monotonic() + HEALTH_SECONDS + 30

        def respawned() -> list[tuple[int, str]]:  # the line is written once the replacement has started
            return [(e["pid"], e["cause"]) for e in _events(log) if e.get("event") == "api_process_respawned"]

        while hung not in [pid for pid, _ in respawned()]:
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        assert (hung, f"no answer to the health check for {HEALTH_SECONDS}s") in respawned()
        assert hung not in _api_pids(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=90) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_respawn_causes() -> None:
    from foia.api_processes import Watch, respawn_cause

    starting = Watch(started_at=100.0, ping_sent_at=101.0)
    assert respawn_cause(starting, True, None, 200.0, start_seconds=120, health_seconds=5) is None  # slow, alive
    assert respawn_cause(starting, True, None, 221.0, 120, 5) == "not serving 120s after it was started"
    assert respawn_cause(starting, False, -9, 102.0, 120, 5) == "killed by SIGKILL"
    assert respawn_cause(starting, False, 1, 102.0, 120, 5) == "exited with status 1"
    serving = Watch(started_at=100.0, ready_at=110.0, ping_sent_at=150.0)
    assert respawn_cause(serving, True, None, 154.0, 120, 5) is None
    assert respawn_cause(serving, True, None, 156.0, 120, 5) == "no answer to the health check for 5s"
