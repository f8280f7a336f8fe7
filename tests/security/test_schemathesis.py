"""The whole OpenAPI surface fuzzed with schemathesis against the ASGI app over two ingested matters:
no 500, and every response matches the schema the API publishes. A summary is written for RESULTS.md.

schemathesis' own pytest plugin breaks on pytest 9 (`request.node._nodeid`), so each operation's
hypothesis strategy is driven here directly; failures are collected per operation and reported together.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.security.conftest import Matters

SUMMARY = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis-summary.json"
EXAMPLES = int(os.environ.get("FOIA_SCHEMATHESIS_EXAMPLES", "40"))


def test_every_operation_of_the_openapi_document(tantivy_matters: Matters) -> None:
    app = tantivy_matters.client.app
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    admin = tantivy_matters.as_("admin-all")
    calls: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    failures: dict[str, str] = {}
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        def check(case: schemathesis.Case, label: str = label) -> None:  # type: ignore[type-arg]
            response = case.call_and_validate(headers=admin, checks=[not_a_server_error, response_schema_conformance])
            calls[label] += 1
            statuses[str(response.status_code)] += 1

        run = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)(
            given(case=operation.as_strategy())(lambda case: check(case))
        )
        try:
            run()
        except Exception as exc:
            failures[label] = f"{type(exc).__name__}: {str(exc)[:2000]}"
    summary = {
        "operations": len(operations),
        "examples_per_operation": EXAMPLES,
        "requests": sum(calls.values()),
        "seconds": round(time.monotonic() - started, 1),
        "statuses": dict(sorted(statuses.items())),
        "failures": failures,
        "calls": dict(sorted(calls.items())),
    }
    SUMMARY.parent.mkdir(exist_ok=True)
    SUMMARY.write_text(json.dumps(summary, indent=2))
    assert not failures, json.dumps(failures, indent=2)
