"""The API over a real stack: the generated sample production ingested into SQLite + tantivy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from ingest.sample import SampleManifest, write_sample_production
from tests.ingest.conftest import Stack, make_stack


@dataclass
class ApiStack:
    stack: Stack
    client: TestClient
    sample_dir: Path
    truth: SampleManifest
    production_id: str


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[ApiStack]:
    root = tmp_path_factory.mktemp("api")
    stack = make_stack(root, analyzer)
    sample_dir = root / "sample"
    truth = write_sample_production(sample_dir)
    production = stack.production("Sample production", collection="default")
    stack.intake(production, sorted(sample_dir.glob("*.pdf")))
    stack.run_until_idle()
    stack.index.refresh()
    app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=root / "spool"))
    # Open mode (no token): it answers loopback host names only, so the client says 127.0.0.1.
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield ApiStack(stack, client, sample_dir, truth, production.id)
    stack.worker.close()
    stack.index.close()
