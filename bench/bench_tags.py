"""Review-tag benchmark: bulk-tagging a search's pages on tantivy, and searching by tag beside by entity.

    .venv/bin/python bench/bench_tags.py                   # 100,000 pages (the issue's figure)
    .venv/bin/python bench/bench_tags.py --pages 20000     # quick

A real SQLite catalog is filled with synthetic done documents (bench_search's page generator: 1-20 pages,
150-350 Zipf words a page, entities with mentions), indexed into tantivy by the indexer (`foia reindex`'s
path), then served by the real API in process. Timed:

- the bulk endpoint end to end (`POST /tags/{tag}/bulk`, q empty: every page), document level and page
  level, add then remove (the index must change every time), repeated; medians;
- its phases, run directly on the same objects: enumerating the search's pages (iter_hits), the catalog
  write, building the page records from the catalog, and the engine's re-index (update_marks + commit);
  the full re-index rate of the same pages beside it (reindex_all), the baseline of what re-adding costs;
- p50/p95 of a full search (facets counted) filtered by a tag vs by an entity that selects about as many
  documents, and `tag:` vs `vendor:` in the query, alternated in one run.

Results go to bench/out/bench_tags-<pages>.json and stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient
from sqlalchemy import insert

from api.app import create_app
from api.config import ApiSettings
from bench.bench_search import generate_pages
from catalog import schema as t
from catalog.blobstore import LocalBlobStore
from catalog.sql import SqlCatalog
from ingest.indexing import Indexer
from search.backend import SearchRequest
from search.records import PageRecord
from search.tantivy_backend import TantivyBackend

NOW = "2026-12-02T00:00:00.000+00:00"
COLLECTION = "col_bench"


class _Services:
    def __init__(self, catalog: SqlCatalog, blobs: LocalBlobStore, search: TantivyBackend) -> None:
        self.catalog, self.blobs, self.search = catalog, blobs, search


def fill_catalog(catalog: SqlCatalog, pages: Iterator[PageRecord]) -> tuple[int, int]:
    """Done documents, their pages and mentions, linked into one production of one collection."""
    with catalog.db.writer.begin() as conn:
        conn.execute(insert(t.collections).values(id=COLLECTION, name="bench", created_at=NOW))
        conn.execute(
            insert(t.productions).values(id="prd_bench", collection_id=COLLECTION, name="Bench", created_at=NOW)
        )
        entities: dict[str, str] = {}
        docs: dict[str, int] = {}
        page_rows: list[dict[str, Any]] = []
        mention_rows: list[dict[str, Any]] = []

        def flush() -> None:
            if page_rows:
                conn.execute(insert(t.pages), page_rows)
                page_rows.clear()
            if mention_rows:
                conn.execute(insert(t.mentions), mention_rows)
                mention_rows.clear()

        for record in pages:
            if record.document_id not in docs:
                docs[record.document_id] = record.page_count
                n = len(docs)
                conn.execute(
                    insert(t.documents).values(
                        id=record.document_id,
                        sha256=f"{n:064x}",
                        size=1000,
                        status="done",
                        page_count=record.page_count,
                        pdf_metadata="{}",
                        title=f"Record {record.document_id}",
                        document_date=record.document_date.isoformat() if record.document_date else None,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                )
                conn.execute(
                    insert(t.production_files).values(
                        id=f"file_{n:08d}",
                        production_id="prd_bench",
                        document_id=record.document_id,
                        original_name=f"{record.document_id}.pdf",
                        link="linked",
                        link_state="settled",
                        added_at=NOW,
                    )
                )
            page_rows.append(
                {
                    "document_id": record.document_id,
                    "number": record.page_number,
                    "text": record.text,
                    "source": "text_layer",
                    "bates": record.bates,
                    "exemptions": json.dumps(list(record.exemptions)),
                    "facts": "{}",
                }
            )
            for field, ids in record.entities.items():
                for eid in ids:
                    entities.setdefault(eid, field)
                    mention_rows.append(
                        {
                            "document_id": record.document_id,
                            "page_number": record.page_number,
                            "entity_id": eid,
                            "start": 0,
                            "end": 1,
                            "text": eid,
                        }
                    )
            if len(page_rows) >= 2000:
                flush()
        flush()
        conn.execute(
            insert(t.entities),
            [
                {"id": eid, "type": kind, "name": eid.split(":", 1)[1], "aliases": "[]", "source": "gazetteer"}
                for eid, kind in entities.items()
            ],
        )
    return len(docs), sum(docs.values())


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bulk(client: TestClient, tag: str, level: str, action: str) -> tuple[float, dict[str, Any]]:
    """The UI's two requests: the exact count for the confirmation (dry run), then the change."""
    start = time.perf_counter()
    body = {"level": level, "action": action}
    count = client.post(f"/api/v1/tags/{tag}/bulk", json=body | {"dry_run": True}).json()["count"]
    r = client.post(f"/api/v1/tags/{tag}/bulk", json=body | {"expected_count": count})
    seconds = time.perf_counter() - start
    if r.status_code != 200:
        raise SystemExit(f"bulk {tag} {level} {action}: {r.status_code} {r.text}")
    body: dict[str, Any] = r.json()
    return seconds, body


