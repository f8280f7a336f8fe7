"""Screening a watchlist against a production (or a whole collection), and screening every newly
indexed production against its collection's watchlists (a ProductionListener).

The pages are the index's own records, built from the catalog (ingest/indexing.py), read a chunk of
documents at a time; the terms are resolved with the collection's entity names and scoped to the
collection exactly as a search of that collection would be, and matched by search/screening.py. The run's
progress (pages screened of pages total) is written after every chunk; its figures, all at once at the end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

import structlog

from catalog.protocols import ProductionReader
from catalog.screening_runs import MANUAL, PRODUCTION, ScreeningRuns, TermResult
from catalog.sql import SqlCatalog
from catalog.watchlists import Watchlist, Watchlists
from search.fields import FIELDS
from search.note_marks import scope_notes
from search.query.ast import Node
from search.query.entity_names import EntityNames, entity_values, known_entities, resolve_entity_values
from search.query.scoped import scope_fields
from search.records import PageRecord
from search.screening import screen
from search.watch_terms import parsed_terms

log = structlog.get_logger(__name__)

CHUNK_PAGES = 2000  # pages held in memory at once (their words' page sets and tokens)
SYSTEM_ACTOR = "system:production-indexed"


class ScreeningCatalog(Protocol):
    """What screening reads and writes (SqlCatalog satisfies it)."""

    @property
    def watchlists(self) -> Watchlists: ...
    @property
    def screening_runs(self) -> ScreeningRuns: ...
    @property
    def productions(self) -> ProductionReader: ...


RecordsOf = Callable[[str], list[PageRecord]]  # a document's page records (Indexer.records_for)
NamesOf = Callable[[str], EntityNames]  # a collection's entity names (what `vendor:AWS` resolves through)


class Screener:
    def __init__(self, catalog: ScreeningCatalog, records_of: RecordsOf, names_of: NamesOf) -> None:
        self.catalog = catalog
        self.records_of = records_of
        self.names_of = names_of
        # One screening at a time per process: two would only share the same cores more slowly.
        self._one_at_a_time = threading.Lock()

    def queue(self, watchlist: Watchlist, production_id: str | None, trigger: str = MANUAL, actor: str = "") -> str:
        return self.catalog.screening_runs.queue(
            watchlist.id, production_id, len(watchlist.terms), trigger, actor or SYSTEM_ACTOR
        )

    def run(self, run_id: str) -> None:
        """Screen a queued run to its end; a failure is recorded on the run with its reason."""
        runs = self.catalog.screening_runs
        with self._one_at_a_time:
            run = runs.get(run_id)
            try:
                watchlist = self.catalog.watchlists.get(run.watchlist_id)
                trees = self._trees(watchlist)
                documents = runs.documents_to_screen(watchlist.collection_id, run.production_id)
                runs.start(run_id, sum(pages for _, pages in documents))
                found = screen(
                    trees,
                    self._chunks([d for d, _ in documents]),
                    on_chunk=lambda screened: runs.progress(run_id, screened),
                )
                results = [
                    TermResult(i, term, f.documents, f.pages, f.unique_pages)
                    for i, (term, f) in enumerate(zip(watchlist.terms, found.figures, strict=True))
                ]
                runs.finish(run_id, results, found.hit_documents, found.hit_pages)
            except Exception as exc:
                log.exception("screening_failed", run_id=run_id, watchlist_id=run.watchlist_id)
                runs.fail(run_id, f"{type(exc).__name__}: {exc}")
                return
        log.info(
            "screening_done",
            run_id=run_id,
            watchlist_id=run.watchlist_id,
            production_id=run.production_id,
            terms=len(results),
            hit_pages=found.hit_pages,
        )

    def _trees(self, watchlist: Watchlist) -> list[Node]:
        trees = parsed_terms(watchlist.terms)
        names = self.names_of(watchlist.collection_id) if any(entity_values(t, FIELDS) for t in trees) else None
        scope = [watchlist.collection_id]
        # A watchlist is its collection's, not one reader's: `note:` terms count the collection's shared
        # notes, never anyone's private ones (search.note_marks).
        return [scope_fields(scope_notes(resolve_entity_values(t, names, FIELDS), scope, None), scope) for t in trees]

    def _chunks(self, document_ids: Sequence[str]) -> Iterator[list[PageRecord]]:
        chunk: list[PageRecord] = []
        for document_id in document_ids:
            chunk.extend(self.records_of(document_id))
            if len(chunk) >= CHUNK_PAGES:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


class WatchlistScreening:
    """A ProductionListener (ingest/production_events.py): a production just indexed is screened against
    every watchlist of its collection, each in a run of its own."""

    def __init__(self, screener: Screener) -> None:
        self.screener = screener

    def production_indexed(self, production_id: str) -> None:
        catalog = self.screener.catalog
        production = catalog.productions.get_production(production_id)
        for watchlist in catalog.watchlists.of_collection(production.collection_id):
            self.screener.run(self.screener.queue(watchlist, production_id, PRODUCTION))


def collection_names(catalog: SqlCatalog) -> NamesOf:
    """A collection's entity names as its readers see them (with its own corrections), from the catalog."""

    def names_of(collection_id: str) -> EntityNames:
        scope = [collection_id]
        found = catalog.entity_stats.findable_entities(catalog.corrections.of_collections(scope), scope)
        return known_entities(((e.id, e.type, e.name, others, merged) for e, others, merged in found), FIELDS)

    return names_of
