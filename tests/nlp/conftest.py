from __future__ import annotations

import pytest

from nlp import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    # Loading the model takes about a second: once per test session.
    return Analyzer()
