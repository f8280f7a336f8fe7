"""Is this error a full disk? One answer for the blob store, SQLite and PostgreSQL.

A full disk is not a bad file and not a bug: the upload answers 507 with each file's reason, and the worker
waits for space instead of failing files or exiting. SQLite says "database or disk is full", or, when it
cannot even create its shared-memory file for a new connection, "disk I/O error"; PostgreSQL "could not
extend file" (SQLSTATE 53100); the operating system ENOSPC or EDQUOT.
"""

from __future__ import annotations

import errno

_MESSAGES = ("database or disk is full", "disk i/o error", "no space left on device", "could not extend file")
_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

DISK_FULL_REASON = "not stored: the server's disk is full (nothing of this file was kept; send it again later)"


def is_disk_full(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _ERRNOS:
            return True
        if getattr(current, "pgcode", None) == "53100" or getattr(current, "sqlstate", None) == "53100":
            return True
        if any(message in str(current).lower() for message in _MESSAGES):
            return True
        orig = getattr(current, "orig", None)  # SQLAlchemy's wrapper around the driver's error
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
    return False
