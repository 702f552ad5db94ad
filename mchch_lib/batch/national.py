"""The national run (params ``provinces``: a list of province codes, or ``all``).

Each province of the scope is made exactly as a run of that province alone makes it, in
``<output>/provinces/<code>_<name>/``: its inputs validated as that run validates them (the
same cache), its own params (``params.province_params``: its office, its folder), its own jobs
and keys (``batch.plan``), its own ``run.json`` and bundle. On top of them: the national report
(``national.pdf``), ``national.xlsx`` (one tidy sheet per level), the national forms and the
national problems, recorded in ``national_run.json``.

Every job of every province and the national ones go to one executor (the local pool or Dask),
so the workers stay busy across provinces; each result goes to its province's record at once,
as in a run of one province (a killed run keeps what it finished, the next makes the rest).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import preflight
from ..atomic import remove_partials, sha256_file
from ..errors import MchchError
from ..outputs import code_version, content_hash
from .plan import NATIONAL_NOTEBOOK, Job, deliverable_jobs, district_data_keys, plan_jobs
from .record import RunRecord
from .worker import JobResult

#: The national run's record (beside the province folders; a run of one province keeps
#: ``run.json`` in its own folder).
RECORD_NAME = "national_run.json"


@dataclass
class ProvinceRun:
    """One province of a national run: what a run of that province alone would have."""

    code: int
    params: object  # params.Params of the province (saved: workers read it by path)
    ds: object  # its clean dataset
    record: RunRecord
    jobs: list[Job]
    extra: list[Job]  # its forms, decks, certificates (a subset of jobs)
    fingerprint: str


def national_fingerprint(digests: dict[str, str], params, nb_dir: Path) -> str:
    """Everything a national run depends on, cheap to compute before validating anything."""
    from .plan import run_fingerprint

    return content_hash(
        run_fingerprint(digests, params, nb_dir, None), sha256_file(nb_dir / NATIONAL_NOTEBOOK)
    )


def _up_to_date(record: RunRecord, fingerprint: str) -> bool:
    """The previous national run was complete with the same fingerprint, its files are
    unchanged, and so is every province's run it made."""
    if not record.up_to_date(fingerprint):
        return False
    for p in record.previous.get("provinces", {}).values():
        if not RunRecord(Path(p["run_json"])).up_to_date(p["fingerprint"]):
            return False
    return True


def run_national(params, opts, nb_dir: Path, t_start: float):
    """Make every province's outputs and the national ones (see the module docstring)."""
    from ..ingest import discover, source_digests
    from ..runner import RunResult

    out = params.output_dir
    preflight.check_writable(out)
    remove_partials(out)
    sources = discover(list(params.inputs))
    if not sources:
        raise MchchError(
            f"{', '.join(map(str, params.inputs))}: ไม่พบไฟล์ข้อมูลใน inputs ของ params / "
            "the params inputs hold no workbook or CSV sheet"
        )
    if not opts.allow_year_mismatch:
        preflight.check_catalog_year(params)
    record = RunRecord(out / RECORD_NAME)
    digests = source_digests(sources)
    fingerprint = national_fingerprint(digests, params, nb_dir)
    if not opts.force and _up_to_date(record, fingerprint):
        prev = record.previous
        if opts.progress:
            print(f"mchch run: nothing changed since {prev.get('finished')}; national outputs "
                  f"and {len(prev.get('provinces', {}))} province(s) up to date in {out}")  # fmt: skip
        results = [JobResult(k, "skipped", 0.0, v["key"], v["files"])
                   for k, v in prev["outputs"].items()]  # fmt: skip
        return RunResult(0, results, record.path)
    return _run(params, opts, nb_dir, record, digests, fingerprint, t_start)


