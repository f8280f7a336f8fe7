"""A page whose Bates stamp is missing between stamped pages of one sequence carries the inferred number,
marked inferred, in the document's page summaries and on the page itself. Over a real stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from tests.factories import BATES_GAP_PAGES, bates_gap_pdf
from tests.ingest.conftest import make_stack

TAG = "stampgap"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[tuple[TestClient, str]]:
    root = tmp_path_factory.mktemp("bates")
    stack = make_stack(root, analyzer)
    pdf = root / "stamp_gap.pdf"
    pdf.write_bytes(bates_gap_pdf(TAG))
    stack.intake(stack.production("Stamps", collection="default"), [pdf])
    stack.run_until_idle()
    stack.index.refresh()
    app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=root / "spool"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as http:
        items = http.get("/api/v1/search", params={"q": TAG}).json()["items"]
        yield http, items[0]["document_id"]
    stack.worker.close()
    stack.index.close()


def test_page_summaries_carry_inferred_bates(client: tuple[TestClient, str]) -> None:
    http, document_id = client
    body = http.get(f"/api/v1/documents/{document_id}").json()
    assert [(p["bates"], p["bates_inferred"]) for p in body["pages"]] == [
        (value, inferred) for _, value, inferred in BATES_GAP_PAGES
    ]
    # The document's range stays the stamps read from its pages.
    stamped = [stamp for stamp, _, _ in BATES_GAP_PAGES if stamp]
    assert (body["bates_begin"], body["bates_end"]) == (stamped[0], stamped[-1])


@pytest.mark.parametrize("number", range(1, len(BATES_GAP_PAGES) + 1))
def test_the_page_carries_the_same_bates(client: tuple[TestClient, str], number: int) -> None:
    http, document_id = client
    page = http.get(f"/api/v1/documents/{document_id}/pages/{number}").json()
    _, value, inferred = BATES_GAP_PAGES[number - 1]
    assert (page["bates"], page["bates_inferred"]) == (value, inferred)
