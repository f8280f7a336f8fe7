"""Search benchmark: the tantivy backend against a SQLite FTS5 baseline over the same synthetic pages.

    .venv/bin/python bench/bench_search.py                 # 10k pages (quick)
    .venv/bin/python bench/bench_search.py --pages 100000  # the target size
    .venv/bin/python bench/bench_search.py --pages 1000000 # if time and cores allow

Measures the index build rate, and p50/p95 latency of a full search request (query + every facet
counted in distinct documents + a monthly date histogram + 20 documents with up to 3 highlighted pages
each) over a mixed set of queries (terms, phrases, booleans, prefixes, proximity, field filters and
facet filters), plus misspelt words searched fuzzily (`polcy~1`, apart from the mix) and entity
timelines. The FTS5 baseline answers the same requests the plain-SQL way: BM25 top pages, GROUP BY
counts per facet and per month, snippet() for highlights.
Results go to bench/out/bench_search-<pages>.json and stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.backend import HistogramRequest, SearchRequest
from search.index_fields import FACETS
from search.records import LinkName, PageRecord
from search.tantivy_backend import TantivyBackend

VENDORS = {
    "vendor:amazon": "amazon",
    "vendor:microsoft": "microsoft",
    "vendor:palantir": "palantir",
    "vendor:clearview-ai": "clearview",
    "vendor:cellebrite": "cellebrite",
    "vendor:ibm": "ibm",
    "vendor:motorola": "motorola",
    "vendor:axon": "axon",
    "vendor:shotspotter": "shotspotter",
    "vendor:vigilant": "vigilant",
    "vendor:harris": "harris",
    "vendor:nec": "nec",
}
PRODUCTS = {f"product:p{i}": f"product{i}" for i in range(10)}
TECH = {
    "technology:face-recognition": "face recognition",
    "technology:cell-site-simulator": "cell site simulator",
    "technology:gait-recognition": "gait recognition",
    "technology:voice-recognition": "voice recognition",
    "technology:license-plate-reader": "license plate reader",
    "technology:predictive-policing": "predictive policing",
}
AGENCIES = [f"agency:a{i}" for i in range(8)]
ORGS = [f"organization:o{i}" for i in range(30)]
DOMAIN = [
    *[
        "surveillance",
        "police",
        "contract",
        "department",
        "memo",
        "letter",
        "request",
        "records",
        "investigation",
        "officer",
    ],
    *[
        "program",
        "data",
        "system",
        "camera",
        "video",
        "analysis",
        "software",
        "license",
        "agreement",
        "procurement",
        "budget",
    ],
    *[
        "pilot",
        "deployment",
        "privacy",
        "policy",
        "review",
        "training",
        "evaluation",
        "vendor",
        "access",
        "database",
        "search",
    ],
    *[
        "suspect",
        "warrant",
        "subpoena",
        "court",
        "federal",
        "state",
        "local",
        "county",
        "city",
        "task",
        "force",
        "intelligence",
    ],
]


def make_vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Zipf-ranked words. The domain words sit at ranks 60-400, where real search terms live (on 3-30%
    of pages); the top ranks are stop-word-like fillers that nobody searches for."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    fillers: set[str] = set()
    while len(fillers) < size - len(DOMAIN):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))
        if word not in DOMAIN:
            fillers.add(word)
    vocab = sorted(fillers)
    rng.shuffle(vocab)
    step = (400 - 60) // len(DOMAIN)
    for i, word in enumerate(DOMAIN):
        vocab.insert(60 + i * step, word)
    return vocab


def generate_pages(n_pages: int, seed: int = 1) -> Iterator[PageRecord]:
    """Documents of 1-20 pages, ~250 Zipf-distributed words a page, entities and dates."""
    rng = random.Random(seed)
    vocab = make_vocabulary(rng)
    weights = list(itertools.accumulate(1.0 / (r + 1) ** 1.05 for r in range(len(vocab))))
    made = 0
    doc_n = 0
    while made < n_pages:
        doc_n += 1
        pages = min(rng.randint(1, 20), n_pages - made)
        doc_id = f"doc-{doc_n:07d}"
        date = None if rng.random() < 0.1 else dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 5400))
        doc_ents = {
            "vendor": tuple(sorted(rng.sample(sorted(VENDORS), rng.randint(0, 3)))),
            "product": tuple(sorted(rng.sample(sorted(PRODUCTS), rng.randint(0, 1)))),
            "technology": tuple(sorted(rng.sample(sorted(TECH), rng.randint(0, 2)))),
            "agency": tuple(sorted(rng.sample(AGENCIES, rng.randint(1, 2)))),
            "organization": tuple(sorted(rng.sample(ORGS, rng.randint(0, 3)))),
        }
        production = f"prod-{doc_n % 40}"
        collection = f"col-{doc_n % 4}"
        for p in range(1, pages + 1):
            words = rng.choices(vocab, cum_weights=weights, k=rng.randint(150, 350))
            page_ents: dict[str, tuple[str, ...]] = {}
            mentions: dict[str, int] = {}
            for facet, ids in doc_ents.items():
                chosen = tuple(i for i in ids if rng.random() < 0.5)
                page_ents[facet] = chosen
                for eid in chosen:
                    name = VENDORS.get(eid) or PRODUCTS.get(eid) or TECH.get(eid)
                    if name:
                        count = rng.randint(1, 3)
                        mentions[eid] = count
                        for _ in range(count):
                            words.insert(rng.randrange(len(words)), name)
            exemptions = tuple(sorted(rng.sample(["b5", "b6", "b7C", "b7E", "b3"], rng.choice([0, 0, 1, 2]))))
            made += 1
            yield PageRecord(
                document_id=doc_id,
                page_number=p,
                text=" ".join(words),
                links=(LinkName(collection, production, f"Release {production}", f"{doc_id}.pdf", f"Record {doc_id}"),),
                document_date=date,
                bates=f"AGY-{made:07d}",
                bates_begin=None,
                bates_end=None,
                page_count=pages,
                exemptions=exemptions,
                entities=page_ents,
                document_entities=doc_ents,
                mention_counts=mentions,
            )


@dataclass
class BenchQuery:
    ours: str
    fts: str  # FTS5 MATCH expression ('' = no text condition)
    sql_where: list[str] = field(default_factory=list)  # extra SQL conditions on pages p
    filters: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""


def make_queries(n: int, seed: int = 2) -> list[BenchQuery]:
    rng = random.Random(seed)
    d = DOMAIN
    vend = sorted(VENDORS.items())
    out: list[BenchQuery] = []
    kinds = ["term", "and", "phrase", "or", "not", "prefix", "w", "pre", "field", "filter", "date", "mixed"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        a, b, c = rng.sample(d, 3)
        vid, vname = rng.choice(vend)
        if kind == "term":
            out.append(BenchQuery(a, a, kind=kind))
        elif kind == "and":
            out.append(BenchQuery(f"{a} {vname}", f"{a} AND {vname}", kind=kind))
        elif kind == "phrase":
            _, tname = rng.choice(sorted(TECH.items()))
            out.append(BenchQuery(f'"{tname}"', f'"{tname}"', kind=kind))
        elif kind == "or":
            out.append(BenchQuery(f"{a} OR {b} OR {vname}", f"{a} OR {b} OR {vname}", kind=kind))
        elif kind == "not":
            out.append(BenchQuery(f"{vname} NOT {a}", f"{vname} NOT {a}", kind=kind))
        elif kind == "prefix":
            out.append(BenchQuery(f"{a[:4]}* {b}", f"{a[:4]}* AND {b}", kind=kind))
        elif kind == "w":
            n_ = rng.choice([3, 5, 10])
            out.append(BenchQuery(f"{vname} w/{n_} {a}", f"NEAR({vname} {a}, {n_})", kind=kind))
        elif kind == "pre":
            n_ = rng.choice([2, 5])
            # FTS5 NEAR has no order: the baseline answers an easier question here.
            out.append(BenchQuery(f"{a} pre/{n_} {vname}", f"NEAR({a} {vname}, {n_})", kind=kind))
        elif kind == "field":
            out.append(
                BenchQuery(
                    f"{a} vendor:{vname}",
                    a,
                    [f"EXISTS (SELECT 1 FROM page_entity e WHERE e.page=p.id AND e.entity='{vid}')"],
                    kind=kind,
                )
            )
        elif kind == "filter":
            ag = rng.choice(AGENCIES)
            out.append(
                BenchQuery(
                    a,
                    a,
                    filters={"vendor": [vid], "agency": [ag]},
                    sql_where=[
                        f"EXISTS (SELECT 1 FROM facet f WHERE f.page=p.id AND f.facet='vendor' AND f.value='{vid}')",
                        f"EXISTS (SELECT 1 FROM facet f WHERE f.page=p.id AND f.facet='agency' AND f.value='{ag}')",
                    ],
                    kind=kind,
                )
            )
        elif kind == "date":
            y = rng.randint(2011, 2023)
            out.append(
                BenchQuery(
                    f"{a} date:[{y}-01-01 TO {y + 1}-06-30]",
                    a,
                    [f"p.day BETWEEN {_day(dt.date(y, 1, 1))} AND {_day(dt.date(y + 1, 6, 30))}"],
                    kind=kind,
                )
            )
        else:
            out.append(
                BenchQuery(
                    f'("{c} {a}" OR {vname}) AND {b}* -{a}',
                    f'("{c} {a}" OR {vname}) AND {b}* NOT {a}',
                    kind=kind,
                )
            )
    return out


def make_fuzzy_queries(n: int, seed: int = 3) -> list[str]:
    """Misspelt domain words, one or two letters changed, searched within as many edits (`polcy~1`);
    alone, with another word, or OR'd: measured apart from the mix, which the FTS5 baseline cannot run."""
    rng = random.Random(seed)
    out: list[str] = []
    for i in range(n):
        edits = 1 + i % 2
        word = list(rng.choice([w for w in DOMAIN if len(w) >= 5]))
        for _ in range(edits):
            word[rng.randrange(1, len(word))] = rng.choice("aeiourst")
        fuzzy = f"{''.join(word)}~{edits}"
        shape = i % 3
        out.append(
            fuzzy
            if shape == 0
            else f"{fuzzy} {rng.choice(DOMAIN)}"
            if shape == 1
            else f"{fuzzy} OR {rng.choice(DOMAIN)}"
        )
    return out


