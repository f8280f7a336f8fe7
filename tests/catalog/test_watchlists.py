"""Watchlists and screening runs in the catalog (SQLite and PostgreSQL, tests/catalog/conftest.py): kept per
collection in the order written, names unique per collection, runs with their progress and figures, and a
deleted watchlist taking its runs with it."""

from __future__ import annotations

import pytest

from catalog.errors import Conflict, NotFound
from catalog.screening_runs import DONE, FAILED, QUEUED, RUNNING, TermResult
from catalog.sql import SqlCatalog


def test_a_watchlist_reads_back_in_order_and_changes_in_place(catalog: SqlCatalog) -> None:
    a = catalog.productions.ensure_collection("matter-a").id
    b = catalog.productions.ensure_collection("matter-b").id
    terms = ["Zeta Corp", '"face recognition"', "vendor:axon", "Ærø ünïcode"]
    written = catalog.watchlists.create(a, "Vendors", terms, "alice")
    assert catalog.watchlists.get(written.id) == written and written.terms == tuple(terms)
    with pytest.raises(Conflict):
        catalog.watchlists.create(a, "Vendors", ["x"], "bob")
    other = catalog.watchlists.create(b, "Vendors", ["y"], "bob")  # another collection may use the name
    first = catalog.watchlists.create(a, "Alpha", ["z"], "alice")
    assert [w.id for w in catalog.watchlists.visible([a])] == [first.id, written.id]
    assert [w.id for w in catalog.watchlists.visible([b])] == [other.id]
    assert {w.id for w in catalog.watchlists.visible(None)} == {first.id, written.id, other.id}
    assert [w.id for w in catalog.watchlists.visible([a], after=("Alpha", first.id))] == [written.id]
    assert [w.id for w in catalog.watchlists.of_collection(a)] == [first.id, written.id]

    changed = catalog.watchlists.update(written.id, "Renamed", ["only one"])
    assert (changed.name, changed.terms, changed.created_at) == ("Renamed", ("only one",), written.created_at)
    with pytest.raises(Conflict):
        catalog.watchlists.update(changed.id, "Alpha", ["x"])
    with pytest.raises(NotFound):
        catalog.watchlists.update("wl_missing", "x", ["x"])


def test_a_run_goes_from_queued_to_done_with_its_figures_and_goes_with_its_watchlist(catalog: SqlCatalog) -> None:
    a = catalog.productions.ensure_collection("matter-a").id
    production = catalog.productions.create_production(a, "Release 1").id
    watchlist = catalog.watchlists.create(a, "Vendors", ["palantir", "axon"], "alice")
    runs = catalog.screening_runs
    run_id = runs.queue(watchlist.id, production, 2, "manual", "alice")
    assert runs.get(run_id).status == QUEUED and runs.latest(watchlist.id) == runs.get(run_id)
    runs.start(run_id, 40)
    runs.progress(run_id, 20)
    running = runs.get(run_id)
    assert (running.status, running.pages_total, running.pages_screened) == (RUNNING, 40, 20)
    results = [TermResult(0, "palantir", 2, 5, 3), TermResult(1, "axon", 1, 2, 0)]
    runs.finish(run_id, results, 2, 7)
    done = runs.get(run_id)
    assert (done.status, done.hit_documents, done.hit_pages) == (DONE, 2, 7) and done.finished_at
    assert runs.results(run_id) == results

    whole = runs.queue(watchlist.id, None, 2, "manual", "alice")
    runs.fail(whole, "RuntimeError: boom")
    assert runs.get(whole).status == FAILED and runs.get(whole).error == "RuntimeError: boom"
    assert runs.latest(watchlist.id).id in (whole, run_id)  # type: ignore[union-attr]
    assert runs.latest(watchlist.id, production).id == run_id  # type: ignore[union-attr]
    assert runs.latest(watchlist.id, "prod_other") is None

    catalog.watchlists.delete(watchlist.id)
    with pytest.raises(NotFound):
        catalog.watchlists.get(watchlist.id)
    with pytest.raises(NotFound):
        runs.get(run_id)
    assert runs.results(run_id) == []
    with pytest.raises(NotFound):
        catalog.watchlists.delete(watchlist.id)
