"""The production hook on the real worker (tantivy, spaCy, the SQLite catalog): each listener is told once
a production's last document is indexed, sees every document of it through a production-filtered search
at that moment, is told again only for files added later, and nobody is told twice across a restart. The
wiring gives `foia worker` and `foia serve` the catalog's notices and the named listeners."""

from __future__ import annotations

import threading
from pathlib import Path

from catalog.production_notices import DONE
from ingest.production_events import ProductionEvents
from search.backend import SearchRequest
from tests import factories
from tests.ingest.conftest import Stack, make_stack


class SearchingListener:
    """Records, when told, how many documents a search filtered by the production finds."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.told: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def production_indexed(self, production_id: str) -> None:
        self.stack.index.refresh()
        found = self.stack.index.search(SearchRequest(filters={"production": [production_id]}, facets=()))
        with self.lock:
            self.told.append((production_id, found.total_documents))


def _pdfs(root: Path, words: list[str]) -> list[Path]:
    paths = []
    for word in words:
        path = root / f"{word}.pdf"
        path.write_bytes(factories.born_digital_pdf([f"Memorandum {word} on the pilot program."]))
        paths.append(path)
    return paths


def test_listeners_are_told_once_each_production_is_indexed_and_again_for_a_later_batch(
    tmp_path: Path, analyzer: object
) -> None:
    stack = make_stack(tmp_path, analyzer)
    try:
        listener = SearchingListener(stack)
        stack.worker.events = ProductionEvents(
            stack.catalog.production_notices, {"probe": listener}, owner=stack.worker.worker_id
        )
        first, second = stack.production("first"), stack.production("second", collection="other matter")
        stack.intake(first, _pdfs(tmp_path, ["alphaword", "betaword", "gammaword"]))
        stack.intake(second, _pdfs(tmp_path, ["deltaword"]))
        stack.run_until_idle()
        assert sorted(listener.told) == sorted([(first.id, 3), (second.id, 1)])

        stack.run_until_idle()  # nothing new: nobody is told again
        restarted = ProductionEvents(stack.catalog.production_notices, {"probe": listener}, owner="restarted")
        assert restarted.run_due(full=True) == 0
        assert len(listener.told) == 2

        later = tmp_path / "later"
        later.mkdir()
        stack.intake(first, _pdfs(later, ["epsilonword", "zetaword"]))
        stack.run_until_idle()
        assert listener.told[2:] == [(first.id, 5)]
        assert [(n.files, n.state) for n in stack.catalog.production_notices.notices_of(first.id)] == [
            (3, DONE),
            (5, DONE),
        ]
    finally:
        stack.close()


def test_a_worker_running_in_the_background_tells_listeners_from_its_upkeep_thread(
    tmp_path: Path, analyzer: object
) -> None:
    stack = make_stack(tmp_path, analyzer)
    stop = threading.Event()
    runner = threading.Thread(target=stack.worker.run, args=(stop,), daemon=True)
    try:
        listener = SearchingListener(stack)
        told = threading.Event()
        original = listener.production_indexed

        def tell(production_id: str) -> None:
            original(production_id)
            told.set()

        listener.production_indexed = tell  # type: ignore[method-assign]
        stack.worker.events = ProductionEvents(
            stack.catalog.production_notices, {"probe": listener}, owner=stack.worker.worker_id
        )
        runner.start()
        production = stack.production("live")
        stack.intake(production, _pdfs(tmp_path, ["etaword", "thetaword"]))
        assert told.wait(60), "the running worker never told the listener"
        assert listener.told == [(production.id, 2)]
    finally:
        stop.set()
        if runner.is_alive():
            runner.join(60)
        stack.close()


def test_the_wiring_gives_every_worker_the_catalog_notices_and_the_named_listeners(tmp_path: Path) -> None:
    from foia.settings import Settings
    from foia.wiring import make_production_events, open_services, production_listeners

    services = open_services(Settings(data_dir=tmp_path / "data"))
    try:
        events = make_production_events(services, "worker-1")
        assert events.notices is services.catalog.production_notices
        assert events.owner == "worker-1"
        assert set(events.listeners) == set(production_listeners(services))
    finally:
        services.close()
