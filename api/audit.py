"""The audit log from the API's side: uploads, exports, sign-ins and token use (who, when, what).

Rows go through the catalog's audit log (catalog/audit.py), which only ever inserts; the table refuses UPDATE and DELETE
(migration 0002). Token use is recorded once per token per `use_interval` seconds, not per request:
a search box typing ahead must not turn the audit log into a request log.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from api.deps import Principal

log = structlog.get_logger(__name__)


class AuditSink(Protocol):
    def record(
        self, actor: str, action: str, target: str | None = None, detail: dict[str, Any] | None = None
    ) -> None: ...


@dataclass
class Auditor:
    sink: AuditSink
    use_interval: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _last_use: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, principal: Principal, action: str, target: str | None = None, **detail: Any) -> None:
        try:
            self.sink.record(principal.name, action, target, detail)
        except Exception:  # an audit failure is logged loudly, never turned into a lost upload
            log.exception("audit_write_failed", actor=principal.name, action=action, target=target)

    def token_used(self, principal: Principal, method: str, path: str) -> None:
        now = self.clock()
        with self._lock:
            last = self._last_use.get(principal.name)
            if last is not None and now - last < self.use_interval:
                return
            self._last_use[principal.name] = now
        self.record(principal, "token.use", path, method=method)


def auditor_of(app_state: Any) -> Auditor | None:
    auditor: Auditor | None = getattr(app_state, "auditor", None)
    return auditor
