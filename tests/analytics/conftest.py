"""The sample production ingested into two collections on a real stack (SQLite, tantivy, tesseract, spaCy):
the ICE thread's first release in its own production and collection, everything else in another, so
re-releases cross productions and access scoping has something to hide."""

from __future__ import annotations

import math
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from api.app import create_app
from api.config import ApiSettings
from api.deps import Principal
from catalog.database import document_id_for
from foia.asgi import install_screening
from ingest.sample import SampleManifest, write_sample_production
from ingest.sample.model import RedactionBox as TruthBox
from tests.ingest.conftest import Stack, make_stack

FIRST_RELEASE = "ICE_HSI_Clearview_Trial_Emails_Release1.pdf"


@dataclass
class AnalyticsStack:
    stack: Stack
    client: TestClient
    truth: SampleManifest
    main_production: str
    first_release_production: str
    first_release_collection: str
    ingest_logs: list[MutableMapping[str, Any]] = field(default_factory=list)  # what the worker logged ingesting

    def doc_id(self, file_name: str) -> str:
        return document_id_for(self.truth.file(file_name).sha256)

    def scoped_to(self, collection_ids: frozenset[str] | None) -> None:
        """Answer the following requests as a principal who sees only these collections."""
        self.client.app.state.principal_resolver = lambda _request: Principal("t", "reader", collection_ids)  # type: ignore[attr-defined]


@pytest.fixture(scope="package")
def sample_stack(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[AnalyticsStack]:
    root = tmp_path_factory.mktemp("analytics")
    stack = make_stack(root, analyzer)
    folder = root / "sample"
    truth = write_sample_production(folder)
    main = stack.production("Sample production", collection="default")
    first = stack.production("ICE first release", collection="ice")
    with capture_logs() as logs:
        stack.intake(first, [folder / FIRST_RELEASE])
        stack.intake(main, sorted(p for p in folder.glob("*.pdf") if p.name != FIRST_RELEASE))
        stack.run_until_idle()
    stack.index.refresh()
    app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=root / "spool"))
    install_screening(app, stack)  # the watchlist reports are answers to check too
    # Open mode (no token): it answers loopback host names only, so the client says 127.0.0.1.
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield AnalyticsStack(stack, client, truth, main.id, first.id, first.collection_id, logs)
    stack.worker.close()
    stack.index.close()


@pytest.fixture
def api(sample_stack: AnalyticsStack) -> Iterator[AnalyticsStack]:
    sample_stack.scoped_to(None)
    yield sample_stack
    sample_stack.scoped_to(None)


def released_position(box: TruthBox, rotation_degrees: float, width: float, height: float) -> tuple[float, ...]:
    """Where a truth box lies on the released page: the generator records scanned boxes before the tilt,
    so rotate the corners as the scan was rotated (about the page centre, counter-clockwise) and take
    their bounding box."""
    a = math.radians(rotation_degrees)
    cx, cy = width / 2, height / 2
    xs, ys = [], []
    for x, y in ((box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * math.cos(a) + dy * math.sin(a))
        ys.append(cy - dx * math.sin(a) + dy * math.cos(a))
    return min(xs), min(ys), max(xs), max(ys)


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