def _run(params, opts, nb_dir, record, digests, fingerprint, t_start):
    from .. import national
    from ..runner import RunResult

    t0 = time.perf_counter()
    nd = national.load_national(params, processes=opts.workers)
    validate_s = time.perf_counter() - t0
    stop = _gate(params, nd, opts)
    if stop is not None:
        return stop
    provinces = [_plan_province(params, code, srcs, nd, opts, nb_dir)
                 for code, srcs in nd.placement.provinces.items()]  # fmt: skip
    data_key = national.save(nd)
    njobs = national_jobs(params, nd, data_key, nb_dir)
    owner = {id(j): p for p in provinces for j in p.jobs}
    todo, skipped = [], []
    for p in provinces:
        for j in p.jobs:
            (todo if opts.force or not p.record.fresh(j) else skipped).append(j)
    for j in njobs:
        (todo if opts.force or not record.fresh(j) else skipped).append(j)
    # a province with nothing to make and its last run complete is left as it is
    busy = {id(owner[id(j)]) for j in todo if id(j) in owner}
    planned = provinces
    provinces = [p for p in provinces if id(p) in busy or not p.record.up_to_date(p.fingerprint)]
    _warm_data(provinces, todo, owner, opts)
    _start_records(params, nd, record, provinces, njobs, digests, fingerprint)
    results = [JobResult(j.id, "skipped", 0.0, j.key,
                         (owner[id(j)].record if id(j) in owner else record).previous_files(j.id))
               for j in skipped]  # fmt: skip
    if opts.progress:
        n_rep = sum(j.kind in ("district", "province", "national") for j in todo)
        print(
            f"mchch run {params.year}: {len(provinces)} province(s), {nd.n_applicants} "
            f"applicants, validated in {validate_s:.1f} s; {n_rep} report(s) and "
            f"{len(todo) - n_rep} other job(s) to make, {len(skipped)} up to date",
            flush=True,
        )
    _execute(_order(todo), owner, record, nd, results, opts)
    complete = _finish_provinces(provinces, t_start)
    failed = [r for r in results if r.status == "failed"]
    n_unread = sum(len(_unreadable(ds)) for ds in nd._all())
    record.state["provinces"] = {
        str(p.code): {"run_json": str(p.record.path), "fingerprint": p.fingerprint,
                      "complete": complete.get(p.code, True)}  # untouched: complete before
        for p in planned
    }  # fmt: skip
    record.finish(not failed and not n_unread and all(complete.values()),
                  time.perf_counter() - t_start)  # fmt: skip
    if opts.progress:
        _summary(params, nd, results, provinces, njobs, record.path, t_start)
    n_err = int((nd.problems["severity"] == "error").sum()) if len(nd.problems) else 0
    exit_code = 1 if failed or n_unread or (n_err and not opts.allow_errors) else 0
    return RunResult(exit_code, results, record.path)


def _unreadable(ds):
    from .. import validate

    return validate.unreadable(ds.problems)


def _gate(params, nd, opts):
    """Stop before any report when the data says so (as a run of one province does, over
    every province): unreadable files with ``--strict``, data errors without
    ``--allow-errors``, application dates of another year."""
    from .. import validate
    from ..runner import RunResult

    problems = nd.problems
    unreadable = validate.unreadable(problems) if len(problems) else problems
    blocking = problems[(problems["severity"] == "error") & ~problems.index.isin(unreadable.index)]
    if len(blocking) or len(unreadable):
        _write_problems(params, nd)
    for p in unreadable.itertuples():
        print(f"mchch: {p.file}: {p.message_th} / {p.message_en}", file=sys.stderr)
    if len(unreadable) and opts.strict:
        msg = (f"mchch run: {len(unreadable)} ไฟล์อ่านไม่ได้ (--strict) / unreadable file(s) "
               "with --strict; nothing rendered")  # fmt: skip
        print(msg, file=sys.stderr)
        return RunResult(2, [], None, msg)
    if len(blocking) and not opts.allow_errors:
        where = params.output_dir / "national_validation.xlsx"
        msg = (
            f"mchch run: ข้อผิดพลาดในข้อมูล {len(blocking)} รายการ ยังไม่ได้จัดทำรายงาน (ดู {where} "
            f"และ validation.xlsx ของแต่ละจังหวัด) / {len(blocking)} data error(s) in "
            f"{blocking['province_code'].nunique()} province(s); nothing rendered. Fix them or "
            "rerun with --allow-errors."
        )
        print(msg, file=sys.stderr)
        return RunResult(1, [], None, msg)
    if not opts.allow_year_mismatch:
        for ds in nd.datasets.values():
            preflight.check_data_year(params, ds)
    return None


