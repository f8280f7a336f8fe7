"""One world per engine x catalog (module scope: built once, read by every case of the module)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.security.structural.world import World, build_world

ENGINES = ("tantivy", "opensearch", "elasticsearch")
CATALOGS = ("sqlite", "postgres")


def _combination(engine: str, catalog: str) -> object:
    marks = [getattr(pytest.mark, m) for m in (engine, catalog) if m in ("opensearch", "elasticsearch", "postgres")]
    return pytest.param((engine, catalog), id=f"{engine}-{catalog}", marks=marks)


@pytest.fixture(scope="module", params=[_combination(e, c) for e in ENGINES for c in CATALOGS])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: object
) -> Iterator[World]:
    engine, catalog = request.param
    yield from build_world(engine, catalog, tmp_path_factory.mktemp(f"world-{engine}-{catalog}"), analyzer)
