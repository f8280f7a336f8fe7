"""The README documents every setting and every command, the query-language and API documentation every
field of the search field registry, and docs/API.md every problem type (a new one without docs fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from api.problem_types import PROBLEM_TYPES
from foia.cli import app
from foia.settings import Settings
from search.fields import FIELDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
API_DOCS = (ROOT / "docs" / "API.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    missing = [f"FOIA_{name.upper()}" for name in Settings.model_fields if f"`FOIA_{name.upper()}`" not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_every_command_is_in_the_readme() -> None:
    commands = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    groups = [g.name for g in app.registered_groups if g.name]
    missing = [name for name in commands + groups if f"foia {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"


SEARCH_README = (Path(__file__).resolve().parents[1] / "search" / "README.md").read_text()
API_DOC = (Path(__file__).resolve().parents[1] / "docs" / "API.md").read_text()
_FIELD_ROW = re.compile(r"^\| `([a-z_]+):` \| (\w+) \| (yes|no) \| (yes|no) \|", re.MULTILINE)


def test_every_field_is_in_the_query_language_documentation() -> None:
    """search/README.md's field table has one row per field of the registry, saying what the registry says."""
    documented = {m[1]: (m[2], m[3] == "yes", m[4] == "yes") for m in _FIELD_ROW.finditer(SEARCH_README)}
    declared = {f.name: (f.kind, f.facet, f.filterable) for f in FIELDS if f.queryable}
    assert documented == declared


def test_every_search_filter_is_in_the_api_documentation() -> None:
    filters = API_DOC[API_DOC.index("## Search") : API_DOC.index("`GET /fields`")]
    missing = [f.name for f in FIELDS if f.filterable and f"`{f.name}`" not in filters]
    assert not missing, f"search filters not in docs/API.md: {missing}"


def test_every_problem_type_is_in_the_api_docs() -> None:
    """Its row in the table of problem types, with the status and title the API answers."""
    rows = {line.split("|")[1].strip(" `"): line for line in API_DOCS.splitlines() if line.startswith("| `/problems/")}
    missing = [kind.uri for kind in PROBLEM_TYPES if kind.uri not in rows]
    wrong = [
        kind.uri
        for kind in PROBLEM_TYPES
        if kind.uri in rows and f"| {kind.status} | {kind.title} |" not in rows[kind.uri]
    ]
    unknown = sorted(set(rows) - {kind.uri for kind in PROBLEM_TYPES})
    assert not missing and not wrong and not unknown, (
        f"undocumented: {missing}; wrong: {wrong}; no such type: {unknown}"
    )