def _write_problems(params, nd) -> None:
    """Each province's ``validation.xlsx`` in its folder, and every problem of the run in
    ``national_validation.xlsx``."""
    from .. import validate
    from ..outputs import unit_stem
    from ..reference import Province, national_districts, provinces

    for code, ds in nd.datasets.items():
        folder = params.output_dir / "provinces" / unit_stem(code, provinces()[code].name_th)
        folder.mkdir(parents=True, exist_ok=True)
        validate.write_problem_files(ds.problems, folder, code)
    country = Province(0, "ประเทศไทย", "Thailand", dict(national_districts()))
    validate.write_problems_xlsx(nd.problems, params.output_dir / "national_validation.xlsx",
                                 country)  # fmt: skip


def _plan_province(params, code, srcs, nd, opts, nb_dir) -> ProvinceRun:
    """The params, jobs and record of one province: what a run of it alone would plan."""
    from .. import config, national
    from ..ingest import source_digests
    from ..params import province_params, save_derived
    from .plan import run_fingerprint

    pp = save_derived(province_params(params, code, national.input_files(srcs)),
                      config.PROCESSED_DIR / "params")  # fmt: skip
    ds = nd.datasets[code]
    keys = district_data_keys(ds)
    jobs = plan_jobs(pp, None, keys, nb_dir, ds.key)
    units = sorted(set(ds.applicants["district_code"].dropna().astype(int)))  # as units() does
    extra = deliverable_jobs(pp, units, keys, ds.key)
    fp = run_fingerprint(source_digests(srcs), pp, nb_dir, None)
    return ProvinceRun(code, pp, ds, RunRecord(pp.output_dir / "run.json"), jobs + extra,
                       extra, fp)  # fmt: skip


def _warm_data(provinces, todo, owner, opts) -> None:
    """Score each province with something to make once here, so that the forked workers
    inherit the scores (a worker elsewhere computes them once per province it serves)."""
    from .. import deliverables

    if opts.executor != "local":
        return
    busy = {id(owner[id(j)]) for j in todo if id(j) in owner}
    for p in provinces:
        if id(p) in busy:
            deliverables.run_data(p.params, ds=p.ds)


def national_jobs(params, nd, data_key: str, nb_dir: Path) -> list[Job]:
    """The national report, ``national.xlsx``, the national forms and problems; their key
    hashes every province's data key (and what was not placed)."""
    from ..deliverables import NATIONAL_KINDS, national_paths

    keys = [f"{c}:{ds.key}" for c, ds in nd.datasets.items()]
    unplaced = nd.unplaced.input_hash if nd.unplaced is not None else ""
    base = content_hash(code_version(), params.digest, data_key, *keys, unplaced)
    nb = nb_dir / NATIONAL_NOTEBOOK
    parameters = {"params_file": str(params.path.resolve()), "data_key": data_key}
    jobs = [
        Job("national", "national", nb, params.output_dir / "national", dict(parameters),
            content_hash(base, sha256_file(nb)), "ประเทศ", params.cell_timeout_s,
            params.keep_html),
    ]  # fmt: skip
    for kind in NATIONAL_KINDS:
        if kind == "national_forms" and not params.forms:
            continue
        paths = national_paths(params, kind)
        jobs.append(Job(kind, kind, None, paths[0].with_suffix(""), dict(parameters),
                        content_hash(base, kind), "ประเทศ", params.cell_timeout_s,
                        paths=paths))  # fmt: skip
    return jobs


def _order(todo: list[Job]) -> list[Job]:
    """The longest first: the national report, then each province's report, then the rest
    province by province (a worker then keeps few provinces' data at a time)."""
    rank = {"national": 0, "province": 1}
    return sorted(todo, key=lambda j: rank.get(j.kind, 2))


def _start_records(params, nd, record, provinces, njobs, digests, fingerprint) -> None:
    for p in provinces:
        p.record.start(
            {"year": params.year, "params": str(p.params.path), "params_hash": p.params.digest,
             "input_hash": p.ds.input_hash, "inputs": p.ds.file_digests,
             "code_version": code_version(), "fingerprint": p.fingerprint,
             "national": str(record.path)},
            {j.id for j in p.jobs},
        )  # fmt: skip
    record.start(
        {"year": params.year, "params": str(params.path), "params_hash": params.digest,
         "input_hash": nd.input_hash, "inputs": digests, "code_version": code_version(),
         "fingerprint": fingerprint, "scope": list(nd.scope),
         "placement": dict(sorted(nd.placement.how.items()))},
        {j.id for j in njobs},
    )  # fmt: skip