def _day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


# -- SQLite FTS5 baseline -------------------------------------------------------------------------------


def build_fts(path: Path, pages: list[PageRecord]) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE page(id INTEGER PRIMARY KEY, doc TEXT, page_number INT, day INT, month INT, collection TEXT);
        CREATE VIRTUAL TABLE page_fts USING fts5(text, tokenize='porter unicode61');
        CREATE TABLE facet(page INT, facet TEXT, value TEXT);
        CREATE TABLE page_entity(page INT, entity TEXT);
        """
    )
    for n, p in enumerate(pages, 1):
        day = None if p.document_date is None else _day(p.document_date)
        month = None if p.document_date is None else p.document_date.year * 12 + p.document_date.month - 1
        db.execute(
            "INSERT INTO page VALUES (?,?,?,?,?,?)", (n, p.document_id, p.page_number, day, month, p.collection_ids[0])
        )
        db.execute("INSERT INTO page_fts(rowid, text) VALUES (?,?)", (n, p.text))
        rows = [(n, f, v) for f, vs in p.document_entities.items() for v in vs]
        rows += [(n, "production", v) for v in p.production_ids] + [(n, "exemption", v) for v in p.exemptions]
        if p.document_date is not None:
            rows.append((n, "year", str(p.document_date.year)))
        db.executemany("INSERT INTO facet VALUES (?,?,?)", rows)
        db.executemany("INSERT INTO page_entity VALUES (?,?)", [(n, v) for vs in p.entities.values() for v in vs])
    db.executescript(
        "CREATE INDEX facet_page ON facet(page, facet, value); CREATE INDEX entity_page ON page_entity(page, entity);"
    )
    db.commit()
    return db


def fts_search(db: sqlite3.Connection, q: BenchQuery) -> tuple[int, int]:
    """Top 20 documents by best-page BM25 with snippets, facet counts (distinct documents) and a
    monthly histogram: what the tantivy request computes, in plain SQL."""
    where = ["1=1", *q.sql_where]
    if q.fts:
        db.execute("DROP TABLE IF EXISTS temp.hits")
        db.execute(
            "CREATE TEMP TABLE hits AS SELECT p.id, p.doc, p.month, bm25(page_fts) AS score "
            f"FROM page_fts JOIN page p ON p.id = page_fts.rowid WHERE page_fts MATCH ? AND {' AND '.join(where)}",
            (q.fts,),
        )
    top = db.execute("SELECT doc, MIN(score) s FROM hits GROUP BY doc ORDER BY s, doc LIMIT 20").fetchall()
    for doc, _ in top:
        ids = db.execute("SELECT id FROM hits WHERE doc=? ORDER BY score LIMIT 3", (doc,)).fetchall()
        for (pid,) in ids:
            db.execute(
                "SELECT snippet(page_fts, 0, '<mark>', '</mark>', '…', 32) FROM page_fts "
                "WHERE page_fts MATCH ? AND rowid = ?",
                (q.fts, pid),
            ).fetchone()
    total = db.execute("SELECT COUNT(DISTINCT doc) FROM hits").fetchone()[0]
    for facet in FACETS:
        db.execute(
            "SELECT f.value, COUNT(DISTINCT h.doc) c FROM hits h JOIN facet f ON f.page = h.id "
            "WHERE f.facet = ? GROUP BY f.value ORDER BY c DESC LIMIT 20",
            (facet,),
        ).fetchall()
    db.execute("SELECT month, COUNT(DISTINCT doc) FROM hits WHERE month IS NOT NULL GROUP BY month").fetchall()
    return total, len(top)


# -- measurement --------------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--threads", type=int, default=1, help="tantivy indexing threads")
    parser.add_argument("--no-fts", action="store_true", help="skip the SQLite FTS5 baseline")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_search-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"pages": args.pages, "queries": args.queries, "threads": args.threads}
    t0 = time.perf_counter()
    pages = list(generate_pages(args.pages))
    result["generate_s"] = round(time.perf_counter() - t0, 2)
    result["documents"] = len({p.document_id for p in pages})
    print(f"generated {len(pages)} pages / {result['documents']} documents in {result['generate_s']} s", flush=True)

    backend = TantivyBackend(work / "tantivy", heap_size=256_000_000, num_threads=args.threads)
    t0 = time.perf_counter()
    for start in range(0, len(pages), 5000):
        backend.index_pages(pages[start : start + 5000])
    backend.commit()
    build = time.perf_counter() - t0
    result["tantivy_build_pages_per_s"] = round(len(pages) / build)
    result["tantivy_index_mb"] = round(sum(f.stat().st_size for f in (work / "tantivy").iterdir()) / 1e6, 1)
    print(f"tantivy: {result['tantivy_build_pages_per_s']} pages/s, {result['tantivy_index_mb']} MB", flush=True)

    queries = make_queries(args.queries)
    # Warm up (page cache, lazy structures), then time each request once.
    for q in queries[:20]:
        backend.search(SearchRequest(query=q.ours, filters=q.filters, histogram="month"))
    lat: list[float] = []
    cpu: list[float] = []  # CPU time of the process: on a shared machine, wall time also counts waiting
    by_kind: dict[str, list[float]] = {}
    totals: list[int] = []
    for q in queries:
        req = SearchRequest(query=q.ours, filters=q.filters, histogram="month", page_size=20)
        t, cpu0 = time.perf_counter(), time.process_time()
        resp = backend.search(req)
        dt_ms = (time.perf_counter() - t) * 1000
        cpu.append((time.process_time() - cpu0) * 1000)
        lat.append(dt_ms)
        by_kind.setdefault(q.kind, []).append(dt_ms)
        totals.append(resp.total_documents)
    result["tantivy_search_ms"] = {
        "p50": round(statistics.median(lat), 1),
        "p95": round(percentile(lat, 95), 1),
        "max": round(max(lat), 1),
    }
    result["tantivy_search_cpu_ms"] = {"p50": round(statistics.median(cpu), 1), "p95": round(percentile(cpu, 95), 1)}
    result["tantivy_by_kind_p50_ms"] = {k: round(statistics.median(v), 1) for k, v in sorted(by_kind.items())}
    result["median_total_documents"] = statistics.median(totals)
    print(f"tantivy search: {result['tantivy_search_ms']}", flush=True)

    fuzzy: list[float] = []
    fuzzy_cpu: list[float] = []
    for fq in make_fuzzy_queries(max(24, args.queries // 10)):
        t, cpu0 = time.perf_counter(), time.process_time()
        backend.search(SearchRequest(query=fq, histogram="month", page_size=20))
        fuzzy.append((time.perf_counter() - t) * 1000)
        fuzzy_cpu.append((time.process_time() - cpu0) * 1000)
    result["tantivy_fuzzy_ms"] = {"p50": round(statistics.median(fuzzy), 1), "p95": round(percentile(fuzzy, 95), 1)}
    result["tantivy_fuzzy_cpu_ms"] = {
        "p50": round(statistics.median(fuzzy_cpu), 1),
        "p95": round(percentile(fuzzy_cpu, 95), 1),
    }
    print(f"tantivy fuzzy words: {result['tantivy_fuzzy_ms']}", flush=True)

    # Paging: second page through the cursor (pinned snapshot).
    page2: list[float] = []
    for q in queries[:60]:
        first = backend.search(SearchRequest(query=q.ours, filters=q.filters, facets=()))
        if first.next_cursor:
            t = time.perf_counter()
            backend.search(SearchRequest(query=q.ours, filters=q.filters, facets=(), cursor=first.next_cursor))
            page2.append((time.perf_counter() - t) * 1000)
    if page2:
        result["tantivy_next_page_ms"] = {
            "p50": round(statistics.median(page2), 1),
            "p95": round(percentile(page2, 95), 1),
        }

    timeline: list[float] = []
    for eid, interval in itertools.product(sorted(VENDORS)[:6], ("month", "quarter", "year")):
        t = time.perf_counter()
        backend.histogram(HistogramRequest(entity_id=eid, interval=interval))  # type: ignore[arg-type]
        timeline.append((time.perf_counter() - t) * 1000)
    result["tantivy_timeline_ms"] = {
        "p50": round(statistics.median(timeline), 1),
        "p95": round(percentile(timeline, 95), 1),
    }
    print(f"tantivy timeline: {result['tantivy_timeline_ms']}", flush=True)
    backend.close()

    if not args.no_fts:
        gc.collect()
        t0 = time.perf_counter()
        db = build_fts(work / "fts.sqlite", pages)
        build = time.perf_counter() - t0
        result["fts5_build_pages_per_s"] = round(len(pages) / build)
        result["fts5_db_mb"] = round((work / "fts.sqlite").stat().st_size / 1e6, 1)
        print(f"fts5: {result['fts5_build_pages_per_s']} pages/s, {result['fts5_db_mb']} MB", flush=True)
        for q in queries[:5]:
            fts_search(db, q)
        fts_lat: list[float] = []
        fts_cpu: list[float] = []
        fts_kind: dict[str, list[float]] = {}
        for q in queries:
            t, cpu0 = time.perf_counter(), time.process_time()
            fts_search(db, q)
            ms = (time.perf_counter() - t) * 1000
            fts_cpu.append((time.process_time() - cpu0) * 1000)
            fts_lat.append(ms)
            fts_kind.setdefault(q.kind, []).append(ms)
        result["fts5_search_ms"] = {
            "p50": round(statistics.median(fts_lat), 1),
            "p95": round(percentile(fts_lat, 95), 1),
            "max": round(max(fts_lat), 1),
        }
        result["fts5_search_cpu_ms"] = {
            "p50": round(statistics.median(fts_cpu), 1),
            "p95": round(percentile(fts_cpu, 95), 1),
        }
        result["fts5_by_kind_p50_ms"] = {k: round(statistics.median(v), 1) for k, v in sorted(fts_kind.items())}
        ours = result["tantivy_search_ms"]
        assert isinstance(ours, dict)
        result["speedup_p50"] = round(result["fts5_search_ms"]["p50"] / ours["p50"], 1)  # type: ignore[index]
        result["speedup_p95"] = round(result["fts5_search_ms"]["p95"] / ours["p95"], 1)  # type: ignore[index]
        speed = f"speedup p50 x{result['speedup_p50']} p95 x{result['speedup_p95']}"
        print(f"fts5 search: {result['fts5_search_ms']}  {speed}")
        db.close()

    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"bench_search-{args.pages}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
