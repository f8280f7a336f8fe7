"""Scale-out engines beside tantivy: one run, the same synthetic pages, the same requests.

    .venv/bin/python bench/bench_engines.py --pages 100000 \
        --opensearch http://127.0.0.1:9200 --elasticsearch http://127.0.0.1:9201

For each engine (tantivy, then OpenSearch, then Elasticsearch: one at a time, so they never compete
for the cores), over the pages of bench/bench_search.py's generator:
- bulk indexing: pages/s through `index_pages` in batches of 5,000 and one `commit`, what
  `foia reindex` does; the DSL backends index inside `rebuild()` (a new index with refresh off, then
  the alias swap) through the client's bulk helper, 1,000 pages a request;
- search: p50/p95 of a full result page (query + every facet in distinct documents + a monthly
  histogram + 20 documents with best pages and snippets), bench_search's 12 query kinds;
- facets: p50/p95 of facet counting alone under facet filters (empty query, two or three filters,
  every facet, one result);
- timeline: p50/p95 of entity timelines (`histogram` with mentions) per month/quarter/year;
- the second page through a cursor (point in time on the DSL engines).
Ratios are engine / tantivy. Results in bench/out/bench_engines-<pages>.json and stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_search import AGENCIES, VENDORS, generate_pages, make_queries, percentile
from search.backend import HistogramRequest, SearchBackend, SearchRequest
from search.records import PageRecord
from search.tantivy_backend import TantivyBackend

BATCH = 5000


def stats(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 95), 1),
        "max": round(max(values), 1),
    }


def timed_ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def facet_requests(n: int, seed: int = 5) -> list[SearchRequest]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        filters: dict[str, list[str]] = {
            "vendor": rng.sample(sorted(VENDORS), rng.randint(1, 2)),
            "agency": [rng.choice(AGENCIES)],
        }
        if rng.random() < 0.5:
            filters["year"] = [str(rng.randint(2011, 2024))]
        out.append(SearchRequest(query="", filters=filters, page_size=1, facet_size=20))
    return out


def run_engine(name: str, backend: SearchBackend, pages: list[PageRecord], queries: list[Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    t0 = time.perf_counter()
    with backend.rebuild() or contextlib.nullcontext():
        for start in range(0, len(pages), BATCH):
            backend.index_pages(pages[start : start + BATCH])
        backend.commit()
    build = time.perf_counter() - t0
    result["index_pages_per_s"] = round(len(pages) / build)
    result["index_s"] = round(build, 1)
    assert backend.count() == len(pages), (name, backend.count())
    print(f"{name}: indexed {len(pages)} pages at {result['index_pages_per_s']} pages/s", flush=True)

    requests = [SearchRequest(query=q.ours, filters=q.filters, histogram="month", page_size=20) for q in queries]
    for req in requests[:20]:  # warm-up (caches, JIT on the JVM)
        backend.search(req)
    lat, totals, by_kind = [], [], {}
    for q, req in zip(queries, requests, strict=True):
        t = time.perf_counter()
        resp = backend.search(req)
        ms = (time.perf_counter() - t) * 1000
        lat.append(ms)
        by_kind.setdefault(q.kind, []).append(ms)
        totals.append((resp.total_documents, resp.total_pages))
    result["search_ms"] = stats(lat)
    result["search_by_kind_p50_ms"] = {k: round(statistics.median(v), 1) for k, v in sorted(by_kind.items())}
    result["totals"] = totals
    print(f"{name}: search {result['search_ms']}", flush=True)

    facets = facet_requests(60)
    for req in facets[:5]:
        backend.search(req)
    facet_totals = []
    facet_lat = []
    for req in facets:
        t = time.perf_counter()
        resp = backend.search(req)
        facet_lat.append((time.perf_counter() - t) * 1000)
        facet_totals.append({k: [(v.value, v.count) for v in vs] for k, vs in resp.facets.items()})
    result["facets_ms"] = stats(facet_lat)
    result["facet_counts"] = facet_totals
    print(f"{name}: facets {result['facets_ms']}", flush=True)

    timeline, hist_out = [], []
    for eid, interval in itertools.product(sorted(VENDORS), ("month", "quarter", "year")):
        req = HistogramRequest(entity_id=eid, interval=interval)  # type: ignore[arg-type]
        t = time.perf_counter()
        hist = backend.histogram(req)
        timeline.append((time.perf_counter() - t) * 1000)
        hist_out.append([(b.start.isoformat(), b.documents, b.pages, b.mentions) for b in hist.buckets])
    result["timeline_ms"] = stats(timeline)
    result["timelines"] = hist_out
    print(f"{name}: timeline {result['timeline_ms']}", flush=True)

    page2 = []
    for q in queries[:60]:
        first = backend.search(SearchRequest(query=q.ours, filters=q.filters, facets=()))
        if first.next_cursor:
            cursor = first.next_cursor
            page2.append(
                timed_ms(
                    lambda q=q, c=cursor: backend.search(  # type: ignore[misc]
                        SearchRequest(query=q.ours, filters=q.filters, facets=(), cursor=c)
                    )
                )
            )
    if page2:
        result["next_page_ms"] = stats(page2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--opensearch", default=None, help="OpenSearch URL (skipped when absent)")
    parser.add_argument("--elasticsearch", default=None, help="Elasticsearch URL (skipped when absent)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark indices")
    args = parser.parse_args()

    pages = list(generate_pages(args.pages))
    queries = make_queries(args.queries)
    out: dict[str, Any] = {"pages": len(pages), "documents": len({p.document_id for p in pages})}
    print(f"{out['pages']} pages, {out['documents']} documents", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench_engines-") as work:
        tantivy = TantivyBackend(Path(work) / "tantivy", heap_size=256_000_000)
        out["tantivy"] = run_engine("tantivy", tantivy, pages, queries)
        tantivy.destroy()

    engines: list[tuple[str, Callable[[], Any]]] = []
    if args.opensearch:
        from search.opensearch_backend import opensearch_backend

        engines.append(
            ("opensearch", lambda: opensearch_backend(args.opensearch, index=f"bench-{uuid.uuid4().hex[:6]}"))
        )
    if args.elasticsearch:
        from search.elasticsearch_backend import elasticsearch_backend

        engines.append(
            ("elasticsearch", lambda: elasticsearch_backend(args.elasticsearch, index=f"bench-{uuid.uuid4().hex[:6]}"))
        )
    base = out["tantivy"]
    for name, make in engines:
        backend = make()
        try:
            res = run_engine(name, backend, pages, queries)
        finally:
            if not args.keep:
                backend.destroy()
            backend.close()
        # Same answers as tantivy: totals, facet counts and timelines must agree.
        res["same_totals_as_tantivy"] = res.pop("totals") == base["totals"]
        res["same_facets_as_tantivy"] = res.pop("facet_counts") == base["facet_counts"]
        res["same_timelines_as_tantivy"] = res.pop("timelines") == base["timelines"]
        res["ratio_to_tantivy"] = {
            "index_pages_per_s": round(res["index_pages_per_s"] / base["index_pages_per_s"], 2),
            **{
                f"{k}_{p}": round(res[k][p] / base[k][p], 1)
                for k in ("search_ms", "facets_ms", "timeline_ms")
                for p in ("p50", "p95")
            },
        }
        out[name] = res
        print(f"{name}: {json.dumps(res['ratio_to_tantivy'])}", flush=True)
    for key in ("totals", "facet_counts", "timelines"):
        base.pop(key, None)

    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / f"bench_engines-{args.pages}.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
