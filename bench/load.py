"""Load test: 50 concurrent searchers against 100,000 pages while a production is being ingested.

    .venv/bin/python bench/load.py                          # 100k pages, 50 clients, 90 s
    .venv/bin/python bench/load.py --pages 10000 --seconds 20   # a quick look

Bounded and local by construction: the server is `foia serve` on 127.0.0.1 only (a random free port),
the clients stop after --seconds, the server gets SIGTERM at the end. Steps:
1. a data dir with a catalog (4 collections, one reader token per client, each seeing one collection)
   and a tantivy index of synthetic pages (bench/bench_search.py's generator), built once and reused;
2. `foia serve` with --api-processes API processes and its in-process ingest worker (--ingest-processes
   OCR processes; both default to the number of cores, as `foia serve` does), and the generated sample
   production (PDFs, some scanned: OCR) uploaded through the API as the run starts and again, with new
   scans, whenever the queue runs dry: ingest competes for the cores from the first second to the last;
3. N clients, each a person at a search box: a query from bench_search's 12 kinds (terms, phrases,
   booleans, prefixes, w/N, pre/N, fields, facet filters, dates), the results page, and one time in
   five the date histogram too; then a pause (exponential, mean --think seconds) before the next;
4. throughput, p50/p95/p99/max per endpoint, errors by kind, and the ingest's progress, written to
   bench/out/load-<pages>-think<s>-api<processes>-nice<n>.json and printed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_search import generate_pages, make_queries  # noqa: E402
from catalog.sql import SqlCatalog  # noqa: E402
from search.tantivy_backend import TantivyBackend  # noqa: E402

HOST = "127.0.0.1"  # never anything else: this is a load generator
COLLECTIONS = 4
SLOW_SECONDS = 0.3  # the target's p95: requests past it are listed with when they finished


def build(data_dir: Path, pages: int, clients: int) -> dict[str, Any]:
    """Catalog, tokens and index; reused when a previous run built the same size."""
    marker = data_dir / "load-build.json"
    if marker.exists():
        built: dict[str, Any] = json.loads(marker.read_text())
        if built["pages"] == pages and len(built["readers"]) >= clients:
            return built
    data_dir.mkdir(parents=True, exist_ok=True)
    catalog = SqlCatalog(f"sqlite:///{(data_dir / 'catalog.sqlite').resolve()}")
    catalog.create_schema()
    collections = [catalog.productions.ensure_collection(f"matter-{n}").id for n in range(COLLECTIONS)]
    store = catalog.tokens
    readers = [store.create(f"reader-{n}", "reader", [f"matter-{n % COLLECTIONS}"]).secret for n in range(clients)]
    uploader = store.create("ingest", "uploader", ["matter-0"]).secret
    catalog.close()
    index = TantivyBackend(data_dir / "index")
    started = time.perf_counter()
    batch = []
    for record in generate_pages(pages):
        # the generator's collection names stand for this catalog's real collection ids
        collection = collections[int(record.collection_ids[0].rsplit("-", 1)[1]) % COLLECTIONS]
        links = tuple(dataclasses.replace(link, collection_id=collection) for link in record.links)
        batch.append(dataclasses.replace(record, links=links))
        if len(batch) >= 5000:
            index.index_pages(batch)
            batch = []
    if batch:
        index.index_pages(batch)
    index.commit()
    index.close()
    built = {
        "pages": pages,
        "index_seconds": round(time.perf_counter() - started, 1),
        "readers": readers,
        "uploader": uploader,
    }
    marker.write_text(json.dumps(built))
    return built


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(
    data_dir: Path, port: int, token: str, api_processes: int, ingest_processes: int, ingest_nice: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FOIA_DATA_DIR": str(data_dir),
        "FOIA_API_PROCESSES": str(api_processes),
        "FOIA_WORKERS": str(ingest_processes),
        "FOIA_INGEST_NICE": str(ingest_nice),
        "FOIA_LOG_LEVEL": "WARNING",
        "FOIA_LOG_FORMAT": "json",
    }
    log = (data_dir / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-c", "from foia.cli import main; main()", "serve", "--host", HOST, "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"http://{HOST}:{port}/api/v1/productions", headers=_auth(token), timeout=5)
            if r.status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"foia serve exited: see {data_dir / 'serve.log'}")
        time.sleep(0.5)
    server.kill()
    raise SystemExit("foia serve did not come up in 180 s")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


@dataclasses.dataclass
class Tally:
    latencies: dict[str, list[float]] = dataclasses.field(default_factory=lambda: {"search": [], "histogram": []})
    slow: list[tuple[float, str, float]] = dataclasses.field(default_factory=list)  # (when, endpoint, seconds)
    errors: dict[str, int] = dataclasses.field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def searcher(client: httpx.AsyncClient, token: str, seed: int, until: float, think: float, tally: Tally) -> None:
    rng = random.Random(seed)
    queries = make_queries(240, seed=seed)
    await asyncio.sleep(rng.uniform(0, think))  # people do not all press Enter at once
    while time.monotonic() < until:
        query = rng.choice(queries)
        params: list[tuple[str, str | int | float | bool | None]] = [("q", query.ours), ("limit", "20")]
        params += [(facet, value) for facet, values in query.filters.items() for value in values]
        endpoints = ["search", "histogram"] if rng.random() < 0.2 else ["search"]
        for endpoint in endpoints:
            path = "/api/v1/search" if endpoint == "search" else "/api/v1/search/histogram"
            started = time.perf_counter()
            try:
                r = await client.get(path, params=params, headers=_auth(token))
                elapsed = time.perf_counter() - started
                if r.status_code == 200:
                    tally.latencies[endpoint].append(elapsed)
                    if elapsed > SLOW_SECONDS:
                        tally.slow.append((time.monotonic(), endpoint, elapsed))
                else:
                    tally.error(f"{endpoint} HTTP {r.status_code}")
            except httpx.HTTPError as exc:
                tally.error(f"{endpoint} {type(exc).__name__}")
        pause = min(5 * think, rng.expovariate(1 / think)) if think > 0 else 0.0
        await asyncio.sleep(max(0.0, min(pause, until - time.monotonic())))


Upload = list[tuple[str, tuple[str, bytes, str]]]


def prepare_uploads(count: int) -> list[Upload]:
    """Sample productions (12 PDFs, 11 scanned pages each), generated before the clock starts: making one
    takes seconds of CPU, which in the middle of the run would stall this client's event loop and be
    counted as the server's latency. A new seed each: new scan noise, so new files to OCR."""
    from ingest.sample import write_sample_production

    uploads = []
    for n in range(count):
        with tempfile.TemporaryDirectory() as folder:
            write_sample_production(Path(folder), seed=time.time_ns() % 1_000_000_007 + n)
            uploads.append(
                [("files", (p.name, p.read_bytes(), "application/pdf")) for p in sorted(Path(folder).glob("*.pdf"))]
            )
    return uploads


