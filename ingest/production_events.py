"""The production hook: listeners told once when a production's last document is indexed.

The worker hints the documents it finished (`touched`); its upkeep thread (ingest/worker.py) then calls
`run_due`, which asks the catalog (catalog/production_notices.py) which of those productions are over and
tells each listener not told yet. Every so often, and at start, it looks at every production instead of
the hinted ones: that is how a production whose last document a dead worker indexed, or whose listener
was interrupted by a crash, is still told (after the claim's lease runs out). Two workers never tell one
listener about one round twice: each claim is one catalog row.

A production that gets more files after it was told is told again once those are indexed (a new round):
an upload in several batches is the usual case. A listener is told again only when it raised (after a
growing delay, up to `max_attempts`) or its worker died while it ran, so listeners make what they do
idempotent per production (keyed by production id), never per call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Protocol

import structlog

from catalog.production_notices import FAILED, ProductionNotices, Round

log = structlog.get_logger(__name__)

FULL_SWEEP_SECONDS = 30.0


class ProductionListener(Protocol):
    def production_indexed(self, production_id: str) -> None:
        """Every document of the production is indexed (or failed): searches with its production filter
        see all of it. Called once per round; raise to be called again later."""
        ...


class ProductionEvents:
    def __init__(
        self,
        notices: ProductionNotices,
        listeners: Mapping[str, ProductionListener],
        owner: str,
        lease_seconds: float = 60.0,
        max_attempts: int = 5,
        retry_seconds: float = 30.0,
        full_sweep_seconds: float = FULL_SWEEP_SECONDS,
    ) -> None:
        self.notices = notices
        self.listeners = dict(listeners)
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.full_sweep_seconds = full_sweep_seconds
        self._lock = threading.Lock()
        self._touched: set[str] = set()
        self._last_full = float("-inf")  # the first run looks at every production: a restart misses nothing

    def touched(self, document_ids: Iterable[str]) -> None:
        """These documents' jobs ended (indexed or failed): their productions may be over."""
        with self._lock:
            self._touched.update(document_ids)

    def run_due(self, full: bool | None = None) -> int:
        """Tell the listeners about every production that is over and not told yet; returns how many
        listener calls succeeded. `full` None: every production once per full_sweep_seconds, else the hinted."""
        if not self.listeners:
            with self._lock:
                self._touched.clear()
            return 0
        now = time.monotonic()
        if full is None:
            full = now - self._last_full >= self.full_sweep_seconds
        with self._lock:
            hinted, self._touched = self._touched, set()
        if full:
            self._last_full = now
            rounds = self.notices.over()
        else:
            if not hinted:
                return 0
            rounds = self.notices.over(self.notices.productions_of(hinted))
        told = 0
        for round_, name in self.notices.due(rounds, sorted(self.listeners)):
            if self.notices.claim(round_, name, self.owner, self.lease_seconds):
                told += self._tell(round_, name)
        return told

    def _tell(self, round_: Round, name: str) -> int:
        bound = log.bind(production_id=round_.production_id, files=round_.files, listener=name)
        stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(round_, name, stop), daemon=True)
        beat.start()
        started = time.perf_counter()
        try:
            self.listeners[name].production_indexed(round_.production_id)
        except Exception as exc:  # a listener's failure is its notice's state, never a dead worker
            stop.set()
            beat.join()
            state = self.notices.give_back(
                round_, name, self.owner, f"{type(exc).__name__}: {exc}", self.max_attempts, self.retry_seconds
            )
            if state == FAILED:
                bound.exception("production_listener_failed", final=True)
            else:
                bound.exception("production_listener_failed", final=False)
            return 0
        stop.set()
        beat.join()
        self.notices.finish(round_, name, self.owner)
        bound.info("production_listener_done", seconds=round(time.perf_counter() - started, 2))
        return 1

    def _heartbeat(self, round_: Round, name: str, stop: threading.Event) -> None:
        while not stop.wait(self.lease_seconds / 3):
            try:
                if not self.notices.renew(round_, name, self.owner, self.lease_seconds):
                    return
            except Exception:  # the next beat tries again; without any, the lease lapses as for a dead worker
                log.exception("production_notice_heartbeat_failed", production_id=round_.production_id)
