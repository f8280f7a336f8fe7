"""An engine refusing a prefix inside a phrase or proximity that expands to too many index terms.

Inside a phrase or a proximity (`"the surv*"`, `surv* w/5 police`) each engine expands a prefix over
the terms of the whole index and refuses the query past its own limit: tantivy at 16,384 terms
("exceeded max expansions"), OpenSearch at 128 ("expanded to too many terms"), Elasticsearch at its
clause limit. That refusal is the user's query being too broad, so it is an InvalidRequest (a 400
that says what to do), never an engine error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from search.backend import InvalidRequest

_P = ParamSpec("_P")
_R = TypeVar("_R")

_ENGINE_MESSAGES = (
    "exceeded max expansions",  # tantivy
    "expanded to too many terms",  # Lucene automaton expansion (OpenSearch, Elasticsearch)
    "too_many_clauses",  # Elasticsearch/OpenSearch error type past the clause limit
    "too_many_nested_clauses",
)

ADVICE = "a prefix inside a phrase or proximity matches too many words of the index; give it more letters"


def too_many_expansions(exc: BaseException) -> bool:
    # The engine clients keep the whole error body (root causes included) in `info` / `body`: OpenSearch
    # reports an aggregation's failure on top and the expansion limit only among the causes.
    text = " ".join(str(part) for part in (exc, getattr(exc, "info", ""), getattr(exc, "body", "")))
    return any(m in text for m in _ENGINE_MESSAGES)


def refusing_expansions(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn an engine's too-many-expansions error raised by `method` into InvalidRequest."""

    @wraps(method)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except InvalidRequest:
            raise
        except Exception as exc:
            if too_many_expansions(exc):
                raise InvalidRequest(ADVICE) from exc
            raise

    return call