async def upload(client: httpx.AsyncClient, base: str, token: str, production_id: str, files: Upload) -> int:
    r = await client.post(f"{base}/productions/{production_id}/files", files=files, headers=_auth(token))
    r.raise_for_status()
    return len(files)


async def keep_ingesting(
    base: str,
    token: str,
    production_id: str,
    until: float,
    samples: list[dict[str, Any]],
    ready: list[Upload],
    uploads: list[int],
) -> None:
    """Samples the production's progress every 2 s, and uploads the next prepared sample whenever the queue
    runs dry, so that OCR competes with the searchers for the cores from the first second to the last."""
    async with httpx.AsyncClient(timeout=120) as client:
        started = time.monotonic()
        while time.monotonic() < until:
            r = await client.get(f"{base}/productions/{production_id}", headers=_auth(token))
            if r.status_code == 200:
                progress = r.json()["progress"]
                files = progress["files"]
                samples.append(
                    {
                        "t": round(time.monotonic() - started, 1),
                        **files,
                        **{f"pages_{k}": v for k, v in progress["pages"].items()},
                    }
                )
                if files["pending"] + files["processing"] == 0 and until - time.monotonic() > 5 and ready:
                    uploads.append(await upload(client, base, token, production_id, ready.pop()))
            await asyncio.sleep(max(0.0, min(2.0, until - time.monotonic())))


