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
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mchch_lib import config
from mchch_lib.batch import preflight
from mchch_lib.batch.plan import (
    DISTRICT_NOTEBOOK,
    PROVINCE_NOTEBOOK,
    Job,
    certificates_key,
    deliverable_jobs,
    district_data_keys,
    plan_jobs,
    run_fingerprint,
)
from mchch_lib.batch.pool import make_pool
from mchch_lib.batch.progress import Progress
from mchch_lib.batch.record import (
    RunRecord,
    RunResult,
    stopped,
    stopped_errors,
    stopped_unreadable,
)
from mchch_lib.batch.worker import JobResult
from mchch_lib.common.keys import code_version
from mchch_lib.data.params import Params, load_params
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
    params = load_params(params_path)
    opts = _Options(districts, force, allow_errors, progress, strict, allow_year_mismatch,
                    jobs or os.cpu_count() or 1, executor, scheduler)  # fmt: skip
    preflight.check_outside_inputs(params)
    if executor == "dask":
        preflight.check_scheduler(scheduler)
    with preflight.output_lock(params.output_dir, wait):
        try:
            return _held(params, opts, notebooks_dir, t_start)
        except (KeyboardInterrupt, RunTerminated):
            remove_partials(params.output_dir)  # the workers are stopped by now
            raise


def _held(params, opts, notebooks_dir, t_start) -> RunResult:
    """The run, its output folder held."""
    districts, force, progress = opts.districts, opts.force, opts.progress
    if params.is_national:
        from mchch_lib.batch.national_run import run_national

        nb_dir = Path(notebooks_dir) if notebooks_dir else config.NOTEBOOKS_DIR
        return run_national(params, opts, nb_dir, t_start)
    from mchch_lib.data.ingest import source_digests

    sources = preflight.start(params, opts.allow_year_mismatch)
    record = RunRecord(params.output_dir / "run.json")
    nb_dir = Path(notebooks_dir) if notebooks_dir else config.NOTEBOOKS_DIR
    digests = source_digests(sources)
    fingerprint = run_fingerprint(digests, params, nb_dir, districts)
    if not force and record.up_to_date(fingerprint):
        prev = record.previous
        if progress:
            from mchch_lib.batch.console import up_to_date

            print(up_to_date(prev.get("finished"), len(prev["outputs"]), params.output_dir))
        results = [
            JobResult(k, "skipped", 0.0, v["key"], v["files"]) for k, v in prev["outputs"].items()
        ]
        return RunResult(0, results, record.path)
    return _run(params, record, digests, fingerprint, opts, nb_dir, t_start)


@dataclass(frozen=True)
class _Options:
    districts: list[int] | None
    force: bool
    allow_errors: bool
    progress: bool
    strict: bool
    allow_year_mismatch: bool
    workers: int
    executor: str = "local"  # or "dask" (batch.dask_pool)
    scheduler: str | None = None  # a Dask scheduler's address; None: a LocalCluster


def _gate(params: Params, ds, opts: _Options) -> RunResult | None:
    """Stop before rendering when the data says so; None to go on."""
    from mchch_lib.data import validate

    out = params.output_dir
    unreadable = validate.unreadable(ds.problems)
    blocking = ds.problems[
        (ds.problems["severity"] == "error") & ~ds.problems.index.isin(unreadable.index)
    ]
    if len(blocking) or len(unreadable):
        validate.write_problem_files(ds.problems, out, params.province_code)
    for p in unreadable.itertuples():
        print(f"mchch: {p.file}: {p.message_th} / {p.message_en}", file=sys.stderr)
    if len(unreadable) and opts.strict:
        return stopped_unreadable(len(unreadable))
    if len(blocking) and not opts.allow_errors:
        return stopped_errors(len(blocking), str(out / "validation.xlsx"))
    if ds.applicants.empty and not opts.districts:  # untouched templates: nothing to report
        from mchch_lib.batch.console import completeness_line, no_applicants
        from mchch_lib.data.reference import load_province

        province = load_province(params.province_code)
        print(completeness_line(ds, province), flush=True)
        return stopped(1, no_applicants(ds, province))
    if not opts.allow_year_mismatch:
        preflight.check_data_year(params, ds)
    return None


def _run(params, record, digests, fingerprint, opts, nb_dir, t_start) -> RunResult:
    """Validate, gate, plan, run the jobs not up to date, record; the bundle; then complete."""
    from mchch_lib.data import dataset, validate
    from mchch_lib.data.reference import load_province
    from mchch_lib.deliverables import jobs as deliverables

    ds = dataset.load_for_params(params)
    stop = _gate(params, ds, opts)
    if stop is not None:
        return stop
    keys = district_data_keys(ds)
    data = deliverables.run_data(params, ds=ds)  # scores once; forked workers inherit them
    reports = plan_jobs(params, opts.districts, keys, nb_dir, ds.key)
    extra = [] if opts.districts else deliverable_jobs(params, deliverables.units(data)[:-1],
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

        print_applicant_counts(ds, load_province(params.province_code))
        n_rep = sum(j.kind in ("district", "province") for j in todo)
        from mchch_lib.batch.console import run_header

        print(run_header(params.year, n_rep, len(todo) - n_rep, len(skipped), ds.input_hash,
                         len(ds.applicants)), flush=True)  # fmt: skip
    _execute(todo, record, results, ds.input_hash, opts)
    failed = [r for r in results if r.status == "failed"]
    if not opts.districts and (params.forms or params.deck or params.bundle):
        current = {"forms": [], "decks": [], "certificates": []}
        for j in extra:
            if j.kind in ("forms", "deck"):
                current["forms" if j.kind == "forms" else "decks"] += list(j.paths)
        made = record.state["outputs"].get("certificates:province", {}).get("files", {})
        current["certificates"] = [Path(p) for p in made]
        record.deliverables(deliverables.finish(params, ds, record.state, current, opts.progress))
    unreadable = len(validate.unreadable(ds.problems))
    record.finish(not failed and not opts.districts and not unreadable,
                  time.perf_counter() - t_start)  # fmt: skip
    if opts.progress:
        _summary(results, all_jobs, params, ds, record.path, time.perf_counter() - t_start)
    n_err = int((ds.problems["severity"] == "error").sum())
    exit_code = 1 if failed or unreadable or (n_err and not opts.allow_errors) else 0
    return RunResult(exit_code, results, record.path)


def _execute(todo, record, results, input_hash: str, opts) -> None:
    """The jobs on the local pool, each recorded in run.json as soon as it ends."""
    if not todo:
        return
    bars = Progress(todo, opts.progress)
    titles = {j.id: j.title for j in todo}

    def on_result(job, r):
        results.append(r)
        record.report(job, r, input_hash)  # a killed run keeps what it finished
        bars.finished(r, titles[job.id])

    pool = make_pool(opts.executor, opts.workers, opts.scheduler)
    if opts.executor == "local" and sys.platform.startswith("linux"):
        from mchch_lib.batch.worker import warm

        warm()  # once here: the forked workers start warm
    try:
        pool.run(todo, bars.update, on_result)
    finally:
        pool.close()
        bars.close()


def _summary(results, jobs, params, ds, run_json, seconds) -> None:
    from mchch_lib.batch.console import districts_without_data, print_run_summary
    from mchch_lib.data import validate
    from mchch_lib.data.reference import load_province

    missing = districts_without_data(ds, load_province(params.province_code))
    unreadable = list(validate.unreadable(ds.problems).itertuples())
    print_run_summary(results, jobs, unreadable, missing, params.output_dir, run_json, seconds)
