"""A real `foia serve`, spoken to over raw sockets: a request's head has a size limit and a huge one stalls
nobody; a body is never read (nor spooled to disk) before the request is authenticated, its role checked
and its target production found visible; open mode answers loopback Host names only."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from catalog.sql import SqlCatalog
from tests.serving import free_port, start_serve

MB = 1 << 20


@dataclass
class Exchange:
    response: bytes  # what the server answered (empty if nothing came)
    sent: int  # bytes the client managed to send before the server stopped it (or all of them)
    seconds: float  # until the first byte of the answer (or the end)


def exchange(port: int, head: bytes, body: Iterator[bytes], timeout: float = 20.0) -> Exchange:
    """Sends `head` then the chunks of `body` while reading the answer on another thread; stops sending
    as soon as an answer has come or the connection is closed."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    received = bytearray()
    answered = threading.Event()
    started = time.monotonic()
    first_byte: list[float] = []

    def read() -> None:
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                if not first_byte:
                    first_byte.append(time.monotonic() - started)
                received.extend(chunk)
                if b"\r\n\r\n" in received:
                    answered.set()
        except OSError:
            pass
        answered.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    sent = 0
    try:
        sock.sendall(head)
        sent += len(head)
        for chunk in body:
            if answered.is_set():
                break
            sock.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the server closed the connection: what it answered is what counts
    answered.wait(timeout)
    time.sleep(0.2)  # the rest of a short answer
    sock.close()
    reader.join(timeout=5)
    return Exchange(bytes(received), sent, first_byte[0] if first_byte else time.monotonic() - started)


