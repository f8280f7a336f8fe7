"""`/documents/{id}/hits` and the page's highlights come from evaluating the query over the page: a
phrase counts its occurrences, NOT and proximity decide pages as search does, and every page listed is
one search counts as a hit page. Over a real stack (born-digital PDF ingested into SQLite + tantivy)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from tests.factories import born_digital_pdf
from tests.ingest.conftest import make_stack

PAGES = [
    "Face detection and iris recognition are reviewed.",
    "The face recognition pilot ended.\nA second face recognition trial began.",
    "Rekognition pilot with Amazon support.",
    "Rekognition was evaluated by the office.",
    "Clearview presented.\n" + "\n".join(["filler words here"] * 14) + "\nThe trial came later.",
]
PHRASE_PAGES = {2: 2}  # page -> occurrences of "face recognition", as written above


@dataclass
class Client:
    http: TestClient
    document_id: str


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[Client]:
    root = tmp_path_factory.mktemp("hits")
    stack = make_stack(root, analyzer)
    pdf = root / "pilot_memo.pdf"
    pdf.write_bytes(born_digital_pdf(PAGES))
    stack.intake(stack.production("Hits", collection="default"), [pdf])
    stack.run_until_idle()
    stack.index.refresh()
    app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=root / "spool"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as http:
        items = http.get("/api/v1/search", params={"q": "rekognition"}).json()["items"]
        yield Client(http, items[0]["document_id"])
    stack.worker.close()
    stack.index.close()


def _hits(c: Client, q: str) -> dict[int, int]:
    response = c.http.get(f"/api/v1/documents/{c.document_id}/hits", params={"q": q})
    assert response.status_code == 200, response.text
    return {p["page_number"]: p["hits"] for p in response.json()["pages"]}


def _search_hit_pages(c: Client, q: str) -> int:
    items = c.http.get("/api/v1/search", params={"q": q}).json()["items"]
    return sum(i["hit_pages"] for i in items if i["document_id"] == c.document_id)


def _marks(c: Client, page: int, q: str) -> list[str]:
    body = c.http.get(f"/api/v1/documents/{c.document_id}/pages/{page}", params={"q": q}).json()
    return re.findall(r"<mark>(.*?)</mark>", body["highlighted_text"], flags=re.S)


def test_a_phrase_has_exactly_its_occurrences_as_hits(client: Client) -> None:
    assert _hits(client, '"face recognition"') == PHRASE_PAGES
    assert [re.sub(r"\s+", " ", m).lower() for m in _marks(client, 2, '"face recognition"')] == ["face recognition"] * 2
    assert _marks(client, 1, '"face recognition"') == []  # a lone "Face" and "iris recognition" are no hit


@pytest.mark.parametrize(
    ("q", "pages"),
    [
        ("rekognition -amazon", {4}),
        ("rekognition w/3 pilot", {3}),
        ("clearview w/5 trial", set()),
        ("clearview w/60 trial", {5}),
        ('"face recognition" OR rekognition', {2, 3, 4}),
        ("NOT rekognition", {1, 2, 5}),
    ],
)
def test_hit_pages_are_the_pages_search_counts(client: Client, q: str, pages: set[int]) -> None:
    listed = _hits(client, q)
    assert set(listed) == pages
    assert _search_hit_pages(client, q) == len(pages)


def test_proximity_marks_only_the_close_pair(client: Client) -> None:
    assert _marks(client, 3, "rekognition w/3 pilot") == ["Rekognition", "pilot"]
    assert _marks(client, 2, "pilot w/3 rekognition") == []
