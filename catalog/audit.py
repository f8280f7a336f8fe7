"""The audit log: who did what, appended only (PostgreSQL refuses UPDATE and DELETE on it, migration 0002)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert

from catalog import schema as t
from catalog.database import Database, utcnow


class AuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None) -> None:
        with self._db.writer.begin() as conn:
            conn.execute(
                insert(t.audit_log).values(
                    at=utcnow(), actor=actor, action=action, target=target, detail=json.dumps(detail or {})
                )
            )
