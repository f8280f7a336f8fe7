"""Nothing `foia serve` starts outlives it, even when it is killed with -9.

Linux's parent-death signal (prctl PR_SET_PDEATHSIG) is set in every process whose parent is the process
it must die with: API processes (uvicorn spawns them from the serving process) and tesseract (started by
an OCR process). Pool processes (OCR in the worker, rendering in each API process) are different: their
parent is the pool's multiprocessing forkserver, which exits only once every process it forked has closed
its copy of the owner's "alive" pipe, so a pool process waiting for its parent would wait forever (that is
how they were orphaned). Each one watches its owner instead: a thread blocked on a pidfd of the owner
(Linux 5.3; a one-second poll elsewhere) exits the process the moment the owner dies. Then the forkserver
sees its pipe close and exits, and the resource tracker exits once every process holding its pipe has gone.

Why not a process group, or a subreaper that cleans up: `kill -9` of the group leader does not signal the
group, and a subreaper would itself be a process that outlives `foia serve`. The death signal is kept by
the kernel, costs nothing, and needs no process of its own.

The signal fires when the parent *thread* ends, so it is set only in children of long-lived threads (a
pool's forkserver forks its workers from its main thread; uvicorn's supervisor from its own main thread;
tesseract is started from an OCR process's only thread). It covers deaths from the moment it is set on:
a child checks its owner is still alive right after, and exits if not.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Looked up once here, not in a freshly forked child (set_parent_death_signal runs between fork and exec).
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def set_parent_death_signal() -> bool:
    """SIGKILL this process when its parent dies; False where the platform has no such signal."""
    if _PRCTL is None:
        return False
    return bool(_PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's: cannot be ours, but it exists
        return True
    return True


def _exit_when_gone(owner_pid: int, pidfd: int | None) -> None:
    if pidfd is not None:
        select.select([pidfd], [], [])  # readable once the process has exited
    else:
        while is_alive(owner_pid):
            time.sleep(1.0)
    os._exit(1)


def die_with_owner(owner_pid: int) -> None:
    """In a pool process (its initializer): exit as soon as `owner_pid`, the process that made the pool, has
    died, and now if it already has; and die with the forkserver too."""
    set_parent_death_signal()
    pidfd = None
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(owner_pid)
        except ProcessLookupError:
            os._exit(1)
        except OSError:  # a kernel before 5.3: poll instead
            pidfd = None
    if not is_alive(owner_pid):
        os._exit(1)
    threading.Thread(target=_exit_when_gone, args=(owner_pid, pidfd), name="owner-watch", daemon=True).start()
