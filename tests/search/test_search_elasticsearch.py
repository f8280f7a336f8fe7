"""The conformance suite, unchanged on the real Elasticsearch node started by scripts/search-nodes,
plus the DSL backend's own checks (tests/search/dsl_engine_checks.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest

from search.backend import SearchBackend
from search.dsl_backend import DslBackend
from search.elasticsearch_backend import elasticsearch_backend
from tests.conftest import service_url
from tests.search.dsl_engine_checks import *  # noqa: F403
from tests.search.evaluate_agreement import *  # noqa: F403
from tests.search.note_conformance import *  # noqa: F403
from tests.search.query_conformance import *  # noqa: F403
from tests.search.search_conformance import *  # noqa: F403
from tests.search.tag_conformance import *  # noqa: F403

pytestmark = pytest.mark.elasticsearch


@pytest.fixture(scope="module")
def backend_factory() -> Iterator[Callable[[], SearchBackend]]:
    url = service_url("FOIA_TEST_ELASTICSEARCH_URL", "the Elasticsearch node (scripts/search-nodes)")
    made: list[DslBackend] = []

    def make() -> SearchBackend:
        backend = elasticsearch_backend(url, index=f"foia-test-{uuid.uuid4().hex[:10]}")
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.destroy()
        backend.close()
