"""Errors as RFC 9457 problem+json: one error base, and one handler that answers every error the API knows.

Routes raise `Problem(KIND, detail)` (the kinds are declared in api/problem_types.py); the errors of the
layers below, which know nothing of HTTP (the catalog's NotFound, the query parser's syntax error, the
search backend's refusals, a full disk), are translated here, once, instead of in each route.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.problem_types import (
    CONFLICT,
    DISK_FULL,
    INVALID_REQUEST,
    INVALID_SEARCH,
    NOT_FOUND,
    QUERY_SYNTAX,
    ProblemType,
    problem_body,
)
from catalog.diskfull import is_disk_full
from catalog.errors import Conflict, InvalidName, NotFound
from search.backend import InvalidRequest
from search.query.errors import QuerySyntaxError

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """The API's one error base: its problem type (status and title), this occurrence's detail, and any
    extra members (a query error's position). Subclasses add the headers their answer carries."""

    def __init__(self, kind: ProblemType, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.extra = extra

    @property
    def status(self) -> int:
        return self.kind.status

    def decorate(self, response: Response) -> None:
        """Headers this answer carries besides the body (Retry-After, WWW-Authenticate); none here."""


def problem_of(exc: Exception) -> Problem | None:
    """The problem an error is answered with; None for an error that stays a 500 (a bug, logged)."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, NotFound):
        return Problem(NOT_FOUND, str(exc))
    if isinstance(exc, InvalidName):
        return Problem(INVALID_REQUEST, str(exc))
    if isinstance(exc, Conflict):
        return Problem(CONFLICT, str(exc))
    if isinstance(exc, QuerySyntaxError):
        return Problem(QUERY_SYNTAX, exc.message, position=exc.position, hint=exc.hint)
    if isinstance(exc, InvalidRequest):
        return Problem(INVALID_SEARCH, str(exc))
    if isinstance(exc, RequestValidationError):
        errors = [
            {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return Problem(INVALID_REQUEST, detail, errors=errors)
    if is_disk_full(exc):
        return Problem(DISK_FULL, "the server's disk is full: try again later")
    return None


def problem_response(problem: Problem) -> JSONResponse:
    response = JSONResponse(
        problem_body(problem.kind, problem.detail, **problem.extra),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
    )
    problem.decorate(response)
    return response


# What the one handler is registered for: the API's own errors and those problem_of translates (an OSError
# or a database error only when the disk is full; any other stays a 500 with its traceback in the log).
HANDLED: tuple[type[Exception], ...] = (
    Problem,
    NotFound,
    InvalidName,
    Conflict,
    QuerySyntaxError,
    InvalidRequest,
    RequestValidationError,
    OSError,
    SQLAlchemyError,
)


async def answer_problem(_request: Request, exc: Exception) -> Response:
    problem = problem_of(exc)
    if problem is None:
        raise exc
    return problem_response(problem)


def install_problem_handlers(app: FastAPI) -> None:
    for kind in HANDLED:
        app.add_exception_handler(kind, answer_problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # The framework's own answers (no such route, method not allowed): no problem type of ours.
        body = {"type": "about:blank", "title": str(exc.detail), "status": exc.status_code, "detail": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON)
