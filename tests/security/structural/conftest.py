"""The worlds of one engine x catalog, built once per module: both matters, and each matter alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from tests.security.structural.world import World, build_world

ENGINES = ("tantivy", "opensearch", "elasticsearch")
CATALOGS = ("sqlite", "postgres")


@dataclass
class Worlds:
    both: World
    alone: dict[str, World]  # matter key -> a world where only that matter ever uploaded


def _combination(engine: str, catalog: str) -> object:
    marks = [getattr(pytest.mark, m) for m in (engine, catalog) if m in ("opensearch", "elasticsearch", "postgres")]
    return pytest.param((engine, catalog), id=f"{engine}-{catalog}", marks=marks)


@pytest.fixture(scope="module", params=[_combination(e, c) for e in ENGINES for c in CATALOGS])
def worlds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, analyzer: object
) -> Iterator[Worlds]:
    engine, catalog = request.param

    def built(stack: ExitStack, keys: tuple[str, ...]) -> World:
        root = tmp_path_factory.mktemp(f"world-{engine}-{catalog}-{''.join(keys)}")
        making = build_world(engine, catalog, root, analyzer, keys)
        stack.callback(making.close)  # runs the world's teardown
        return next(making)

    with ExitStack() as stack:
        yield Worlds(built(stack, ("b", "a")), {key: built(stack, (key,)) for key in ("a", "b")})


@pytest.fixture
def world(worlds: Worlds) -> World:
    return worlds.both
