"""User input never writes raw control characters into the log: a real upload through `foia serve` with a
file name full of them, read back from the serving process's console log."""

from __future__ import annotations

from pathlib import Path

import httpx

from foia.logtext import escape_control
from tests import factories
from tests.serving import free_port, start_serve

BOUNDARY = "logboundary"
# ESC[2J clears a console, ESC[31m paints it, NUL ends a C string, BEL rings, CSI (0x9b) is ESC[ in one byte,
# U+202E shows the rest of the line reversed ("fdp.exe" read as "exe.pdf").
HOSTILE_NAME = "memo\x1b[2J\x1b[31mred\x00nul\x07bell\u009bcsi\u202efdp.exe.pdf"
CONTROLS = ["\x1b", "\x00", "\x07", "\u009b", "\u202e"]


def _multipart(name: str, data: bytes) -> bytes:
    """Built by hand: HTTP clients percent-encode control characters in a file name; an attacker does not."""
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
    return (head + "Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def test_an_upload_name_full_of_control_characters_is_escaped_in_the_log(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    server = start_serve(tmp_path / "data", port, "--no-worker", env={"FOIA_LOG_FORMAT": "console"}, log=log)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        production = httpx.post(f"{base}/productions", json={"name": "p", "collection": "default"}).json()
        r = httpx.post(
            f"{base}/productions/{production['id']}/files",
            content=_multipart(HOSTILE_NAME, factories.born_digital_pdf(["A memo with a hostile name"])),
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            timeout=60,
        )
        assert r.status_code == 202, r.text
        assert r.json()["accepted"][0]["name"] == HOSTILE_NAME  # the record keeps the name as sent
    finally:
        server.terminate()
        server.wait(timeout=60)
    text = log.read_bytes().decode("utf-8")
    accepted = [line for line in text.splitlines() if "file_accepted" in line]
    assert len(accepted) == 1, text
    assert not [c for c in CONTROLS if c in text], repr(text)
    assert "memo\\x1b[2J\\x1b[31mred\\x00nul\\x07bell\\x9bcsi\\u202efdp.exe.pdf" in accepted[0]


def test_the_sanitizer_escapes_controls_and_leaves_text_alone() -> None:
    assert escape_control("a\nb\r\tc\x7f") == "a\\nb\\r\\tc\\x7f"
    assert escape_control("line\nnext\x1b", keep_newlines=True) == "line\nnext\\x1b"
    assert escape_control("Müller, Ilves, 東京, (b)(6)") == "Müller, Ilves, 東京, (b)(6)"
    assert escape_control("\u2028\u2066\ufeff") == "\\u2028\\u2066\\ufeff"
