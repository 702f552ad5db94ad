"""``mchch run``: check everything that can be checked before work starts, validate once, make
the reports in parallel (``batch.worker``), then the forms, decks and bundle, and keep
``run.json`` (``batch.record``) so the next run makes only what changed.

Order of a run:
1. params, the output folder (writable?), the inputs (any?), the catalog's year: a problem
   here stops the run with a Thai and English message (exit 2) before anything is made;
2. validation (cached); data errors stop the run unless ``--allow-errors``; files that cannot
   be read are listed and left out (``--strict``: stop instead); application dates in another
   year stop the run unless ``--allow-year-mismatch``;
3. the reports not up to date, in parallel; forms and decks meanwhile;
4. the bundle; only then is the run recorded complete.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from mchch_lib.batch import gate, preflight
from mchch_lib.batch.context import RunContext, RunOptions
from mchch_lib.batch.executor import make_executor
from mchch_lib.batch.plan import (
    DISTRICT_NOTEBOOK,
    PROVINCE_NOTEBOOK,
    Job,
    certificates_key,
    deliverable_jobs,
    district_data_keys,
    longest_first,
    plan_jobs,
    run_fingerprint,
)
from mchch_lib.batch.progress import Progress
from mchch_lib.batch.record import (
    RunRecord,
    RunResult,
    stopped,
)
from mchch_lib.batch.worker import JobResult
from mchch_lib.common.keys import code_version
from mchch_lib.errors import RunTerminated

__all__ = ["DISTRICT_NOTEBOOK", "PROVINCE_NOTEBOOK", "Job", "JobResult", "RunResult", "run"]


def run(
    params_path: str | Path,
    jobs: int | None = None,
    districts: list[int] | None = None,
    force: bool = False,
    allow_errors: bool = False,
    progress: bool = True,
    notebooks_dir: Path | None = None,
    strict: bool = False,
    allow_year_mismatch: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    wait: bool = False,
) -> RunResult:
    """Produce every report of a params file. Exit code 0 ok; 1 a report failed, data errors
    or an unreadable input left out; 2 the run could not start (raised as ``MchchError``).
    ``executor``: "local" (worker processes here) or "dask" (``scheduler``: a cluster's
    address; none: a LocalCluster). Params with ``provinces``: the national run
    (``batch.national_run``). One run per output folder: another run holding it stops this one
    (exit 2, naming it), or with ``wait`` this one waits. Stopped by SIGTERM or Ctrl-C
    (``RunTerminated``, ``KeyboardInterrupt``): the workers are stopped and what they left
    unfinished removed."""
    from mchch_lib.common.atomic import remove_partials

    t_start = time.perf_counter()
    opts = RunOptions(districts, force, allow_errors, progress, strict, allow_year_mismatch,
                      jobs or os.cpu_count() or 1, executor, scheduler)  # fmt: skip
    ctx = RunContext.build(params_path, opts, notebooks_dir)  # handed down from here
    preflight.check_outside_inputs(ctx.params)
    if executor == "dask":
        preflight.check_scheduler(scheduler)
    with preflight.output_lock(ctx.output_dir, wait):
        try:
            return _held(ctx, t_start)
        except (KeyboardInterrupt, RunTerminated):
            remove_partials(ctx.output_dir)  # the workers are stopped by now
            raise


def _held(ctx: RunContext, t_start: float) -> RunResult:
    """The run, its output folder held."""
    params, opts = ctx.params, ctx.opts
    if ctx.is_national:
        from mchch_lib.batch.national_run import run_national

        return run_national(ctx, t_start)
    from mchch_lib.data.ingest import source_digests

    sources = preflight.start(params, opts.allow_year_mismatch)
    record = RunRecord(ctx.output_dir / "run.json")
    digests = source_digests(sources)
    fingerprint = run_fingerprint(digests, params, ctx.notebooks_dir, opts.districts)
    up_to_date = not opts.force and record.up_to_date(fingerprint)
    n = len(record.previous.get("outputs", {}))
    done = gate.unchanged(
        record, up_to_date, opts, f"รายงาน {n} รายการเป็นปัจจุบันแล้ว (up to date) ใน {ctx.output_dir}"
    )
    if done is not None:
        return done
    return _run(ctx, record, digests, fingerprint, t_start)


def _gate(ctx: RunContext, ds) -> RunResult | None:
    """Stop before rendering when the data says so (``gate.gate``); None to go on."""
    from mchch_lib.data import validate

    unread, n_err = gate.blocking(ds.problems)
    verdict = gate.Verdict(unread, n_err, [ds.applicants["applied_on"]])
    params, out = ctx.params, ctx.output_dir
    stop = gate.gate(
        params, ctx.opts, verdict,
        lambda: validate.write_problem_files(ds.problems, out, params.province_code),
        str(out / "validation.xlsx"),
    )  # fmt: skip
    if stop is not None:
        return stop
    if ds.applicants.empty and not ctx.opts.districts:  # untouched templates: nothing to report
        from mchch_lib.batch.console import completeness_line, no_applicants

        print(completeness_line(ds, ctx.province), flush=True)
        return stopped(1, no_applicants(ds, ctx.province))
    return None


def _run(ctx: RunContext, record, digests, fingerprint, t_start) -> RunResult:
    """Start the workers, then validate (their warm-up meanwhile); the rest in ``_made``."""
    from mchch_lib.common.atomic import remove_stale_font_folders
    from mchch_lib.data import dataset

    # the workers first: forked lean, each warms up (imports, fonts, the notebook shell)
    # while this process validates; they read the clean data by its cache key
    opts = ctx.opts
    pool = make_executor(opts.executor, opts.workers, opts.scheduler, warm_workers=True)
    pool.start()
    try:
        ds = dataset.load_for_params(ctx.params)
        stop = _gate(ctx, ds)
        if stop is not None:
            return stop
        return _made(ctx, record, digests, fingerprint, t_start, ds, pool)
    finally:
        pool.close()
        remove_stale_font_folders()  # the workers' own copies of the fonts


def _made(ctx: RunContext, record, digests, fingerprint, t_start, ds, pool) -> RunResult:
    """Plan, run the jobs not up to date, record; the bundle; then complete."""
    from mchch_lib.data import validate
    from mchch_lib.deliverables import jobs as deliverables

    params, opts = ctx.params, ctx.opts
    keys = district_data_keys(ds)
    data = deliverables.run_data(params, ds=ds, catalog=ctx.catalog, province=ctx.province)
    reports = plan_jobs(ctx, keys, ds.key)
    extra = [] if opts.districts else deliverable_jobs(ctx, deliverables.units(data)[:-1],
                                                       keys, ds.key, certificates_key(ds))  # fmt: skip
    all_jobs = reports + extra
    todo = [j for j in all_jobs if opts.force or not record.fresh(j)]
    skipped = [j for j in all_jobs if j not in todo]
    record.start(
        {
            "year": params.year,
            "params": str(params.path),
            "params_hash": params.digest,
            "input_hash": ds.input_hash,
            "inputs": digests,
            "code_version": code_version(),
            "fingerprint": fingerprint,
        },
        {j.id for j in all_jobs},
    )
    results = [JobResult(j.id, "skipped", 0.0, j.key, record.previous_files(j.id)) for j in skipped]
    if opts.progress:
        from mchch_lib.batch.console import print_applicant_counts

        print_applicant_counts(ds, ctx.province)
        n_rep = sum(j.kind in ("district", "province") for j in todo)
        from mchch_lib.batch.console import run_header

        print(run_header(params.year, n_rep, len(todo) - n_rep, len(skipped), ds.input_hash,
                         len(ds.applicants)), flush=True)  # fmt: skip
    _execute(pool, longest_first(todo, record.previous_seconds), record, results, ds.input_hash,
             opts)  # fmt: skip
    failed = [r for r in results if r.status == "failed"]
    if not opts.districts and (params.forms or params.deck or params.bundle):
        current = {"forms": [], "decks": [], "certificates": []}
        for j in extra:
            if j.kind in ("forms", "deck"):
                current["forms" if j.kind == "forms" else "decks"] += list(j.paths)
        made = record.state["outputs"].get("certificates:province", {}).get("files", {})
        current["certificates"] = [record.where(p) for p in made]
        record.deliverables(deliverables.finish(params, ds, record.state, current, opts.progress))
    unreadable = len(validate.unreadable(ds.problems))
    record.finish(not failed and not opts.districts and not unreadable,
                  time.perf_counter() - t_start)  # fmt: skip
    if opts.progress:
        _summary(ctx, results, all_jobs, ds, record.path, time.perf_counter() - t_start)
    n_err = int((ds.problems["severity"] == "error").sum())
    exit_code = 1 if failed or unreadable or (n_err and not opts.allow_errors) else 0
    return RunResult(exit_code, results, record.path)


def _execute(pool, todo, record, results, input_hash: str, opts) -> None:
    """The jobs on the executor, each recorded in run.json as soon as it ends."""
    if not todo:
        return
    bars = Progress(todo, opts.progress)
    titles = {j.id: j.title for j in todo}

    def on_result(job, r):
        results.append(r)
        record.report(job, r, input_hash)  # a killed run keeps what it finished
        bars.finished(r, titles[job.id])

    try:
        pool.run(todo, bars.update, on_result)
    finally:
        bars.close()


def _summary(ctx: RunContext, results, jobs, ds, run_json, seconds) -> None:
    from mchch_lib.batch.console import districts_without_data, print_run_summary
    from mchch_lib.data import validate

    missing = districts_without_data(ds, ctx.province)
    unreadable = list(validate.unreadable(ds.problems).itertuples())
    print_run_summary(results, jobs, unreadable, missing, ctx.output_dir, run_json, seconds)