async def run_load(
    base: str, built: dict[str, Any], clients: int, seconds: float, think: float, ready: list[Upload]
) -> dict[str, Any]:
    uploader = built["uploader"]
    async with httpx.AsyncClient(timeout=120) as admin:
        r = await admin.post(
            f"{base}/productions",
            json={"name": f"load {time.time():.0f}", "collection": "matter-0"},
            headers=_auth(uploader),
        )
        r.raise_for_status()
        production_id = r.json()["id"]
        uploads = [await upload(admin, base, uploader, production_id, ready.pop())]
    tally = Tally()
    samples: list[dict[str, Any]] = []
    # An idle connection is dropped before uvicorn's 5 s keep-alive ends: a request sent on a connection
    # the server is closing at that instant fails (a client race that browsers retry, httpx does not).
    limits = httpx.Limits(max_connections=clients + 5, max_keepalive_connections=clients + 5, keepalive_expiry=4.0)
    started = time.monotonic()
    until = started + seconds
    async with httpx.AsyncClient(timeout=30, limits=limits, base_url=base.rsplit("/api/v1", 1)[0]) as client:
        await asyncio.gather(
            keep_ingesting(base, uploader, production_id, until, samples, ready, uploads),
            *(searcher(client, built["readers"][n], 1000 + n, until, think, tally) for n in range(clients)),
        )
    elapsed = time.monotonic() - started
    ok = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "think_seconds_mean": think,
        "requests": ok + errors,
        "throughput_rps": round((ok + errors) / elapsed, 1),
        "errors": tally.errors,
        "error_count": errors,
        "latency_ms": {
            endpoint: {
                "count": len(values),
                "p50": round(percentile(values, 50) * 1000, 1),
                "p95": round(percentile(values, 95) * 1000, 1),
                "p99": round(percentile(values, 99) * 1000, 1),
                "max": round(max(values, default=0) * 1000, 1),
                "mean": round(statistics.fmean(values) * 1000, 1) if values else 0,
            }
            for endpoint, values in tally.latencies.items()
        },
        "slow_requests": [
            {"t": round(when - started, 1), "endpoint": endpoint, "ms": round(seconds * 1000)}
            for when, endpoint, seconds in tally.slow
        ],
        "ingest": {
            "uploads": len(uploads),
            "files_uploaded": sum(uploads),
            "ran_out_of_uploads": not ready,
            "progress": samples[-1] if samples else None,
            "samples": samples,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a person's searches (s)")
    parser.add_argument("--api-processes", type=int, default=os.cpu_count() or 1, help="FOIA_API_PROCESSES")
    parser.add_argument("--ingest-processes", type=int, default=os.cpu_count() or 1, help="FOIA_WORKERS (OCR)")
    parser.add_argument("--ingest-nice", type=int, default=10, help="FOIA_INGEST_NICE")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "foia-load")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600.0)  # stops by itself, whatever it is asked
    built = build(args.data_dir, args.pages, args.clients)
    print(f"index of {args.pages} pages ready (built in {built['index_seconds']} s)", file=sys.stderr)
    # More than the ingest can get through (a sample's 11 OCR pages take ~10 s on two idle cores).
    ready = prepare_uploads(math.ceil(args.seconds / 8) + 1)
    port = free_port()
    server = start_server(
        args.data_dir, port, built["uploader"], args.api_processes, args.ingest_processes, args.ingest_nice
    )
    try:
        load_avg_before = os.getloadavg()
        result = asyncio.run(
            run_load(f"http://{HOST}:{port}/api/v1", built, args.clients, args.seconds, args.think, ready)
        )
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["load_average_before"] = [round(x, 2) for x in load_avg_before]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    result["pages"] = args.pages
    result["api_processes"] = args.api_processes
    result["ingest_processes"] = args.ingest_processes
    result["ingest_nice"] = args.ingest_nice
    result["server_exit_code"] = server.returncode
    out = (
        REPO
        / "bench"
        / "out"
        / f"load-{args.pages}-think{args.think:g}-api{args.api_processes}-nice{args.ingest_nice}.json"
    )
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    summary = {k: v for k, v in result.items() if k != "ingest"}
    summary["ingest_progress"] = result["ingest"]["progress"]
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
