"""The Dask executor (``mchch run --executor dask [--scheduler tcp://host:8786]``): the same jobs
as the local pool, run by ``batch.worker.execute_job`` on dask.distributed workers, behind the
same interface (``batch.executor.Executor``), so the batch process keeps run.json,
progress and incremental keys exactly as with the local pool.

- No scheduler address: a ``LocalCluster`` of ``n`` worker processes (one thread each) on this
  machine. With one: the cluster there; its workers must see the inputs' cache, the output
  folder and the params at the same paths, and run the same mchch (checked before any job).
- Each worker warms up once (a worker plugin: imports, fonts, the notebook shell, the renderer)
  and keeps what it read between jobs (the data of a province, its scores); it runs one job at
  a time (a lock: the notebook shell is one per process), writes every file atomically in the
  shared output folder and sends back only the small ``JobResult``.
- A worker that dies mid-job: the scheduler runs the job again on another worker (the outputs
  are replaced by rename, so no half file ever has a final name; the dead attempt's ``.part``
  files are removed when the run ends). A cell running longer than the cell timeout fails its
  report, as in the local pool (there by a timer in the worker's thread, since a signal can
  only interrupt a process's main thread).
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable

from mchch_lib.batch.worker import JobResult, after_job, execute_job, failed_result
from mchch_lib.errors import MchchError

#: The topic the workers' job events are sent on.
TOPIC = "mchch-job"
#: Seconds a running job may stay silent beyond its cell timeout before it is failed.
WATCHDOG_GRACE_S = 30
#: Seconds between two looks at finished jobs and worker events when none came.
POLL_S = 0.2

_JOB_LOCK = threading.Lock()  # one notebook at a time in a worker process


def _version() -> str:
    from mchch_lib.common.keys import code_version

    return code_version()


def _raise_in(thread_id: int, exc: type[BaseException]) -> None:
    """Raise ``exc`` in another thread of this process (at its next Python instruction)."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc))


class _CellTimer:
    """The cell timeout of a job run outside the main thread: each cell restarts a timer that,
    when it fires, raises ``CellTimeout`` in the job's thread (the report then fails as the
    local pool's does: "timed out")."""

    def __init__(self, timeout_s: int | None):
        self.timeout_s, self.timer = timeout_s, None
        self.thread = threading.get_ident()

    def stage(self, stage: str) -> None:
        self.cancel()
        if stage == "cell" and self.timeout_s:
            from mchch_lib.batch.engine import CellTimeout

            self.timer = threading.Timer(self.timeout_s, _raise_in, (self.thread, CellTimeout))
            self.timer.daemon = True
            self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def run_job(job, index: int, version: str) -> JobResult:
    """What a Dask worker does with one job (never raises)."""
    from distributed import get_worker

    worker = get_worker()
    if _version() != version:
        return failed_result(
            job, 0.0, f"worker {worker.address} runs mchch {_version()}, the batch {version}"
        )
    with _JOB_LOCK:
        timer = _CellTimer(job.timeout_s)

        def emit(stage: str) -> None:
            timer.stage(stage)
            worker.log_event(TOPIC, (index, stage, worker.address))

        try:
            return execute_job(dataclasses.replace(job, timeout_s=None), emit)
        finally:
            timer.cancel()
            after_job()


def worker_plugin():
    """The plugin that warms each worker once (imports, fonts, notebook shell, renderer)."""
    from distributed import WorkerPlugin

    class MchchWorker(WorkerPlugin):
        name = "mchch"

        def setup(self, worker) -> None:
            from mchch_lib import config
            from mchch_lib.batch.worker import warm

            config.decline_slow_optional_imports()
            warm()
            # dask's statistical profiler samples every thread's stack every 10 ms and keeps
            # the history: on report jobs (deep, varied stacks) it made each job ~20 % slower
            # and a worker's memory grow by ~2-3 MB a job (1.6 GB over a national run)
            for name in ("profile", "profile-cycle"):
                callback = worker.periodic_callbacks.pop(name, None)
                if callback is not None:
                    callback.stop()

    return MchchWorker()


