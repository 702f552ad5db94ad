"""What a worker process does with one job, whatever runs the worker (the local pool, or a
cluster): a report runs its notebook in-process (``batch.engine``) and is rendered to HTML and
PDF; a deliverable job writes a unit's forms, deck or annex. Every file is written atomically.
A failing job never raises: it comes back as a failed ``JobResult`` (with which cell failed
and why), and the worker goes on with the next one."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from mchch_lib.batch.plan import REPORT_KINDS, Job
from mchch_lib.common.atomic import atomic_path, sha256_file
from mchch_lib.common.sanitize import mask_ids


@dataclass
class JobResult:
    id: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float
    key: str
    outputs: dict[str, str] = field(default_factory=dict)  # path -> sha256
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    failure: dict | None = None  # a notebook error: cell, exec_count, ename, evalue
    info: dict = field(default_factory=dict)  # a province's bundle job: what it made


def failed_result(job: Job, seconds: float, error: str, failure: dict | None = None) -> JobResult:
    """The result of a job that failed (its stale outputs removed: an old report must never
    look current)."""
    for p in job.outputs:
        if p != job.ipynb:
            p.unlink(missing_ok=True)
    return JobResult(job.id, "failed", seconds, job.key, {}, mask_ids(error)[:4000], {}, failure)


def execute_job(job: Job, emit: Callable[[str], None] = lambda stage: None) -> JobResult:
    """Run one job. Never raises."""
    t0 = time.perf_counter()
    info: dict = {}
    try:
        if job.kind in REPORT_KINDS:
            timings = _report(job, emit)
        else:
            from mchch_lib.data.params import load_params
            from mchch_lib.deliverables import jobs as deliverables

            emit("execute")
            t1 = time.perf_counter()
            params = load_params(job.parameters["params_file"])
            data = deliverables.run_data(params, job.parameters["data_key"])
            if job.kind == "bundle":  # a province's bundle in a national run
                made, info = deliverables.bundle_job(params, data, job.parameters)
            else:
                made = deliverables.make(job.kind, params, data, job.unit, job.paths)
            job.paths = tuple(made)  # certificates: known once made
            timings = {"make": round(time.perf_counter() - t1, 3)}
        emit("done")
        files = {str(p): sha256_file(p) for p in job.outputs if p.exists()}
        timings["rss_mb"] = round(peak_rss_mb(), 1)
        return JobResult(job.id, "ok", time.perf_counter() - t0, job.key, files, timings=timings,
                         info=info)  # fmt: skip
    except Exception as e:  # noqa: BLE001 - a failing report must not stop the others
        from mchch_lib.batch.engine import NotebookError

        emit("failed")
        if isinstance(e, NotebookError):
            failure = {"cell_index": e.cell_index, "exec_count": e.exec_count,
                       "ename": e.ename, "evalue": mask_ids(e.evalue)}  # fmt: skip
            return failed_result(job, time.perf_counter() - t0, str(e), failure)
        msg = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
        return failed_result(job, time.perf_counter() - t0, msg)


def _report(job: Job, emit) -> dict[str, float]:
    """Execute a report notebook, keep it, render it to PDF (and HTML)."""
    import nbformat

    from mchch_lib.batch.engine import NotebookError, run_notebook
    from mchch_lib.common.keys import portable_notebook
    from mchch_lib.render import exporters as render

    t0 = time.perf_counter()
    emit("execute")
    job.stem.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = run_notebook(job.notebook, job.parameters, job.timeout_s, lambda: emit("cell"))
    except NotebookError as e:
        with atomic_path(job.ipynb) as tmp:  # the executed notebook, kept for inspection
            nbformat.write(portable_notebook(e.notebook), tmp)
        raise
    with atomic_path(job.ipynb) as tmp:  # its parameters without this machine's folders
        nbformat.write(portable_notebook(nb), tmp)
    t1 = time.perf_counter()
    emit("render")
    render.write_outputs(nb, job.pdf, job.html if job.keep_html else None)
    if not job.keep_html:
        job.html.unlink(missing_ok=True)  # an HTML of an earlier run would look current
    return {"execute": round(t1 - t0, 3), "render": round(time.perf_counter() - t1, 3)}


def warm() -> None:
    """Import and set up what every job needs, once, in the process the workers are forked
    from: the notebook engine, the renderer (nbconvert exporter, WeasyPrint fonts), the report
    library and its fonts, and what the reports import on first use (scipy.stats for the
    paired test, about 0.5 s; the Parquet reader of the cache)."""
    import pyarrow.parquet  # noqa: F401
    import scipy.stats  # noqa: F401

    from mchch_lib.batch.engine import _shell
    from mchch_lib.common.fonts import register_fonts
    from mchch_lib.data import validate  # noqa: F401
    from mchch_lib.documents import charts, report  # noqa: F401
    from mchch_lib.render import exporters as render  # noqa: F401

    register_fonts()
    _shell()
    render.warm()


def after_job() -> None:
    """Between two jobs: collect the young and middle generations. A report leaves cycles
    behind (figures, WeasyPrint's boxes, notebook outputs) that the workers' raised collection
    threshold (``pool``) would keep until a full collection; collected here, the next job
    reuses their memory (measured on the sample run: peak worker RSS 453-457 -> 421-425 MB,
    time unchanged; a full collection freed the same but cost ~3 s over the 65 jobs)."""
    import gc

    gc.collect(1)


def peak_rss_mb() -> float:
    """This process's peak resident memory (MB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


__all__ = ["JobResult", "after_job", "execute_job", "failed_result", "peak_rss_mb", "warm"]
