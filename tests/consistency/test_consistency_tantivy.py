"""The consistency suite on the embedded engine (tantivy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search.tantivy_backend import TantivyBackend
from tests.consistency.conftest import serve
from tests.consistency.suite import *  # noqa: F403
from tests.consistency.suite import Served


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("consistency-tantivy")
    index = TantivyBackend(root / "index")
    yield from serve(root, index)
    index.close()