class DaskPool:
    """Run jobs on dask.distributed (see the module docstring)."""

    def __init__(self, n: int, scheduler: str | None = None):
        self.n = max(1, n)
        self.scheduler = scheduler
        self.cluster = None
        self.client = None

    def _connect(self):
        from distributed import Client, LocalCluster

        if self.client is None:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="30s")
            else:
                self.cluster = LocalCluster(
                    n_workers=self.n, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )  # fmt: skip
                self.client = Client(self.cluster)
            self._check_versions()
            self.client.register_plugin(worker_plugin(), name="mchch")
        return self.client

    def start(self) -> None:
        """``Executor.start``: connect now (a LocalCluster starts while the batch process
        validates)."""
        self._connect()

    def _check_versions(self) -> None:
        """Every worker runs this mchch (the code version hashes every file of the package)."""
        mine = _version()
        theirs = self.client.run(_version)
        wrong = {w: v for w, v in theirs.items() if v != mine}
        if not theirs:
            raise MchchError(f"{self.scheduler}: ไม่มี worker / the cluster has no worker")
        if wrong:
            shown = ", ".join(f"{w} ({v})" for w, v in sorted(wrong.items()))
            raise MchchError(
                f"worker ใช้ mchch คนละรุ่นกับเครื่องนี้ ({mine}) / workers run another mchch "
                f"than this one ({mine}): {shown}"
            )

    def run(
        self,
        jobs: list,
        on_event: Callable[[str, str], None],
        on_result: Callable[[object, JobResult], None],
    ) -> None:
        """``Executor.run``: every job submitted at once; the scheduler places them."""
        from distributed import as_completed

        if not jobs:
            return
        client = self._connect()
        events: queue.Queue = queue.Queue()
        client.subscribe_topic(TOPIC, lambda ev: events.put(ev[1]))
        run_id, version = uuid.uuid4().hex[:8], _version()
        futures = {
            client.submit(run_job, job, i, version, key=f"mchch-{run_id}-{i}", pure=False): i
            for i, job in enumerate(jobs)
        }
        heard: dict[int, tuple[float, str]] = {}  # running job -> (last event, worker)
        pending = set(futures)
        # as_completed follows each future once; distributed.wait(FIRST_COMPLETED) on
        # thousands of pending futures every half second took a core of the client's CPU
        finished = as_completed(list(futures))
        try:
            while pending:
                done = finished.next_batch(block=False)
                if not done:
                    time.sleep(POLL_S)
                self._drain(events, jobs, heard, on_event)
                for f in done:
                    if f not in pending:
                        continue  # failed already by the watchdog
                    pending.discard(f)
                    self._finish(f, jobs[futures[f]], heard.pop(futures[f], None), on_result)
                for f in self._silent(pending, futures, jobs, heard):
                    pending.discard(f)
                    self._kill(f, jobs[futures[f]], heard.pop(futures[f]), on_event, on_result)
            self._drain(events, jobs, heard, on_event)
        finally:
            client.unsubscribe_topic(TOPIC)
            for f in pending:
                f.cancel()
            _remove_partials(jobs)

    @staticmethod
    def _drain(events, jobs, heard, on_event) -> None:
        while True:
            try:
                index, stage, address = events.get_nowait()
            except queue.Empty:
                return
            heard[index] = (time.monotonic(), address)
            on_event(jobs[index].id, stage)

    @staticmethod
    def _finish(future, job, heard, on_result) -> None:
        try:
            result = future.result()
        except Exception as e:  # noqa: BLE001 - a lost job fails alone, the others go on
            why = "the worker process died" if type(e).__name__ == "KilledWorker" else str(e)
            result = failed_result(job, 0.0, f"{type(e).__name__}: {why}")
        on_result(job, result)

    @staticmethod
    def _silent(pending, futures, jobs, heard) -> list:
        now = time.monotonic()
        out = []
        for f in pending:
            i = futures[f]
            limit = (jobs[i].timeout_s or 0) + WATCHDOG_GRACE_S
            if i in heard and jobs[i].timeout_s and now - heard[i][0] > limit:
                out.append(f)
        return out

    def _kill(self, future, job, heard, on_event, on_result) -> None:
        """Fail a job silent too long, and restart its worker (its thread cannot be stopped)."""
        limit = (job.timeout_s or 0) + WATCHDOG_GRACE_S
        future.cancel()
        self.client.restart_workers([heard[1]])
        on_event(job.id, "failed")
        on_result(job, failed_result(job, float(limit), f"timed out (silent for {limit} s)"))

    def close(self) -> None:
        """Disconnect (and stop the LocalCluster this pool started)."""
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None


def _remove_partials(jobs) -> None:
    """The ``.part`` files a worker killed mid-job left beside the outputs (the job itself
    was made again elsewhere)."""
    for folder in sorted({p.parent for j in jobs for p in j.outputs}):
        for p in folder.glob(".*.part*"):  # atomic_path's temporary names
            if p.is_file():
                p.unlink()


__all__ = ["DaskPool", "run_job", "worker_plugin"]
