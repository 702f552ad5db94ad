"""What a worker process does with one job: run the report notebook on the worker's warm kernel
(papermill), then render it to HTML and PDF, each written atomically. A failing report never
raises: it comes back as a failed ``JobResult`` and the worker goes on with the next one."""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_path, sha256_file
from ..kernels import RESET_CODE, RESET_TAG
from .plan import Job


@dataclass
class JobResult:
    id: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float
    key: str
    outputs: dict[str, str] = field(default_factory=dict)  # path -> sha256
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


_KERNEL = None
_EVENTS = None


def init_worker(events) -> None:
    global _KERNEL, _EVENTS
    _EVENTS = events
    # imports paid once per worker, in parallel with the main process' validation
    import papermill  # noqa: F401

    from .. import render  # noqa: F401
    from ..kernels import WarmKernel

    _KERNEL = WarmKernel()
    # pool workers leave through os._exit, which skips atexit: Finalize runs on that path
    from multiprocessing.util import Finalize

    Finalize(None, _shutdown_kernel, exitpriority=10)


def _shutdown_kernel() -> None:
    if _KERNEL is not None:
        _KERNEL.shutdown()


def _event(job_id: str, stage: str) -> None:
    if _EVENTS is not None:
        _EVENTS.put((job_id, stage))


def _with_reset_cell(path: Path):
    """The notebook with a first cell that clears the warm kernel's namespace."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_code_cell(RESET_CODE)
    cell.metadata["tags"] = [RESET_TAG]
    cell["id"] = RESET_TAG
    nb.cells.insert(0, cell)
    return nb


def _without_reset_cell(nb):
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.get("metadata", {}).get("tags", [])]
    return nb


def execute_job(job: Job) -> JobResult:
    """Run one notebook on this worker's warm kernel, then render it. Never raises."""
    global _KERNEL
    import nbformat
    import papermill as pm

    from .. import render
    from ..kernels import WarmKernel

    t0 = time.perf_counter()
    _event(job.id, "execute")
    job.stem.parent.mkdir(parents=True, exist_ok=True)
    try:
        if _KERNEL is None or not _KERNEL.alive():
            _KERNEL = WarmKernel()
        with atomic_path(job.ipynb) as tmp_nb:
            try:
                nb = _KERNEL.execute_notebook(
                    _with_reset_cell(job.notebook), tmp_nb, job.parameters, job.timeout_s
                )
            except pm.PapermillExecutionError:
                # the executed notebook (with the error) is kept for inspection
                failed = _without_reset_cell(nbformat.read(tmp_nb, as_version=4))
                nbformat.write(failed, tmp_nb)
                os.replace(tmp_nb, job.ipynb)
                raise
            nbformat.write(_without_reset_cell(nb), tmp_nb)
        t1 = time.perf_counter()
        _event(job.id, "render")
        render.write_outputs(nb, job.pdf, job.html if job.keep_html else None)
        if not job.keep_html:
            job.html.unlink(missing_ok=True)  # an HTML of an earlier run would look current
        files = [job.pdf, job.html, job.ipynb]
        _event(job.id, "done")
        t2 = time.perf_counter()
        return JobResult(
            job.id,
            "ok",
            t2 - t0,
            job.key,
            {str(p): sha256_file(p) for p in files if p.exists()},
            timings={"execute": round(t1 - t0, 3), "render": round(t2 - t1, 3)},
        )
    except Exception as e:  # noqa: BLE001 - a failing district must not stop the others
        for stale in (job.pdf, job.html):
            stale.unlink(missing_ok=True)  # never leave an old report that looks current
        if hasattr(e, "ename"):  # papermill: the error raised inside the notebook
            msg = f"{e.ename}: {e.evalue} (notebook cell {e.exec_count})"
        else:
            msg = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
        if _KERNEL is not None and not isinstance(e, pm.PapermillExecutionError):
            # the kernel may still be busy (a cell that timed out) or gone: the next report
            # gets a fresh one
            kernel, _KERNEL = _KERNEL, None
            try:
                kernel.shutdown()
            except Exception as down:  # noqa: BLE001 - reported with the report's error
                msg += f"\n(stopping its kernel failed too: {type(down).__name__}: {down})"
        _event(job.id, "failed")
        return JobResult(job.id, "failed", time.perf_counter() - t0, job.key, {}, msg[:4000])
