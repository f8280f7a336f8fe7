from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sample import SampleManifest, write_sample_production


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sample-production")


@pytest.fixture(scope="session")
def manifest(sample_dir: Path) -> SampleManifest:
    # Generated once per session: about 4 s, most of it rendering and degrading the scanned pages.
    return write_sample_production(sample_dir, seed=0)
