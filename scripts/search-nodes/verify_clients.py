"""Checks the nodes through the project's Python clients (opensearch-py, elasticsearch 8).

    .venv/bin/python scripts/search-nodes/verify_clients.py [opensearch|elasticsearch|all] [--analyzer NAME]

Connects, pings, reads info(), creates an index with the analyzer (default english), indexes two
documents, searches with a highlight, pages through a point in time with search_after, and cleans up.
Prints one PASS/FAIL line per node and a closing "N passed, N failed" line; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Any

MAPPING = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0},
    "mappings": {
        "properties": {
            "body": {"type": "text"},
            "agency": {"type": "keyword"},
            "released": {"type": "date"},
        }
    },
}
DOCS = [
    {"body": "The agencies were running several drone programs.", "agency": "DOD", "released": "2021-03-04"},
    {"body": "A letter about the budget of the program office.", "agency": "GAO", "released": "2022-07-15"},
]


def check(client: Any, flavor: str, analyzer: str) -> str:
    idx = f"foia-verify-clients-{os.getpid()}"
    assert client.ping(), "ping() returned False"
    info = client.info()
    body = {**MAPPING, "mappings": {"properties": {**MAPPING["mappings"]["properties"]}}}
    body["mappings"]["properties"]["body"] = {"type": "text", "analyzer": analyzer}
    if flavor == "opensearch":
        client.indices.create(index=idx, body=body)
    else:
        client.indices.create(index=idx, settings=body["settings"], mappings=body["mappings"])
    try:
        for i, doc in enumerate(DOCS):
            if flavor == "opensearch":
                client.index(index=idx, id=str(i + 1), body=doc, refresh=True)
            else:
                client.index(index=idx, id=str(i + 1), document=doc, refresh=True)
        query = {"match": {"body": "programs" if analyzer == "english" else "drone"}}
        if flavor == "opensearch":
            r = client.search(index=idx, body={"query": query, "highlight": {"fields": {"body": {}}}})
        else:
            r = client.search(index=idx, query=query, highlight={"fields": {"body": {}}})
        hits = r["hits"]["hits"]
        want = 2 if analyzer == "english" else 1
        assert len(hits) == want, f"match query: {len(hits)} hits, expected {want}"
        assert "<em>" in hits[0]["highlight"]["body"][0], "no highlight"
        sort = [{"released": "asc"}]
        if flavor == "opensearch":
            pit = client.create_pit(index=idx, params={"keep_alive": "1m"})["pit_id"]
            p1 = client.search(body={"size": 1, "pit": {"id": pit, "keep_alive": "1m"}, "sort": sort})
            after = p1["hits"]["hits"][0]["sort"]
            p2 = client.search(
                body={"size": 1, "pit": {"id": pit, "keep_alive": "1m"}, "sort": sort, "search_after": after}
            )
            client.delete_pit(body={"pit_id": [pit]})
        else:
            pit = client.open_point_in_time(index=idx, keep_alive="1m")["id"]
            p1 = client.search(size=1, pit={"id": pit, "keep_alive": "1m"}, sort=sort)
            after = p1["hits"]["hits"][0]["sort"]
            p2 = client.search(size=1, pit={"id": pit, "keep_alive": "1m"}, sort=sort, search_after=after)
            client.close_point_in_time(id=pit)
        pages = [p1["hits"]["hits"][0]["_id"], p2["hits"]["hits"][0]["_id"]]
        assert pages == ["1", "2"], f"pit pages {pages}"
    finally:
        client.indices.delete(index=idx)
    return f"{info['version']['number']} ({info['version'].get('distribution', 'elasticsearch')})"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("which", nargs="?", default="all", choices=["opensearch", "elasticsearch", "all"])
    ap.add_argument("--analyzer", default="english")
    ap.add_argument("--opensearch-url", default=f"http://127.0.0.1:{os.environ.get('FOIA_OPENSEARCH_PORT', '9200')}")
    ap.add_argument(
        "--elasticsearch-url", default=f"http://127.0.0.1:{os.environ.get('FOIA_ELASTICSEARCH_PORT', '9201')}"
    )
    args = ap.parse_args()
    passed = failed = 0
    flavors = ["opensearch", "elasticsearch"] if args.which == "all" else [args.which]
    for flavor in flavors:
        try:
            if flavor == "opensearch":
                from opensearchpy import OpenSearch

                client: Any = OpenSearch(args.opensearch_url)
            else:
                from elasticsearch import Elasticsearch

                client = Elasticsearch(args.elasticsearch_url)
            version = check(client, flavor, args.analyzer)
            print(f"PASS {flavor} {version}: ping, info, create index ({args.analyzer}), index, search, highlight, pit")
            passed += 1
        except Exception:
            print(f"FAIL {flavor}:\n{traceback.format_exc()}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
