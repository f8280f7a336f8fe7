"""Saved searches told about each indexed production (a ProductionListener, ingest/production_events.py).

Each saved search of the production's collection is run with the production as a filter, in that
collection only: the documents it matches that the production newly brings to the matter (its own files,
not copies of documents the matter already held) and that the saved search never matched before are
new. They are what "new since last viewed" counts; with the saved search's alert on they also make an
in-app alert, and a queued webhook and email delivery (sent by the worker's upkeep, ingest/alert_sender.py),
all recorded in one transaction, so a production told twice records nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from urllib.parse import urlencode

import structlog

from catalog.models import FileStatus
from catalog.saved_searches import Alert, SavedSearch
from catalog.sql import SqlCatalog
from search.backend import InvalidRequest, SearchBackend, SearchRequest
from search.fields import FIELDS
from search.query.entity_names import EntityNames, entity_values, known_entities
from search.query.errors import QuerySyntaxError
from search.query.parser import parse_query

log = structlog.get_logger(__name__)

LISTENER_NAME = "alerts"
EVENT = "saved_search.alert"


def search_path(saved: SavedSearch, production_id: str | None = None) -> str:
    """Pure: the UI's /search URL of a saved search (narrowed to one production when given)."""
    params: list[tuple[str, str]] = [("q", saved.query)] if saved.query else []
    for facet, values in sorted(saved.filters.items()):
        params.extend((facet, v) for v in values)
    if production_id is not None and production_id not in saved.filters.get("production", []):
        params.append(("production", production_id))
    if saved.date_from:
        params.append(("date_from", saved.date_from))
    if saved.date_to:
        params.append(("date_to", saved.date_to))
    if saved.sort != "relevance":
        params.append(("sort", saved.sort))
    return f"/search?{urlencode(params)}" if params else "/search"


def alert_payload(
    alert: Alert, saved: SavedSearch, collection_name: str, production_name: str, public_url: str | None
) -> dict[str, object]:
    """Pure: the JSON body of an alert's webhook (and what its email says)."""
    base = (public_url or "").rstrip("/")
    return {
        "event": EVENT,
        "alert_id": alert.id,
        "created_at": alert.created_at.isoformat(),
        "saved_search": {"id": saved.id, "name": saved.name, "query": saved.query},
        "collection": {"id": saved.collection_id, "name": collection_name},
        "production": {"id": alert.production_id, "name": production_name},
        "new_documents": alert.documents,
        "document_ids": list(alert.document_ids),
        "search_url": base + search_path(saved, alert.production_id),
    }


class AlertsListener:
    def __init__(self, catalog: SqlCatalog, search: SearchBackend, public_url: str | None = None) -> None:
        self.catalog = catalog
        self.search = search
        self.public_url = public_url

    def production_indexed(self, production_id: str) -> None:
        production = self.catalog.productions.get_production(production_id)
        saved = self.catalog.saved_searches.in_collection(production.collection_id)
        if not saved:
            return
        brought = self._brought(production_id)
        if not brought:
            return
        collection_name = next(
            (c.name for c in self.catalog.productions.list_collections() if c.id == production.collection_id), ""
        )
        self.search.refresh()  # see what the indexer (perhaps another process) committed
        for one in saved:
            try:
                matched = self._matching(one, production_id) & brought
            except (QuerySyntaxError, InvalidRequest) as exc:  # the registry changed under a saved query
                log.warning("saved_search_not_run", saved_search_id=one.id, error=str(exc))
                continue

            def deliveries(alert: Alert, one: SavedSearch = one) -> list[tuple[str, str, str]]:
                body = json.dumps(alert_payload(alert, one, collection_name, production.name, self.public_url))
                rows = [("webhook", one.webhook_url, body)] if one.webhook_url else []
                return rows + ([("email", one.email, body)] if one.email else [])

            recorded = self.catalog.saved_searches.record_matches(one, production_id, sorted(matched), deliveries)
            log.info(
                "saved_search_checked",
                saved_search_id=one.id,
                production_id=production_id,
                new_documents=len(recorded.new_documents),
                alert_id=recorded.alert.id if recorded.alert else None,
            )

    def _brought(self, production_id: str) -> set[str]:
        """Documents the production brought to its matter: its own files that are done (not duplicates)."""
        found: set[str] = set()
        after: str | None = None
        while True:
            page = self.catalog.productions.list_files(production_id, FileStatus.DONE, limit=1000, after=after)
            found.update(f.document_id for f in page if f.document_id)
            if len(page) < 1000:
                return found
            after = page[-1].id

    def _matching(self, saved: SavedSearch, production_id: str) -> set[str]:
        scope = (saved.collection_id,)
        filters = {**saved.filters, "production": [production_id]}
        request = SearchRequest(
            query=saved.query,
            filters=filters,
            date_from=_date(saved.date_from),
            date_to=_date(saved.date_to),
            collection_ids=scope,
            facets=(),
            entity_names=self._names(saved.query, scope),
        )
        return {hit.document_id for hit in self.search.iter_hits(request)}

    def _names(self, query: str, scope: Sequence[str]) -> EntityNames | None:
        # The collection's entity names, as the API reads them for a search (api/entity_names.py): only
        # when the query names an entity by a field value.
        if not query or not entity_values(parse_query(query, FIELDS), FIELDS):
            return None
        found = self.catalog.entity_stats.findable_entities(self.catalog.corrections.of_collections(scope), scope)
        return known_entities(((e.id, e.type, e.name, others, merged) for e, others, merged in found), FIELDS)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
