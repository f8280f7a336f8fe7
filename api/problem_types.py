"""Every kind of error the API answers (RFC 9457 problem types): one declared list.

Each type has one status and one title, the same on every occurrence; `detail` says what went wrong this
time. docs/API.md documents every type (tests/test_docs.py fails when one is not).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"


UNAUTHORIZED = ProblemType("unauthorized", 401, "Not signed in")
FORBIDDEN = ProblemType("forbidden", 403, "Forbidden")
NOT_FOUND = ProblemType("not-found", 404, "Not found")
CONFLICT = ProblemType("conflict", 409, "Conflict")
INVALID_REQUEST = ProblemType("invalid-request", 422, "Invalid request")
QUERY_SYNTAX = ProblemType("query-syntax", 400, "Query syntax error")
INVALID_SEARCH = ProblemType("invalid-search", 400, "Invalid search request")
INVALID_CURSOR = ProblemType("invalid-cursor", 400, "Invalid cursor")
BATCH_TOO_LARGE = ProblemType("batch-too-large", 400, "Batch too large")
INVALID_CORRECTION = ProblemType("invalid-correction", 400, "Invalid correction")
INVALID_TERMS = ProblemType("invalid-terms", 422, "Watchlist terms that cannot be kept")
COLLECTION_REQUIRED = ProblemType("collection-required", 400, "Name the collection")
RENDER_FAILED = ProblemType("render-failed", 422, "Page cannot be rendered")
TOO_LARGE = ProblemType("too-large", 413, "Upload too large")
HEADER_TOO_LARGE = ProblemType("header-too-large", 431, "Request header fields too large")
RATE_LIMITED = ProblemType("rate-limited", 429, "Too many requests")
SEARCH_TIMEOUT = ProblemType("search-timeout", 503, "Search took too long")
DISK_FULL = ProblemType("disk-full", 507, "Insufficient storage")
SCREENING_UNAVAILABLE = ProblemType("screening-unavailable", 503, "Screening is not available")

PROBLEM_TYPES: tuple[ProblemType, ...] = (
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    INVALID_REQUEST,
    QUERY_SYNTAX,
    INVALID_SEARCH,
    INVALID_CURSOR,
    BATCH_TOO_LARGE,
    INVALID_CORRECTION,
    INVALID_TERMS,
    COLLECTION_REQUIRED,
    RENDER_FAILED,
    TOO_LARGE,
    HEADER_TOO_LARGE,
    RATE_LIMITED,
    SEARCH_TIMEOUT,
    DISK_FULL,
    SCREENING_UNAVAILABLE,
)


def problem_body(kind: ProblemType, detail: str, **extra: object) -> dict[str, object]:
    """The problem+json object (also for the answers written below the app: 413 while streaming, 431)."""
    return {"type": kind.uri, "title": kind.title, "status": kind.status, "detail": detail, **extra}
