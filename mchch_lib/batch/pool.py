"""The local executor (``batch.executor.Executor``): N worker processes, each running one job
at a time.

Workers are forked from the batch process after validation, so they start with every library
imported and the run's data in memory (on systems without fork they are spawned and read the
data by its cache key). A job's events (its stages, each notebook cell) come back as it runs;
a worker that dies (a cell calling ``os._exit``, a crash in a C library) fails only its job and
is replaced; a job that is silent longer than its cell timeout plus a margin is killed (a cell
stuck where the in-process timeout cannot reach it).

The batch process itself stays single-threaded: no thread runs while a worker is forked.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait

from mchch_lib.batch.worker import JobResult, after_job, execute_job, failed_result

#: Seconds a job may stay silent beyond its cell timeout before its worker is killed.
WATCHDOG_GRACE_S = 30


def _worker_main(conn, parent_ends=(), parent_pid: int = 0, warm: bool = False) -> None:
    """A worker's loop: receive a job, run it, send back its events and its result. It never
    outlives the batch: it closes the batch's ends of the pipes (so the batch's death is an
    end of file here) and asks the system to kill it when the batch dies. ``warm``: warm up
    here (``worker.warm``) rather than inherit a warm batch process: forked before
    validation, the workers' warm-up overlaps it."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch process's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the batch's handler
    for end in parent_ends:
        end.close()
    from mchch_lib.batch.preflight import close_inherited_locks

    close_inherited_locks()
    _die_with(parent_pid)
    if warm:
        from mchch_lib.batch.worker import warm as warm_up

        try:
            warm_up()
        except Exception:  # noqa: BLE001 - e.g. a full disk: the first job meets it and reports it
            pass
    gc.freeze()  # what was imported before the fork is never collected: cheap collections
    # and fewer of them: a report allocates millions of short-lived objects (WeasyPrint's
    # boxes, pandas' frames); at the default threshold (700) the young generation is
    # collected ~150 times a report for ~6 % of its CPU, at 50,000 once or twice (measured:
    # 0.22 -> 0.07 s of collection for five reports; +20 MB of peak memory)
    gc.set_threshold(50_000, 20, 20)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            os._exit(1)  # the batch is gone
        if job is None:
            break
        result = execute_job(job, lambda stage, _id=job.id: conn.send(("event", _id, stage)))
        conn.send(("result", result))
        after_job()
    conn.close()
    if warm:  # its own copy of the report fonts (one a killed worker leaves: next run's)
        from mchch_lib.common.atomic import font_folder

        shutil.rmtree(font_folder(), ignore_errors=True)


def _die_with(parent_pid: int) -> None:
    """Linux: SIGKILL to this process when its parent dies (``PR_SET_PDEATHSIG``); a parent
    already gone (it died before the call) ends it now."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    if parent_pid and os.getppid() != parent_pid:
        os._exit(1)


@dataclass
class _Worker:
    proc: mp.Process
    conn: object
    job: object = None
    heard: float = 0.0
    started: float = 0.0
    done: int = 0  # jobs finished


class LocalPool:
    """Run jobs on ``n`` local worker processes (see the module docstring). ``max_jobs``: a
    worker that has run that many jobs is replaced by a fresh one (what a report leaves in
    its caches, text layouts of every name it drew, stays bounded over a national run).
    ``warm``: each worker warms up itself once forked (``start()`` before validation: the
    warm-up overlaps it); otherwise the workers inherit the batch process's warm state."""

    def __init__(self, n: int, max_jobs: int | None = None, warm: bool = False):
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.ctx = mp.get_context(method)
        self.n = max(1, n)
        self.max_jobs = max_jobs
        self.warm = warm
        self.workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        ends = [parent, *(w.conn for w in self.workers)] if self.ctx.get_start_method() == \
            "fork" else []  # fmt: skip
        proc = self.ctx.Process(target=_worker_main, args=(child, ends, os.getpid(), self.warm),
                                daemon=True)  # fmt: skip
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def run(
        self,
        jobs: list,
        on_event: Callable[[str, str], None],
        on_result: Callable[[object, JobResult], None],
    ) -> None:
        """``Executor.run``: each job to the next idle worker."""
        pending = deque(jobs)
        started = bool(self.workers)  # by start(): kept for the next run() until close()
        if not started:
            for _ in range(min(self.n, len(jobs))):
                self.workers.append(self._spawn())  # each closes the ends of those before it
        try:
            while pending or any(w.job is not None for w in self.workers):
                for w in self.workers:
                    if w.job is None and pending:
                        w.job = pending.popleft()
                        w.started = w.heard = time.monotonic()
                        w.conn.send(w.job)
                self._step(on_event, on_result)
        finally:
            if not started:
                self.close()

    def start(self) -> None:
        """``Executor.start``: fork the workers now, before the batch process reads what they
        need not inherit (a national run's data: each worker reads the provinces it serves)."""
        if not self.workers:
            for _ in range(self.n):
                self.workers.append(self._spawn())

    def _step(self, on_event, on_result) -> None:
        busy = [w for w in self.workers if w.job is not None]
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.5))
        now = time.monotonic()
        for i, w in enumerate(self.workers):
            if w.job is None:
                continue
            if w.conn in ready or w.conn.poll():
                try:
                    while w.conn.poll():
                        kind, *rest = w.conn.recv()
                        w.heard = now
                        if kind == "event":
                            on_event(*rest)
                        else:
                            job, w.job = w.job, None
                            w.done += 1
                            on_result(job, rest[0])
                            if self.max_jobs and w.done >= self.max_jobs:
                                self._retire(i)
                            break
                    continue
                except (EOFError, OSError):
                    pass  # the worker died while sending: handled below
            limit = (w.job.timeout_s or 0) + WATCHDOG_GRACE_S
            if w.proc.sentinel in ready or not w.proc.is_alive():
                self._replace(i, on_event, on_result, "the worker process died (exit code "
                              f"{w.proc.exitcode})")  # fmt: skip
            elif w.job.timeout_s and now - w.heard > limit:
                self._replace(i, on_event, on_result, f"timed out (silent for {limit} s)")

    def _retire(self, i: int) -> None:
        """Stop worker ``i`` (idle) and start a fresh one in its place."""
        w = self.workers[i]
        try:
            w.conn.send(None)
        except (BrokenPipeError, OSError):
            pass  # already gone: replaced all the same
        w.proc.join(5)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(2)
        self.workers[i] = self._spawn()

    def _replace(self, i: int, on_event, on_result, why: str) -> None:
        """Fail the job of worker ``i`` and give the pool a fresh worker instead."""
        w = self.workers[i]
        if w.proc.is_alive():
            os.kill(w.proc.pid, signal.SIGKILL)
        w.proc.join(5)
        job = w.job
        on_event(job.id, "failed")
        on_result(job, failed_result(job, time.monotonic() - w.started, why))
        self.workers[i] = self._spawn()

    def close(self) -> None:
        """Stop every worker (they finish nothing more): an idle one is told to stop, a busy
        one (the run is stopping: SIGTERM, Ctrl-C, an error) is killed at once, leaving what
        a kill leaves (its unfinished ``.part`` files, removed by the batch)."""
        for w in self.workers:
            try:
                if w.job is not None and w.proc.is_alive():
                    w.proc.kill()
                elif w.proc.is_alive():
                    w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass  # a worker already gone has nothing to be told
        for w in self.workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(2)
        self.workers = []


__all__ = ["LocalPool", "WATCHDOG_GRACE_S"]
