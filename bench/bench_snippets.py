"""Result snippets: time per shown page, over the pages a search request really shows.

    .venv/bin/python bench/bench_snippets.py              # 20k pages
    .venv/bin/python bench/bench_snippets.py --pages 5000

Indexes bench_search's synthetic pages with the tantivy backend, runs bench_search's query mix plus
fuzzy words, and keeps the pages each response shows (20 documents, up to 3 pages each). It then
times `make_snippet` over those (page, query) pairs alone, several passes, and prints the median
microseconds per shown page, in CPU time of the thread (on a shared machine, wall time counts waiting
for a core too). Run it in another checkout (the same file copied there) to compare
commits: a tree whose snippets take a `Highlighter` (the word marking before exact-match snippets)
gets one built per query, as its backends do.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_search import generate_pages, make_queries
from search import snippets
from search.backend import SearchRequest
from search.query import parse_query
from search.tantivy_backend import TantivyBackend

FUZZY_QUERIES = ["survelance~1", "polcy~2", "palantr~1 camera", "warrnt~2 OR subpena~1"]


def shown_pages(n_pages: int, n_queries: int, work: Path) -> list[tuple[str, str]]:
    """(query, page text) for every page the responses show."""
    pages = list(generate_pages(n_pages))
    text = {(p.document_id, p.page_number): p.text for p in pages}
    backend = TantivyBackend(work / "tantivy", heap_size=256_000_000, num_threads=1)
    for start in range(0, len(pages), 5000):
        backend.index_pages(pages[start : start + 5000])
    backend.commit()
    queries = [(q.ours, q.filters) for q in make_queries(n_queries)]
    if _has_fuzzy():
        queries += [(q, {}) for q in FUZZY_QUERIES]
    out: list[tuple[str, str]] = []
    for query, filters in queries:
        resp = backend.search(SearchRequest(query=query, filters=filters, facets=(), page_size=20))
        out += [(query, text[(d.document_id, p.page_number)]) for d in resp.documents for p in d.pages]
    backend.close()
    return out


def _has_fuzzy() -> bool:
    try:
        parse_query("word~1")
    except Exception:
        return False
    return True


def per_page_us(pairs: list[tuple[str, str]], passes: int) -> float:
    """Median over passes of the mean time of one snippet; the query is prepared once per query."""
    prepare = getattr(snippets, "highlighter_for", None)
    prepared = {q: (prepare(parse_query(q)) if prepare else parse_query(q)) for q, _ in pairs}
    times = []
    for _ in range(passes):
        t0 = time.thread_time()
        for q, text in pairs:
            snippets.make_snippet(text, prepared[q])
        times.append((time.thread_time() - t0) / len(pairs) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_snippets-") as work:
        pairs = shown_pages(args.pages, args.queries, Path(work))
    fuzzy = [(q, t) for q, t in pairs if q in FUZZY_QUERIES]
    mix = [(q, t) for q, t in pairs if q not in FUZZY_QUERIES]
    result = {
        "pages": args.pages,
        "shown_pages": len(mix),
        "snippet_us_per_shown_page": round(per_page_us(mix, args.passes), 1),
        "mean_page_chars": round(statistics.mean(len(t) for _, t in mix)),
    }
    if fuzzy:
        result["fuzzy_shown_pages"] = len(fuzzy)
        result["fuzzy_snippet_us_per_shown_page"] = round(per_page_us(fuzzy, args.passes), 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
