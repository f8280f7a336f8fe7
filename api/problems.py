"""Errors as RFC 9457 problem+json, mapped from exceptions in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog.diskfull import is_disk_full
from catalog.errors import Conflict, InvalidName, NotFound

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    def __init__(self, status: int, title: str, detail: str = "", type_: str = "about:blank", **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.extra = extra


def problem_response(
    status: int, title: str, detail: str = "", type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.title, exc.detail, exc.type, **exc.extra)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return problem_response(404, "Not found", str(exc), "/problems/not-found")

    @app.exception_handler(InvalidName)
    async def _invalid_name(_request: Request, exc: InvalidName) -> JSONResponse:
        return problem_response(422, "Invalid name", str(exc), "/problems/invalid-request")

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, exc: Conflict) -> JSONResponse:
        return problem_response(409, "Conflict", str(exc), "/problems/conflict")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return problem_response(422, "Invalid request", detail, "/problems/invalid-request", errors=errors)

    async def _disk_full(_request: Request, exc: Exception) -> JSONResponse:
        if not is_disk_full(exc):
            raise exc  # any other failure stays a 500 with its traceback in the log
        return problem_response(
            507, "Insufficient storage", "the server's disk is full: try again later", "/problems/disk-full"
        )

    app.add_exception_handler(OSError, _disk_full)
    app.add_exception_handler(SQLAlchemyError, _disk_full)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem_response(exc.status_code, str(exc.detail), str(exc.detail))
