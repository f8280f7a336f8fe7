"""The catalog tests' SQLite catalog and blob store (test_postgres_catalog.py overrides both for its
re-run of the same tests on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.blobstore import LocalBlobStore
from catalog.sql import SqlCatalog


@pytest.fixture
def catalog(tmp_path: Path) -> SqlCatalog:
    c = SqlCatalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}", max_attempts=2)
    c.create_schema()
    return c


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")
