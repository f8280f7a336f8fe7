"""What each request costs against the real shared limiter (the buckets file of a data dir): a batch one
search per query, entity lists and timelines a search, the Vaughn draft an export; one deadline per batch."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.ratelimit import SharedBuckets
from catalog.blobstore import LocalBlobStore
from foia.asgi import api_settings
from foia.settings import Settings
from tests.security.conftest import Matters

SEARCH_BURST = 10


@dataclass
class _CountingSearch:
    """The real backend, counting the searches it is asked to run (to show a refused batch runs none)."""

    backend: Any
    searches: int = 0

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self.searches += 1
        return self.backend.search(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


@dataclass
class _Services:
    catalog: Any
    blobs: Any
    search: Any


def _client(m: Matters, data_dir: Path, **overrides: Any) -> tuple[TestClient, _CountingSearch]:
    settings = Settings(data_dir=data_dir, **overrides)
    counting = _CountingSearch(m.search)
    services = _Services(m.catalog, LocalBlobStore(m.root / "originals"), counting)
    app = create_app(services, api_settings(settings), open_allowed=True)
    return TestClient(app, raise_server_exceptions=False), counting


@pytest.fixture
def limited(tantivy_matters: Matters, tmp_path: Path) -> Iterator[tuple[TestClient, _CountingSearch]]:
    # About one search unit back every 10 s and one export a minute: nothing refills during a test.
    client, counting = _client(
        tantivy_matters,
        tmp_path,
        rate_limit_search_per_minute=6,
        rate_limit_search_burst=SEARCH_BURST,
        rate_limit_export_per_minute=1,
        rate_limit_export_burst=2,
    )
    with client:
        yield client, counting


def _reader(m: Matters) -> dict[str, str]:
    """A token of its own, so that its buckets start full."""
    secret = m.catalog.tokens.create(f"reader-{uuid.uuid4().hex[:6]}", "reader", ["matter-a"]).secret
    return {"Authorization": f"Bearer {secret}"}


def _batch(client: TestClient, headers: dict[str, str], n: int) -> Any:
    return client.post(
        "/api/v1/search/batch", json={"queries": [f"clearview OR w{i}" for i in range(n)]}, headers=headers
    )


def test_a_batch_costs_one_search_per_query_and_a_refused_one_runs_and_spends_nothing(
    tantivy_matters: Matters, limited: tuple[TestClient, _CountingSearch]
) -> None:
    client, counting = limited
    assert isinstance(client.app.state.guard.limiter.store, SharedBuckets)  # type: ignore[attr-defined]
    headers = _reader(tantivy_matters)
    assert _batch(client, headers, 4).status_code == 200  # 10 - 4 = 6 left
    before = counting.searches
    refused = _batch(client, headers, 7)
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    assert counting.searches == before  # nothing of the refused batch ran
    assert _batch(client, headers, 6).status_code == 200  # and it spent nothing: the 6 left still cover 6
    assert counting.searches == before + 6
    assert client.get("/api/v1/search", params={"q": "clearview"}, headers=headers).status_code == 429


def test_a_batch_larger_than_the_burst_can_never_fit_and_says_so(
    tantivy_matters: Matters, limited: tuple[TestClient, _CountingSearch]
) -> None:
    client, counting = limited
    before = counting.searches
    r = _batch(client, _reader(tantivy_matters), SEARCH_BURST + 1)
    assert r.status_code == 400, r.text
    assert r.json()["type"] == "/problems/batch-too-large" and str(SEARCH_BURST) in r.json()["detail"]
    assert counting.searches == before


@pytest.mark.parametrize(
    ("path", "params", "burst"),
    [
        ("/api/v1/entities", {"q": "clearview"}, SEARCH_BURST),
        ("/api/v1/entities", {}, SEARCH_BURST),
        ("/api/v1/entities/{entity}/timeline", {}, SEARCH_BURST),
        ("/api/v1/productions/{production}/vaughn", {}, 2),
        ("/api/v1/productions/{production}/vaughn", {"format": "csv"}, 2),
    ],
)
def test_entity_lists_timelines_and_the_vaughn_draft_are_limited(
    tantivy_matters: Matters, limited: tuple[TestClient, _CountingSearch], path: str, params: dict[str, str], burst: int
) -> None:
    client, _ = limited
    m = tantivy_matters
    entity = next(x.entity_id for x in m.catalog.documents.mentions(m.documents["a"]))
    url = path.format(entity=entity, production=m.productions["matter-a"])
    headers = _reader(m)
    codes = [client.get(url, params=params, headers=headers).status_code for _ in range(burst + 1)]
    assert codes == [200] * burst + [429], codes


def test_one_deadline_covers_the_whole_batch(tantivy_matters: Matters, tmp_path: Path) -> None:
    queries = [f'"face recognition" OR clearview w/5 contract OR q{i}*' for i in range(500)]
    headers = _reader(tantivy_matters)
    unlimited, _ = _client(tantivy_matters, tmp_path / "full", rate_limit_search_per_minute=0)
    with unlimited:
        started = time.monotonic()
        assert unlimited.post("/api/v1/search/batch", json={"queries": queries}, headers=headers).status_code == 200
        whole = time.monotonic() - started
    deadline = whole / 5
    bounded, counting = _client(
        tantivy_matters, tmp_path / "bounded", rate_limit_search_per_minute=0, search_batch_timeout_seconds=deadline
    )
    with bounded:
        started = time.monotonic()
        r = bounded.post("/api/v1/search/batch", json={"queries": queries}, headers=headers)
        took = time.monotonic() - started
    assert r.status_code == 503, (r.status_code, whole)
    assert r.json()["type"] == "/problems/search-timeout" and "batch" in r.json()["detail"]
    assert took < whole / 2, (took, whole)
    assert counting.searches < len(queries)  # no query started once the deadline had passed
