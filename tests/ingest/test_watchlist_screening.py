"""Every production indexed is screened against its collection's watchlists, on the real worker (tantivy,
spaCy, the SQLite catalog) through the production hook: one run per watchlist of that collection only, with
the figures a production-filtered search of each term finds; a later batch of files is screened again; the
wiring names the listener."""

from __future__ import annotations

from pathlib import Path

from catalog.screening_runs import DONE, PRODUCTION
from ingest.indexing import Indexer
from ingest.production_events import ProductionEvents
from ingest.screening import Screener, WatchlistScreening, collection_names
from search.backend import SearchRequest
from tests import factories
from tests.ingest.conftest import Stack, make_stack


def _pdf(root: Path, name: str, pages: list[str]) -> Path:
    path = root / f"{name}.pdf"
    path.write_bytes(factories.born_digital_pdf(pages))
    return path


def _pages_of(stack: Stack, term: str, production_id: str, collection_id: str) -> int:
    request = SearchRequest(
        query=term, filters={"production": [production_id]}, collection_ids=[collection_id], page_size=1, facets=()
    )
    return stack.index.search(request).total_pages


def test_a_new_production_is_screened_against_its_collections_watchlists(tmp_path: Path, analyzer: object) -> None:
    stack = make_stack(tmp_path, analyzer)
    try:
        catalog = stack.catalog
        screener = Screener(catalog, Indexer(catalog, stack.index).records_for, collection_names(catalog))
        stack.worker.events = ProductionEvents(
            stack.catalog.production_notices,
            {"watchlists": WatchlistScreening(screener)},
            owner=stack.worker.worker_id,
        )
        mine, other = stack.production("Release 1", collection="matter"), stack.production("R", collection="other")
        terms = ["kestrel", '"pilot program"', "nowhereword"]
        watchlist = stack.catalog.watchlists.create(mine.collection_id, "Watch", terms, "alice")
        elsewhere = stack.catalog.watchlists.create(other.collection_id, "Theirs", ["kestrel"], "bob")
        stack.intake(
            mine,
            [
                _pdf(tmp_path, "a", ["A kestrel flew over the pilot program.", "The pilot program ended."]),
                _pdf(tmp_path, "b", ["Nothing to see here."]),
            ],
        )
        stack.run_until_idle()
        run = stack.catalog.screening_runs.latest(watchlist.id, mine.id)
        assert run is not None and (run.status, run.trigger) == (DONE, PRODUCTION)
        assert (run.pages_total, run.pages_screened) == (3, 3)
        results = stack.catalog.screening_runs.results(run.id)
        assert [r.term for r in results] == terms
        assert [r.pages for r in results] == [_pages_of(stack, t, mine.id, mine.collection_id) for t in terms]
        assert [r.pages for r in results] == [1, 2, 0]
        assert [r.unique_pages for r in results] == [0, 1, 0]  # page 1 holds both terms
        assert stack.catalog.screening_runs.latest(elsewhere.id) is None  # another matter's list: untouched

        later = tmp_path / "later"
        later.mkdir()
        stack.intake(mine, [_pdf(later, "c", ["Another kestrel report."])])
        stack.run_until_idle()
        again = stack.catalog.screening_runs.latest(watchlist.id, mine.id)
        assert again is not None and again.id != run.id and again.status == DONE
        assert [r.pages for r in stack.catalog.screening_runs.results(again.id)] == [2, 2, 0]
    finally:
        stack.close()


def test_the_wiring_screens_productions(tmp_path: Path) -> None:
    from foia.settings import Settings
    from foia.wiring import open_services, production_listeners

    services = open_services(Settings(data_dir=tmp_path / "data"))
    try:
        assert isinstance(production_listeners(services)["watchlists"], WatchlistScreening)
    finally:
        services.close()
