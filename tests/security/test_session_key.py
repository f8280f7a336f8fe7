"""The session-cookie key: API processes starting together on one data dir all end up with the same key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from api.auth import session_key_of

REPO = Path(__file__).resolve().parents[2]


def test_the_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = session_key_of(None, tmp_path)
    assert len(first) == 32 and session_key_of(None, tmp_path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.key"]  # no candidate left behind
    assert (tmp_path / "session.key").stat().st_mode & 0o777 == 0o600


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from api.auth import session_key_of
        start = float(sys.argv[1])
        while time.time() < start:
            pass
        print(session_key_of(None, Path({str(tmp_path / "data")!r})).hex())
        """
    )
    start = str(time.time() + 2.0)  # every process is up and spinning by then, so they race for real
    runs = [
        subprocess.Popen([sys.executable, "-c", script, start], stdout=subprocess.PIPE, text=True) for _ in range(8)
    ]
    keys = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(keys) == 1
    assert (tmp_path / "data" / "session.key").read_text().strip() in keys
