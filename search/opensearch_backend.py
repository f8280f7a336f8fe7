"""OpenSearch 2/3 adapter: the EngineClient calls through `opensearch-py`.

Point in time is `POST /<index>/_search/point_in_time` and `DELETE /_search/point_in_time` here
(Elasticsearch spells both differently: search.elasticsearch_backend).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from opensearchpy import NotFoundError, OpenSearch, TransportError, helpers

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
) -> OpenSearch:
    options: dict[str, Any] = {
        "timeout": timeout,
        "retry_on_status": RETRY_ON_STATUS,
        "retry_on_timeout": True,
        "max_retries": max_retries,
    }
    if username is not None:
        options["http_auth"] = (username, password or "")
    if url.startswith("https"):
        options["use_ssl"] = True
        options["verify_certs"] = verify_tls
        options["ssl_show_warn"] = verify_tls
        if ca_bundle is not None:
            options["ca_certs"] = str(ca_bundle)
    return OpenSearch(hosts=[url], **options)


def _pit_missing(exc: TransportError) -> bool:
    return isinstance(exc, NotFoundError) or "search_context_missing" in str(exc)


class OpenSearchEngine:
    """EngineClient on the `opensearch-py` client."""

    flavor = "opensearch"

    def __init__(self, client: OpenSearch, *, max_retries: int = 5) -> None:
        self.os = client
        self.max_retries = max_retries

    def create_index(self, name: str, settings: Dsl, mappings: Dsl, aliases: Sequence[str] = ()) -> bool:
        body: Dsl = {"settings": settings, "mappings": mappings}
        if aliases:
            body["aliases"] = {a: {} for a in aliases}
        try:
            self.os.indices.create(index=name, body=body)
        except TransportError as exc:
            if "resource_already_exists" in str(exc):
                return False
            raise
        return True

    def delete_index(self, name: str) -> None:
        self.os.indices.delete(index=name, ignore=[404])

    def alias_targets(self, alias: str) -> list[str]:
        try:
            resp = self.os.indices.get_alias(name=alias)
        except NotFoundError:
            return []
        return sorted(str(k) for k in resp)

    def swap_alias(self, alias: str, add: str, remove: Sequence[str]) -> None:
        actions: list[Dsl] = [{"add": {"index": add, "alias": alias}}]
        actions += [{"remove": {"index": r, "alias": alias}} for r in remove]
        self.os.indices.update_aliases(body={"actions": actions})

    def put_settings(self, index: str, settings: Dsl) -> None:
        self.os.indices.put_settings(index=index, body=settings)

    def bulk(self, actions: Iterable[Dsl]) -> list[Dsl]:
        failed: list[Dsl] = []
        for ok, item in helpers.streaming_bulk(
            self.os,
            actions,
            chunk_size=BULK_CHUNK_DOCS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
            max_retries=self.max_retries,
            initial_backoff=1,
            raise_on_error=False,
            yield_ok=False,
        ):
            if not ok:
                failed.append(next(iter(item.values())))
        return failed

    def search(self, body: Dsl, *, index: str | None = None) -> Dsl:
        try:
            resp = self.os.search(index=index, body=body) if index else self.os.search(body=body)
        except TransportError as exc:
            if "pit" in body and _pit_missing(exc):
                raise PitMissing(str(exc)) from exc
            if too_many_expansions(exc):
                raise InvalidRequest(EXPANSION_ADVICE) from exc
            raise
        return dict(resp)

    def count(self, index: str, query: Dsl) -> int:
        return int(self.os.count(index=index, body={"query": query})["count"])

    def refresh(self, index: str) -> None:
        self.os.indices.refresh(index=index)

    def open_pit(self, index: str, keep_alive: str) -> str:
        return str(self.os.create_pit(index=index, params={"keep_alive": keep_alive})["pit_id"])

    def close_pit(self, pit_id: str) -> None:
        with contextlib.suppress(NotFoundError):
            self.os.delete_pit(body={"pit_id": [pit_id]})

    def close(self) -> None:
        self.os.close()


def opensearch_backend(
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
    return DslBackend(OpenSearchEngine(client), alias=index, analyzer=analyzer, **options)