def chunks(total: int, size: int = MB, fill: bytes = b"a") -> Iterator[bytes]:
    block = fill * size
    for _ in range(total // size):
        yield block


def status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Open mode (no token ever made), one API process: one event loop that a slow request could stall."""
    port = free_port()
    process = start_serve(tmp_path_factory.mktemp("open"), port, "--no-worker", "--processes", "1")
    yield port
    _stop(process)


def get(port: int, host: str) -> bytes:
    return f"GET /api/v1/productions HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()


def test_open_mode_over_a_socket_refuses_a_rebound_host_name(open_server: int) -> None:
    port = open_server
    assert status(exchange(port, get(port, f"127.0.0.1:{port}"), iter(())).response) == 200
    assert status(exchange(port, get(port, f"localhost:{port}"), iter(())).response) == 200
    rebound = exchange(port, get(port, f"attacker.example:{port}"), iter(())).response
    assert status(rebound) == 403 and b"loopback host name" in rebound
    cross = (
        f"POST /api/v1/productions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: https://attacker.example\r\n"
        "Content-Type: application/json\r\nContent-Length: 33\r\nConnection: close\r\n\r\n"
        '{"name":"p","collection":"dflt"}\n'
    ).encode()
    assert status(exchange(port, cross, iter(())).response) == 403


def test_a_200_mb_header_is_refused_without_being_read(open_server: int) -> None:
    port = open_server
    head = f"GET /api/v1/productions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ".encode()
    answer = exchange(port, head, chunks(200 * MB))
    # The server stops at 64 KiB; what the client got out beyond that sat in socket buffers.
    assert answer.sent < 32 * MB, answer.sent
    assert status(answer.response) == 431, answer.response[:200]
    assert b"application/problem+json" in answer.response
    assert httpx.get(f"http://127.0.0.1:{port}/api/v1/productions", timeout=5).status_code == 200


def test_headers_just_under_the_limit_still_work(open_server: int) -> None:
    port = open_server
    cookie = "x=" + "c" * 40_000  # big cookies are real; 64 KiB of head is far above them
    r = httpx.get(f"http://127.0.0.1:{port}/api/v1/productions", headers={"Cookie": cookie}, timeout=5)
    assert r.status_code == 200


def test_two_60_mb_headers_do_not_stall_other_requests(open_server: int) -> None:
    port = open_server
    head = f"GET /api/v1/productions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: ".encode()
    results: list[Exchange] = []
    senders = [threading.Thread(target=lambda: results.append(exchange(port, head, chunks(60 * MB)))) for _ in range(2)]
    for sender in senders:
        sender.start()
    latencies: list[float] = []
    with httpx.Client(timeout=30) as client:
        while any(s.is_alive() for s in senders) or len(latencies) < 10:
            started = time.monotonic()
            assert client.get(f"http://127.0.0.1:{port}/api/v1/productions").status_code == 200
            latencies.append(time.monotonic() - started)
    for sender in senders:
        sender.join()
    assert [status(r.response) for r in results] == [431, 431]
    assert max(latencies) < 2.0, latencies


@dataclass
class Secured:
    port: int
    tmpdir: Path
    spool: Path
    tokens: dict[str, str]
    productions: dict[str, str]


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    """Sign-in on (two matters, a reader and an uploader of matter A); the server's TMPDIR is watched."""
    data = tmp_path_factory.mktemp("secured")
    catalog = SqlCatalog(f"sqlite:///{(data / 'catalog.sqlite').resolve()}")
    catalog.create_schema()
    productions = {
        matter: catalog.productions.create_production(
            catalog.productions.ensure_collection(matter).id, f"{matter} release"
        ).id
        for matter in ("matter-a", "matter-b")
    }
    store = catalog.tokens
    tokens = {
        "reader-a": store.create("alice", "reader", ["matter-a"]).secret,
        "uploader-a": store.create("ulla", "uploader", ["matter-a"]).secret,
    }
    catalog.close()
    tmpdir = data / "tmp"
    tmpdir.mkdir()
    port = free_port()
    process = start_serve(data, port, "--no-worker", "--processes", "1", env={"TMPDIR": str(tmpdir)})
    yield Secured(port, tmpdir, data / "spool", tokens, productions)
    _stop(process)


def disk_use(*folders: Path) -> int:
    return sum(p.stat().st_size for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file())


def upload_head(port: int, production: str, length: int, auth: str | None) -> bytes:
    lines = [
        f"POST /api/v1/productions/{production}/files HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: multipart/form-data; boundary=b0",
        f"Content-Length: {length}",
        *([f"Authorization: Bearer {auth}"] if auth else []),
    ]
    part = b'--b0\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n\r\n%PDF-1.4\n'
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + part


@pytest.mark.parametrize(
    ("who", "target", "expected"),
    [
        (None, "matter-a", 401),  # anonymous
        ("reader-a", "matter-a", 403),  # a reader may not upload
        ("uploader-a", "matter-b", 404),  # another matter's production: as if it did not exist
        ("uploader-a", "nowhere", 404),
    ],
)
def test_an_upload_that_may_not_be_made_is_refused_before_its_body_is_read(
    secured: Secured, who: str | None, target: str, expected: int
) -> None:
    production = secured.productions.get(target, "prd_0000000000000000")
    before = disk_use(secured.tmpdir, secured.spool)
    head = upload_head(secured.port, production, 200 * MB, secured.tokens[who] if who else None)
    answer = exchange(secured.port, head, chunks(200 * MB, size=256 * 1024, fill=b"0"))
    assert status(answer.response) == expected, answer.response[:300]
    assert b"application/problem+json" in answer.response
    # Answered while the client was still sending: nothing of the body was waited for, or spooled.
    assert answer.sent < 64 * MB, answer.sent
    assert disk_use(secured.tmpdir, secured.spool) - before < MB


def test_a_permitted_upload_still_goes_through(secured: Secured) -> None:
    production = secured.productions["matter-a"]
    r = httpx.post(
        f"http://127.0.0.1:{secured.port}/api/v1/productions/{production}/files",
        files=[("files", ("small.pdf", b"%PDF-1.4 not really", "application/pdf"))],
        headers={"Authorization": f"Bearer {secured.tokens['uploader-a']}"},
        timeout=30,
    )
    assert r.status_code == 202, r.text
    assert [f["name"] for f in r.json()["accepted"] + r.json()["rejected"]] == ["small.pdf"]
