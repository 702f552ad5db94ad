"""The executor interface: what runs a run's jobs, whatever and wherever the workers are.

A run (``batch.run``, ``batch.national_run``) hands its jobs to an ``Executor`` and hears back
through two callbacks; it knows nothing else of the workers. Two executors implement it:

- ``batch.pool.LocalPool``: worker processes on this machine (forked, warm);
- ``batch.dask_pool.DaskPool``: dask.distributed workers (a LocalCluster, or a cluster at a
  scheduler's address).

``make_executor`` picks one by name (``mchch run --executor local|dask``). The executors never
import this module (the interface is structural), so there is no import back up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from mchch_lib.batch.plan import Job
    from mchch_lib.batch.worker import JobResult

#: The executors ``make_executor`` knows, by the name ``--executor`` takes.
KINDS = ("local", "dask")


@runtime_checkable
class Executor(Protocol):
    """Runs jobs (``batch.plan.Job``) with ``batch.worker.execute_job`` somewhere."""

    def start(self) -> None:
        """Get the workers ready now (fork them, connect to the cluster), so their start
        overlaps what the run does meanwhile; they then serve every ``run()`` until
        ``close()``. Without it, ``run()`` starts them and stops them again."""

    def run(
        self,
        jobs: list[Job],
        on_event: Callable[[str, str], None],
        on_result: Callable[[Job, JobResult], None],
    ) -> None:
        """Run every job; ``on_event(job_id, stage)`` as they go, ``on_result(job, result)``
        as each ends (in the order they end). A job that fails (or whose worker dies or
        stays silent past its cell timeout) comes back as a failed result; the others go on.
        Never raises for a job."""

    def close(self) -> None:
        """Stop the workers (a busy one is killed: the run is stopping)."""


def make_executor(
    kind: str,
    n: int,
    scheduler: str | None = None,
    max_jobs: int | None = None,
    warm_workers: bool = False,
) -> Executor:
    """The executor of a run: ``"local"`` (``LocalPool`` of ``n`` processes, the default) or
    ``"dask"`` (``DaskPool``: a LocalCluster of ``n`` workers, or the cluster at
    ``scheduler``). ``max_jobs``: the local pool's workers are renewed after that many jobs
    (the Dask workers by their memory). ``warm_workers``: the local workers warm up
    themselves (the Dask workers always do, by their plugin)."""
    if kind == "dask":
        from mchch_lib.batch.dask_pool import DaskPool

        return DaskPool(n, scheduler)
    if kind != "local":
        raise ValueError(f"unknown executor {kind!r} ({' or '.join(KINDS)})")
    from mchch_lib.batch.pool import LocalPool

    return LocalPool(n, max_jobs, warm_workers)


__all__ = ["KINDS", "Executor", "make_executor"]
