"""`foia serve`'s API processes: started, watched and respawned, each respawn logged with its cause.

uvicorn's own supervisor pings each process and kills one that has not answered within five seconds,
starting or not. A process answers only once its interpreter is up and uvicorn is imported (and, run from
the `foia` command, once the command's module is imported again in it): on a loaded machine that takes
longer than five seconds, so every process was killed while still starting, again and again, and nothing
was logged (uvicorn logs respawns at INFO, below `foia serve`'s uvicorn level).

Here a process is in one of two states. Starting: only its death counts, or still not serving after
FOIA_API_START_SECONDS. Serving (it has answered that its server is up): it must answer a ping within
FOIA_API_HEALTH_SECONDS, or it is hung. One ping is outstanding at a time, so answers never queue up behind
a slow start. "serving" is logged once every process serves.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from socket import socket

import structlog
import uvicorn
from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

log = structlog.get_logger("foia.api_processes")


@dataclass
class Watch:
    """What the supervisor knows of one API process."""

    started_at: float
    ready_at: float | None = None
    ping_sent_at: float | None = None


def exit_cause(exitcode: int | None) -> str:
    if exitcode is None:
        return "gone"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


def respawn_cause(
    watch: Watch, alive: bool, exitcode: int | None, now: float, start_seconds: float, health_seconds: float
) -> str | None:
    """Why this process must be replaced, or None while it is fine (serving, or still starting in time)."""
    if not alive:
        return exit_cause(exitcode)
    if watch.ready_at is None:
        if now - watch.started_at > start_seconds:
            return f"not serving {start_seconds:.0f}s after it was started"
        return None
    if watch.ping_sent_at is not None and now - watch.ping_sent_at > health_seconds:
        return f"no answer to the health check for {health_seconds:.0f}s"
    return None


class ApiSupervisor(Multiprocess):
    def __init__(
        self,
        config: Config,
        sockets: list[socket],
        *,
        start_seconds: float,
        health_seconds: float,
        on_serving: Callable[[], None],
    ) -> None:
        super().__init__(config, sockets)
        self.start_seconds = start_seconds
        self.health_seconds = health_seconds
        self._on_serving: Callable[[], None] | None = on_serving
        self._watches: dict[int, Watch] = {}

    def _watch(self, process: Process) -> Watch:
        # Processes started by uvicorn's own handlers (SIGHUP, SIGTTIN) are watched from when first seen.
        return self._watches.setdefault(id(process), Watch(started_at=time.monotonic()))

    def init_processes(self) -> None:
        super().init_processes()
        for process in self.processes:
            self._watch(process)
            log.info("api_process_started", pid=process.pid)

    def _probe(self, process: Process, watch: Watch, now: float) -> None:
        """Reads any answer to the outstanding ping, then sends the next one (never two at a time)."""
        try:
            while watch.ping_sent_at is not None and process.parent_conn.poll(0):
                serving = bool(process.parent_conn.recv())
                watch.ping_sent_at = None
                if serving and watch.ready_at is None:
                    watch.ready_at = now
                    log.info("api_process_ready", pid=process.pid, seconds=round(now - watch.started_at, 1))
            if watch.ping_sent_at is None:
                process.parent_conn.send(b"ping")
                watch.ping_sent_at = now
        except (OSError, EOFError):
            pass  # the process is dying: is_alive() tells on the next round

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        now = time.monotonic()
        for idx, process in enumerate(self.processes):
            watch = self._watch(process)
            alive = process.process.is_alive()
            if alive:
                self._probe(process, watch, now)
            cause = respawn_cause(watch, alive, process.exitcode, now, self.start_seconds, self.health_seconds)
            if cause is None:
                continue
            process.kill()
            process.join()
            del self._watches[id(process)]
            if watch.ready_at is None and process.exitcode == STARTUP_FAILURE:
                # The app itself cannot start (bad settings, unreachable catalog): every respawn would fail.
                log.error("api_process_failed_to_start", pid=process.pid, detail="stopping foia serve")
                self.should_exit.set()
                return
            replacement = Process(self.config, self.sockets)
            replacement.start()
            self.processes[idx] = replacement
            self._watch(replacement)
            log.warning("api_process_respawned", pid=process.pid, cause=cause, new_pid=replacement.pid)
        if self._on_serving is not None and all(self._watch(p).ready_at is not None for p in self.processes):
            self._on_serving()
            self._on_serving = None


class AnnouncingServer(uvicorn.Server):
    """One API process in the serving process itself: says "serving" once it accepts connections."""

    def __init__(self, config: Config, on_serving: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_serving = on_serving

    async def startup(self, sockets: list[socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_serving()


def run_api(config: Config, *, start_seconds: float, health_seconds: float, on_serving: Callable[[], None]) -> None:
    """Serves `config` until SIGTERM/SIGINT: in this process, or in `config.workers` supervised processes
    sharing one socket bound here."""
    if config.workers <= 1:
        server = AnnouncingServer(config, on_serving)
        server.run()
        if not server.started:  # as uvicorn.run: the port is taken, or the app's startup failed
            sys.exit(STARTUP_FAILURE)
        return
    supervisor = ApiSupervisor(
        config,
        [config.bind_socket()],
        start_seconds=start_seconds,
        health_seconds=health_seconds,
        on_serving=on_serving,
    )
    supervisor.run()
