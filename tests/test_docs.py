"""The README documents every setting and every command, and the query-language and API documentation every
field of the search field registry (a new one without docs fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from foia.cli import app
from foia.settings import Settings
from search.fields import FIELDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


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