def _execute(todo, owner, record, nd, results, opts) -> None:
    """Every job on one executor; each result recorded in its province's run.json (or the
    national record) as soon as it ends."""
    from .pool import make_pool

    if not todo:
        return
    bar = _Progress(len(todo), opts.progress)

    def on_result(job, r):
        results.append(r)
        p = owner.get(id(job))
        if p is not None:
            p.record.report(job, r, p.ds.input_hash)
        else:
            record.report(job, r, nd.input_hash)
        bar.finished(job, r, p.code if p is not None else None)

    pool = make_pool(opts.executor, opts.workers, opts.scheduler)
    if opts.executor == "local" and sys.platform.startswith("linux"):
        from .worker import warm

        warm()  # once here: the forked workers start warm
    try:
        pool.run(todo, lambda job_id, stage: None, on_result)
    finally:
        pool.close()
        bar.close()


def _finish_provinces(provinces, t_start: float) -> dict[int, bool]:
    """Each province's bundle (after its reports), then its record closed: complete when
    every job of it is ok and the bundle made, as in a run of that province alone."""
    from .. import deliverables

    complete = {}
    for p in provinces:
        rec, pp = p.record, p.params
        outs = rec.state["outputs"]
        if pp.forms or pp.deck or pp.bundle:
            current = {"forms": [], "decks": [], "certificates": []}
            for j in p.extra:
                if j.kind in ("forms", "deck"):
                    current["forms" if j.kind == "forms" else "decks"] += list(j.paths)
            made = outs.get("certificates:province", {}).get("files", {})
            current["certificates"] = [Path(f) for f in made]
            rec.deliverables(deliverables.finish(pp, p.ds, rec.state, current, False))
        ok = all(v.get("status") == "ok" for v in outs.values()) and not len(_unreadable(p.ds))
        rec.finish(ok, time.perf_counter() - t_start)
        complete[p.code] = ok
    return complete


class _Progress:
    """One bar over every job on a terminal; otherwise a line per province report and per
    failure, and a count every 10 % of the jobs."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled
        self.bar = None
        self.step = max(1, total // 10)
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked after this
            self.bar = tqdm(total=total, desc="mchch run", unit="job", file=sys.stderr)

    def finished(self, job, r, province: int | None) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
        where = f"{province}/" if province is not None else ""
        if r.status != "ok" or job.kind in ("province", "national"):
            line = f"  {where}{job.id:<10} {job.title:<18} {r.status:<7} {r.seconds:6.1f} s"
            (self.bar.write if self.bar is not None else print)(line)
        elif self.bar is None and self.done % self.step == 0:
            print(f"  ... {self.done}/{self.total} jobs", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _summary(params, nd, results, provinces, njobs, record_path, t_start) -> None:
    ok = sum(r.status == "ok" for r in results)
    sk = sum(r.status == "skipped" for r in results)
    failed = [r for r in results if r.status == "failed"]
    seconds = time.perf_counter() - t_start
    print(f"\nmchch run: {ok} made, {sk} up to date, {len(failed)} failed in {seconds:.1f} s")
    for r in failed[:20]:
        print(f"  FAILED {r.id}: {(r.error or '').splitlines()[0] if r.error else ''}")
    from ..completeness import district_table, rollup

    whole = rollup(district_table(nd.datasets, nd.scope)).iloc[0]
    print(f"  districts reporting: {whole['with_data']}/{whole['expected']} "
          f"({whole['reporting_rate_pct']:.1f} %)")  # fmt: skip
    if nd.placement.outside:
        n = sum(len(v) for v in nd.placement.outside.values())
        print(f"  left out: {n} workbook(s) of province(s) {sorted(nd.placement.outside)} "
              "(not in provinces)")  # fmt: skip
    if nd.unplaced is not None:
        print(f"  not placed (no known district): {len(nd.unplaced.files)} file(s)")
    print(f"national report: {params.output_dir / 'national.pdf'}\n"
          f"provinces: {params.output_dir / 'provinces'} ({len(provinces)})\n"
          f"run record: {record_path}")  # fmt: skip
