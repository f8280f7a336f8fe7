"""The catalog every catalog behaviour test runs on: SQLite and PostgreSQL, one parametrised fixture
(each PostgreSQL run in its own schema), and the blob store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.database import sqlite_url
from catalog.sql import SqlCatalog
from tests.catalog.postgres import fresh_schema

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "catalog.sqlite")
        return
    with fresh_schema() as url:
        yield url


@pytest.fixture
def catalog(catalog_url: str) -> Iterator[SqlCatalog]:
    c = SqlCatalog(catalog_url, max_attempts=2)
    c.create_schema()
    yield c
    c.close()


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")
