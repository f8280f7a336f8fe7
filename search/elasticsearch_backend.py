"""Elasticsearch 8 adapter: the EngineClient calls through the official `elasticsearch` client.

The 8.x client is required (`elasticsearch>=8.13,<9`): the 9.x client refuses 8.x servers, and
the client refuses to talk to OpenSearch (use search.opensearch_backend for that). Point in time is
`POST /<index>/_pit` and `DELETE /_pit` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from search.backend import InvalidRequest
from search.dsl_backend import DslBackend
from search.dsl_client import PitMissing
from search.expansion_limits import ADVICE as EXPANSION_ADVICE
from search.expansion_limits import too_many_expansions

Dsl = dict[str, Any]
RETRY_ON_STATUS = (429, 502, 503, 504)
BULK_CHUNK_DOCS = 1000
BULK_CHUNK_BYTES = 20 * 1024 * 1024


def make_client(
    url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    verify_tls: bool = True,
    ca_bundle: str | Path | None = None,
    timeout: float = 60.0,
    max_retries: int = 5,
) -> Elasticsearch:
    options: dict[str, Any] = {
        "request_timeout": timeout,
        "retry_on_status": RETRY_ON_STATUS,
        "retry_on_timeout": True,
        "max_retries": max_retries,
    }
    if username is not None:
        options["basic_auth"] = (username, password or "")
    if url.startswith("https"):
        options["verify_certs"] = verify_tls
        if ca_bundle is not None:
            options["ca_certs"] = str(ca_bundle)
        if not verify_tls:
            options["ssl_show_warn"] = False
    return Elasticsearch(url, **options)


def _pit_missing(exc: ApiError) -> bool:
    return isinstance(exc, NotFoundError) or "search_context_missing" in str(exc)


class ElasticsearchEngine:
    """EngineClient on the `elasticsearch` 8.x client."""

    flavor = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, max_retries: int = 5) -> None:
        self.es = client
        self.max_retries = max_retries

    def create_index(self, name: str, settings: Dsl, mappings: Dsl, aliases: Sequence[str] = ()) -> bool:
        try:
            self.es.indices.create(
                index=name, settings=settings, mappings=mappings, aliases={a: {} for a in aliases} or None
            )
        except ApiError as exc:
            if "resource_already_exists" in str(exc):
                return False
            raise
        return True

    def delete_index(self, name: str) -> None:
        self.es.options(ignore_status=404).indices.delete(index=name)

    def alias_targets(self, alias: str) -> list[str]:
        resp = self.es.options(ignore_status=404).indices.get_alias(name=alias)
        if resp.meta.status == 404:
            return []
        return sorted(str(k) for k in resp.body)

    def swap_alias(self, alias: str, add: str, remove: Sequence[str]) -> None:
        actions: list[Dsl] = [{"add": {"index": add, "alias": alias}}]
        actions += [{"remove": {"index": r, "alias": alias}} for r in remove]
        self.es.indices.update_aliases(actions=actions)

    def put_settings(self, index: str, settings: Dsl) -> None:
        self.es.indices.put_settings(index=index, settings=settings)

    def bulk(self, actions: Iterable[Dsl]) -> list[Dsl]:
        failed: list[Dsl] = []
        for ok, item in helpers.streaming_bulk(
            self.es,
            actions,
            chunk_size=BULK_CHUNK_DOCS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
            max_retries=self.max_retries,
            initial_backoff=1,
            retry_on_status=(429, 503),
            raise_on_error=False,
            yield_ok=False,
        ):
            if not ok:
                failed.append(next(iter(item.values())))
        return failed

    def search(self, body: Dsl, *, index: str | None = None) -> Dsl:
        try:
            resp = self.es.search(index=index, body=body)
        except ApiError as exc:
            if "pit" in body and _pit_missing(exc):
                raise PitMissing(str(exc)) from exc
            if too_many_expansions(exc):
                raise InvalidRequest(EXPANSION_ADVICE) from exc
            raise
        return dict(resp.body)

    def count(self, index: str, query: Dsl) -> int:
        return int(self.es.count(index=index, query=query)["count"])

    def refresh(self, index: str) -> None:
        self.es.indices.refresh(index=index)

    def open_pit(self, index: str, keep_alive: str) -> str:
        return str(self.es.open_point_in_time(index=index, keep_alive=keep_alive)["id"])

    def close_pit(self, pit_id: str) -> None:
        self.es.options(ignore_status=404).close_point_in_time(id=pit_id)

    def close(self) -> None:
        self.es.close()


def elasticsearch_backend(
    url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    verify_tls: bool = True,
    ca_bundle: str | Path | None = None,
    index: str = "foia-pages",
    analyzer: str = "english",
    **options: Any,
) -> DslBackend:
    client = make_client(url, username=username, password=password, verify_tls=verify_tls, ca_bundle=ca_bundle)
    return DslBackend(ElasticsearchEngine(client), alias=index, analyzer=analyzer, **options)
