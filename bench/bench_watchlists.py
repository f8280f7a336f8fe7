"""Watchlist screening benchmark: 10,000 terms against a 10,000-page production, beside the same terms run
one by one through POST /search/batch.

    .venv/bin/python bench/bench_watchlists.py                      # 10,000 terms x 10,000 pages, 3 rounds
    .venv/bin/python bench/bench_watchlists.py --terms 2000 --pages 2000 --reps 1   # quick

The catalog (SQLite) holds the production's documents and page texts (the synthetic pages of
bench/bench_search.py, 150-350 Zipf-distributed words a page) and a second production of the same
collection, so the production filter matters; tantivy indexes both from the catalog (ingest/indexing.py).
Terms are what a watchlist holds: single words across the vocabulary's ranks (most hit few pages),
two-word phrases, sloppy phrases, proximity, OR, prefixes, NOT and a date clause.

Contenders, round-robin, `--reps` times each, in one process:
- **screening**: POST /watchlists/{id}/screen's whole run (ingest/screening.py): the production's documents
  read from the catalog, their page records built, every term matched, per-term documents, pages and
  unique pages written to the catalog;
- **/search/batch**: the same terms with `production=<id>` through the API (in-process TestClient, 20
  requests of 500 queries, no rate limit, no deadline): counts only, no unique pages;
- **engine, page ids per term** (`--ids`): `iter_hits` per term, what unique pages would need from
  the engine.
Each round checks that screening and the batch give every term the same documents and pages. Wall time and
the process's CPU time are both reported: on a shared machine wall time also counts waiting for a core.
Results go to bench/out/bench_watchlists.json and stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import generate_pages, make_vocabulary
from fastapi.testclient import TestClient
from sqlalchemy import insert

from api.config import ApiSettings
from catalog import schema as t
from catalog.database import utcnow
from catalog.sql import SqlCatalog
from foia.asgi import served_app
from ingest.indexing import Indexer
from ingest.screening import Screener, collection_names
from search.backend import SearchRequest
from search.records import PageRecord
from search.tantivy_backend import TantivyBackend


def make_terms(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    vocab = make_vocabulary(random.Random(1))  # the vocabulary generate_pages draws from
    rare, common = vocab[100:], vocab[50:]
    kinds: list[tuple[float, Callable[[], str]]] = [
        (0.50, lambda: rng.choice(rare)),
        (0.20, lambda: f'"{rng.choice(common)} {rng.choice(common)}"'),
        (0.05, lambda: f'"{rng.choice(common)} {rng.choice(common)}"~3'),
        (0.08, lambda: f"{rng.choice(common)} w/5 {rng.choice(common)}"),
        (0.08, lambda: f"{rng.choice(rare)} OR {rng.choice(rare)}"),
        (0.04, lambda: f"{rng.choice(rare)[:5]}*"),
        (0.03, lambda: f"{rng.choice(rare)} -{rng.choice(common)}"),
        (0.02, lambda: f"{rng.choice(rare)} date:[2012-01-01 TO 2016-12-31]"),
    ]
    terms: list[str] = []
    seen: set[str] = set()
    while len(terms) < n:
        pick, acc = rng.random(), 0.0
        for weight, make in kinds:
            acc += weight
            if pick <= acc:
                term = make()
                break
        else:
            term = kinds[0][1]()
        if term not in seen:  # a watchlist holds each term once
            seen.add(term)
            terms.append(term)
    return terms


def load_catalog(catalog: SqlCatalog, production_id: str, pages: list[PageRecord], prefix: str) -> None:
    """Documents, pages and settled links written straight to the catalog (no OCR, no analysis)."""
    now = utcnow()
    docs, page_rows, links = [], [], []
    for doc_id, group in groupby(pages, key=lambda p: p.document_id):
        records = list(group)
        did = f"doc_{prefix}{doc_id[4:]}"
        date = records[0].document_date
        docs.append(
            {
                "id": did,
                "sha256": (prefix + doc_id).ljust(64, "0"),
                "size": 1,
                "status": "done",
                "page_count": len(records),
                "pdf_metadata": "{}",
                "title": f"Record {did}",
                "document_date": date.isoformat() if date else None,
                "created_at": now,
                "updated_at": now,
            }
        )
        page_rows += [
            {"document_id": did, "number": r.page_number, "text": r.text, "source": "text_layer", "exemptions": "[]",
             "facts": "{}"}
            for r in records
        ]  # fmt: skip
        links.append(
            {"id": f"file_{prefix}{doc_id[4:]}", "production_id": production_id, "document_id": did,
             "original_name": f"{did}.pdf", "link": "linked", "link_state": "settled", "added_at": now}
        )  # fmt: skip
    with catalog.db.writer.begin() as conn:
        conn.execute(insert(t.documents), docs)
        for start in range(0, len(page_rows), 2000):
            conn.execute(insert(t.pages), page_rows[start : start + 2000])
        conn.execute(insert(t.production_files), links)


CPU: list[float] = []  # the process's CPU seconds of the last timed() call: wall time also counts waiting


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    out = fn()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--other-pages", type=int, default=2_000, help="pages of a second production")
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--ids", action="store_true", help="also time the engine's page ids per term")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_watchlists-"))
    work.mkdir(parents=True, exist_ok=True)

    catalog = SqlCatalog(f"sqlite:///{work / 'catalog.sqlite'}")
    catalog.create_schema()
    collection = catalog.productions.ensure_collection("bench").id
    production = catalog.productions.create_production(collection, "Release 1").id
    other = catalog.productions.create_production(collection, "Release 2").id
    load_catalog(catalog, production, list(generate_pages(args.pages, seed=1)), "a")
    load_catalog(catalog, other, list(generate_pages(args.other_pages, seed=2)), "b")
    backend = TantivyBackend(work / "index", heap_size=256_000_000)
    indexer = Indexer(catalog, backend)
    seconds, (documents, pages) = timed(indexer.reindex_all)
    print(f"catalog + index: {documents} documents, {pages} pages, indexed in {seconds:.1f} s", flush=True)

    terms = make_terms(args.terms)
    watchlist = catalog.watchlists.create(collection, "bench", terms, "bench")
    screener = Screener(catalog, indexer.records_for, collection_names(catalog))
    app = served_app(
        type("Services", (), {"catalog": catalog, "blobs": None, "search": backend})(),  # what create_app reads
        ApiSettings(search_timeout_seconds=0, search_batch_timeout_seconds=0),
    )

    def screening() -> list[tuple[int, int]]:
        run_id = screener.queue(watchlist, production)
        screener.run(run_id)
        assert catalog.screening_runs.get(run_id).status == "done"
        return [(r.documents, r.pages) for r in catalog.screening_runs.results(run_id)]

    def batch(client: TestClient) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for start in range(0, len(terms), 500):
            response = client.post(
                "/api/v1/search/batch",
                params={"production": production},
                json={"queries": terms[start : start + 500]},
            )
            assert response.status_code == 200, response.text
            out += [(i["documents"], i["pages"]) for i in response.json()["items"]]
        return out

    def ids() -> int:
        found = 0
        for term in terms:
            request = SearchRequest(query=term, filters={"production": [production]}, collection_ids=[collection])
            found += len({(h.document_id, h.page_number) for h in backend.iter_hits(request)})
        return found

    rounds: dict[str, list[float]] = {"screening": [], "batch": [], "ids": []}
    cpu: dict[str, list[float]] = {"screening": [], "batch": [], "ids": []}
    mismatches: list[int] = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for rep in range(args.reps):
            s_time, by_screening = timed(screening)
            cpu["screening"].append(CPU[-1])
            b_time, by_batch = timed(lambda: batch(client))
            cpu["batch"].append(CPU[-1])
            rounds["screening"].append(s_time)
            rounds["batch"].append(b_time)
            mismatches.append(sum(1 for a, b in zip(by_screening, by_batch, strict=True) if a != b))
            line = (
                f"round {rep + 1}: screening {s_time:.1f} s ({cpu['screening'][-1]:.1f} s CPU), "
                f"/search/batch {b_time:.1f} s ({cpu['batch'][-1]:.1f} s CPU)"
            )
            if args.ids:
                i_time, _ = timed(ids)
                cpu["ids"].append(CPU[-1])
                rounds["ids"].append(i_time)
                line += f", engine ids per term {i_time:.1f} s"
            print(f"{line}; terms whose figures differ: {mismatches[-1]}", flush=True)

    hit = [p for _, p in by_screening]
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": args.pages,
        "other_pages": args.other_pages,
        "terms": len(terms),
        "terms_hitting": sum(1 for p in hit if p),
        "median_pages_per_term": statistics.median(hit),
        "rounds_s": {k: [round(v, 2) for v in vs] for k, vs in rounds.items() if vs},
        "median_s": {k: round(statistics.median(vs), 2) for k, vs in rounds.items() if vs},
        "cpu_s": {k: [round(v, 2) for v in vs] for k, vs in cpu.items() if vs},
        "median_cpu_s": {k: round(statistics.median(vs), 2) for k, vs in cpu.items() if vs},
        "mismatched_terms": mismatches,
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_watchlists.json").write_text(json.dumps(result, indent=2) + "\n")
    backend.close()
    catalog.close()


if __name__ == "__main__":
    main()
