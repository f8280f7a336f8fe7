"""The consistency suite on the real OpenSearch node started by scripts/search-nodes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from search.opensearch_backend import opensearch_backend
from tests.conftest import service_url
from tests.consistency.conftest import serve
from tests.consistency.suite import *  # noqa: F403
from tests.consistency.suite import Served

pytestmark = pytest.mark.opensearch


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    url = service_url("FOIA_TEST_OPENSEARCH_URL", "the OpenSearch node (scripts/search-nodes)")
    index = opensearch_backend(url, index=f"foia-consistency-{uuid.uuid4().hex[:10]}")
    try:
        yield from serve(tmp_path_factory.mktemp("consistency-opensearch"), index)
    finally:
        index.destroy()
        index.close()
