"""A failure that repeats (a full disk, a catalog gone) is logged once per interval, not on every retry.

The worker retries twice a second per thread; logging each retry with its traceback flooded the log with
the same lines. The first failure is logged with its traceback, then one line per interval says it goes on
(how many times, the last error), and one line when it works again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog

log = structlog.get_logger(__name__)

DEFAULT_INTERVAL_SECONDS = 60.0


class RepeatedFailure:
    def __init__(
        self, event: str, interval: float = DEFAULT_INTERVAL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.event = event
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None
        self._logged_at = 0.0
        self._count = 0

    @property
    def failing(self) -> bool:
        return self._since is not None

    def failed(self, exc: BaseException, **fields: object) -> None:
        now = self._clock()
        with self._lock:
            self._count += 1
            if self._since is None:
                self._since, self._logged_at = now, now
                log.error(self.event, error=str(exc), exc_info=exc, **fields)
            elif now - self._logged_at >= self.interval:
                self._logged_at = now
                log.error(
                    self.event,
                    error=str(exc),
                    failing_for_seconds=round(now - self._since),
                    failures=self._count,
                    **fields,
                )

    def succeeded(self) -> None:
        with self._lock:
            if self._since is None:
                return
            log.info(f"{self.event}_over", failing_for_seconds=round(self._clock() - self._since), failures=self._count)
            self._since, self._count = None, 0
