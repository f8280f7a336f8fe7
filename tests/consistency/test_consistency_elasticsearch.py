"""The consistency suite on the real Elasticsearch node started by scripts/search-nodes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from search.elasticsearch_backend import elasticsearch_backend
from tests.conftest import service_url
from tests.consistency.conftest import serve
from tests.consistency.suite import *  # noqa: F403
from tests.consistency.suite import Served

pytestmark = pytest.mark.elasticsearch


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    url = service_url("FOIA_TEST_ELASTICSEARCH_URL", "the Elasticsearch node (scripts/search-nodes)")
    index = elasticsearch_backend(url, index=f"foia-consistency-{uuid.uuid4().hex[:10]}")
    try:
        yield from serve(tmp_path_factory.mktemp("consistency-elasticsearch"), index)
    finally:
        index.destroy()
        index.close()
