"""Structured logging for every entry point: one JSON object per line, or readable console lines.

Every field is escaped by one sanitizer (foia/logtext.py) before it is rendered, and so is every message
from the standard library's loggers (uvicorn's among them): user input never writes raw control
characters into the log.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from foia.logtext import escape_control, escape_event


class EscapingFormatter(logging.Formatter):
    """The standard library's log lines, with their message escaped (a traceback keeps its lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_control(super().formatMessage(record))

    def formatException(self, ei: Any) -> str:
        return escape_control(super().formatException(ei), keep_newlines=True)


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(EscapingFormatter("%(message)s"))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            escape_event,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