def phases(catalog: SqlCatalog, index: TantivyBackend, indexer: Indexer, tag: str) -> dict[str, float]:
    """The bulk path's steps, one by one on the same objects (page level, add then remove)."""
    out: dict[str, float] = {}
    pages: list[tuple[str, int]] = []
    out["enumerate_s"] = timed(
        lambda: pages.extend(
            (h.document_id, h.page_number) for h in index.iter_hits(SearchRequest(collection_ids=(COLLECTION,)))
        )
    )
    out["catalog_write_s"] = timed(lambda: catalog.tags.tag_pages(COLLECTION, tag, pages, "bench"))
    documents = sorted({d for d, _ in pages})
    records: list[PageRecord] = []
    out["records_from_catalog_s"] = timed(lambda: [records.extend(indexer.records_for(d)) for d in documents])

    def reindex() -> None:
        index.update_marks(records)
        index.commit()

    out["engine_update_s"] = timed(reindex)
    catalog.tags.untag_pages(COLLECTION, tag, pages)
    indexer.refresh_marks({d: None for d in documents})
    out["pages"] = float(len(pages))
    return out


def search_latency(index: TantivyBackend, rounds: int) -> dict[str, dict[str, float]]:
    """Tag vs entity, as a filter and in the query, alternated so load hits both alike."""
    cases = {
        "filter tag=hot": SearchRequest(filters={"tag": ["hot"]}, collection_ids=(COLLECTION,), histogram="month"),
        "filter vendor=amazon": SearchRequest(
            filters={"vendor": ["vendor:amazon"]}, collection_ids=(COLLECTION,), histogram="month"
        ),
        "q=budget tag:hot": SearchRequest(query="budget tag:hot", collection_ids=(COLLECTION,)),
        "q=budget vendor:amazon": SearchRequest(query="budget vendor:amazon", collection_ids=(COLLECTION,)),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    totals = {k: index.search(r).total_documents for k, r in cases.items()}  # warm, and the sizes
    for _ in range(rounds):
        for name, request in cases.items():
            times[name].append(1000 * timed(lambda request=request: index.search(request)))
    return {k: {"p50_ms": pct(v, 50), "p95_ms": pct(v, 95), "documents": float(totals[k])} for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--search-rounds", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-tags-"))
    catalog = SqlCatalog(f"sqlite:///{work / 'catalog.sqlite'}")
    catalog.create_schema()
    fill_s = timed(lambda: print("documents, pages:", fill_catalog(catalog, generate_pages(args.pages))))
    index = TantivyBackend(work / "index")
    indexer = Indexer(catalog, index)
    reindex_s = timed(indexer.reindex_all)
    n_pages = index.count()
    print(f"catalog filled in {fill_s:.1f} s; reindex_all of {n_pages} pages in {reindex_s:.1f} s")

    app = create_app(_Services(catalog, LocalBlobStore(work / "blobs"), index), ApiSettings(spool_dir=work / "spool"))
    client = TestClient(app, base_url="http://127.0.0.1")
    documents = client.get("/api/v1/search", params={"limit": 1}).json()["total_documents"]
    runs: dict[str, list[float]] = {}
    last: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for level in ("document", "page"):
            for action in ("add", "remove"):
                seconds, body = bulk(client, "hot" if level == "document" else "relevant", level, action)
                runs.setdefault(f"{level} {action}", []).append(seconds)
                last[f"{level} {action}"] = body
                print(f"bulk {level} {action}: {seconds:.2f} s ({body['indexed_pages']} pages re-indexed)")
    steps = phases(catalog, index, indexer, "needs-review")
    print("phases (page level, add):", {k: round(v, 2) for k, v in steps.items()})
    # A fifth of the documents tagged hot, for the search comparison (about vendor:amazon's share).
    ids = [h.document_id for h in index.iter_hits(SearchRequest(collection_ids=(COLLECTION,)))]
    chosen = sorted(set(ids))[::5]
    catalog.tags.tag_documents(COLLECTION, "hot", chosen, "bench")
    indexer.refresh_marks({d: None for d in chosen})
    latency = search_latency(index, args.search_rounds)
    for k, v in latency.items():
        print(f"search {k}: p50 {v['p50_ms']:.1f} ms, p95 {v['p95_ms']:.1f} ms ({v['documents']:.0f} documents)")
    result = {
        "pages": n_pages,
        "documents": documents,
        "reindex_all_s": reindex_s,
        "reindex_pages_per_s": n_pages / reindex_s,
        "bulk_median_s": {k: statistics.median(v) for k, v in runs.items()},
        "bulk_runs_s": runs,
        "bulk_last": last,
        "phases": steps,
        "search": latency,
    }
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"bench_tags-{args.pages}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: result[k] for k in ("bulk_median_s", "reindex_pages_per_s")}, indent=2))
    client.close()
    index.close()
    catalog.close()


if __name__ == "__main__":
    main()
