"""The README documents every setting and every command (a new one without docs fails here)."""

from __future__ import annotations

from pathlib import Path

from foia.cli import app
from foia.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    missing = [f"FOIA_{name.upper()}" for name in Settings.model_fields if f"`FOIA_{name.upper()}`" not in README]
    assert not missing, f"undocumented settings: {missing}"


def test_every_command_is_in_the_readme() -> None:
    commands = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    groups = [g.name for g in app.registered_groups if g.name]
    missing = [name for name in commands + groups if f"foia {name}" not in README]
    assert not missing, f"undocumented commands: {missing}"
