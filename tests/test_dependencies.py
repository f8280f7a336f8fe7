"""Every package our code imports is declared in pyproject.toml, and requirements.lock pins each declared one
at the same version: nothing works only because another package happens to pull it in."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
SOURCE_PACKAGES = ("foia", "catalog", "search", "ingest", "api", "nlp", "frontend")
TOOL_DIRS = ("tests", "bench", "scripts")
OURS = {*SOURCE_PACKAGES, *TOOL_DIRS}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: Iterable[str]) -> dict[str, str]:
    """Distribution name -> pinned version of `name[extra]==version` lines."""
    out = {}
    for line in requirements:
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            out[_norm(name.split("[")[0])] = version.strip()
    return out


RUNTIME = _pins(PROJECT["dependencies"])
DEV = _pins(PROJECT["optional-dependencies"]["dev"])
LOCK = _pins((ROOT / "requirements.lock").read_text().splitlines())


def _imported(directory: Path) -> dict[str, set[str]]:
    """Top-level names of the absolute imports in the .py files under `directory` -> files importing them
    (standard library, our own packages and modules beside the importer, such as bench's, left out)."""
    found: dict[str, set[str]] = {}
    for path in directory.rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                local = (path.parent / f"{top}.py").exists() or (path.parent / top).is_dir()
                if top not in sys.stdlib_module_names and top not in OURS and not local:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _undeclared(directories: Iterable[str], declared: dict[str, str]) -> dict[str, list[str]]:
    distributions = importlib.metadata.packages_distributions()
    missing: dict[str, list[str]] = {}
    for directory in directories:
        for top, files in _imported(ROOT / directory).items():
            names = [_norm(d) for d in distributions.get(top, [])]
            if not any(n in declared for n in names):
                missing.setdefault(f"{top} ({', '.join(names) or 'not installed'})", []).extend(sorted(files))
    return missing


def test_the_code_imports_only_declared_runtime_packages() -> None:
    assert _undeclared(SOURCE_PACKAGES, RUNTIME) == {}


def test_tests_and_tools_import_only_declared_packages() -> None:
    assert _undeclared(TOOL_DIRS, {**RUNTIME, **DEV}) == {}


def test_the_lock_pins_every_declared_package_at_its_declared_version() -> None:
    declared = {**RUNTIME, **DEV}
    assert {name: LOCK.get(name) for name in declared} == declared
