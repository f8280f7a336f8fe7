"""Fixtures shared by every test package: the released-records corpus and the real spaCy analyzer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def corpus_root() -> Path:
    return Path(os.environ.get("FOIA_CORPUS_DIR", REPO.parent / "shared" / "corpus")).resolve()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    root = corpus_root()
    if not (root / "manifest.tsv").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the released-records corpus at {root}")
        pytest.skip(reason=f"needs the released-records corpus at {root} (../shared/corpus)")
    return root


@pytest.fixture(scope="session")
def analyzer():
    from nlp import Analyzer

    return Analyzer()


def service_url(variable: str, what: str) -> str:
    """URL of a service scripts/test.sh started; a skip outside CI, a failure in CI (it must be there)."""
    url = os.environ.get(variable)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{variable} is not set: scripts/test.sh starts {what} for CI")
        pytest.skip(reason=f"needs {what}: run the tests with scripts/test.sh (sets {variable})")
    return url
