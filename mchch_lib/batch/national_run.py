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

from mchch_lib.batch import gate, preflight
from mchch_lib.batch.executor import make_executor
from mchch_lib.batch.plan import (
    NATIONAL_NOTEBOOK,
    Job,
    deliverable_jobs,
    district_data_keys,
    plan_jobs,
)
from mchch_lib.batch.record import RunRecord, RunResult
from mchch_lib.batch.worker import JobResult
from mchch_lib.common.atomic import sha256_file
from mchch_lib.common.keys import code_version, content_hash
from mchch_lib.deliverables.jobs import NATIONAL_KINDS

#: Jobs a local worker runs before a fresh one replaces it: a national run makes thousands of
#: reports, each leaving a little in the caches of the libraries that draw them (the text
#: layouts of every name drawn), which would otherwise add up past the memory target.
WORKER_MAX_JOBS = 40

#: The national run's record (beside the province folders; a run of one province keeps
#: ``run.json`` in its own folder).
RECORD_NAME = "national_run.json"


@dataclass
class ProvinceRun:
    """One province of a national run: what a run of that province alone would have."""

    code: int
    params: object  # params.Params of the province (saved: workers read it by path)
    key: str  # its clean data's cache key
    record: RunRecord
    jobs: list[Job]
    extra: list[Job]  # its forms, decks, certificates (a subset of jobs)
    fingerprint: str
    unreadable: bool = False  # a workbook of it could not be read (the run is not complete)


def national_fingerprint(digests: dict[str, str], params, nb_dir: Path) -> str:
    """Everything a national run depends on, cheap to compute before validating anything."""
    from mchch_lib.batch.plan import run_fingerprint

    return content_hash(
        run_fingerprint(digests, params, nb_dir, None), sha256_file(nb_dir / NATIONAL_NOTEBOOK)
    )


def _up_to_date(record: RunRecord, fingerprint: str) -> bool:
    """The previous national run was complete with the same fingerprint, its files are
    unchanged, and so is every province's run it made."""
    if not record.up_to_date(fingerprint):
        return False
    return all(
        untouched(RunRecord(record.where(p["run_json"])), p["fingerprint"])
        for p in record.previous.get("provinces", {}).values()
    )


def untouched(record: RunRecord, fingerprint: str) -> bool:
    """A province's previous run is complete with this fingerprint and its files are as it
    left them: each there and not modified after its run.json was written (then there is no
    need to hash a few hundred files); a file modified since is compared by its sha256."""
    prev = record.previous
    if not prev.get("complete") or prev.get("fingerprint") != fingerprint:
        return False
    files = {p: h for o in prev.get("outputs", {}).values() for p, h in o["files"].items()}
    files |= prev.get("deliverables", {}).get("files", {})
    written = record.path.stat().st_mtime
    for path, digest in files.items():
        path = record.where(path)
        try:
            if path.stat().st_mtime > written and sha256_file(path) != digest:
                return False
        except FileNotFoundError:
            return False
    return True


def run_national(ctx, t_start: float):
    """Make every province's outputs and the national ones (see the module docstring);
    ``ctx``: the run's ``context.RunContext``."""
    from mchch_lib.data.ingest import source_digests

    params, opts, nb_dir = ctx.params, ctx.opts, ctx.notebooks_dir
    out = params.output_dir
    sources = preflight.start(params, opts.allow_year_mismatch)
    record = RunRecord(out / RECORD_NAME)
    digests = source_digests(sources)
    fingerprint = national_fingerprint(digests, params, nb_dir)
    up_to_date = not opts.force and _up_to_date(record, fingerprint)
    n = len(record.previous.get("provinces", {}))
    where = f"รายงานระดับประเทศและ {n} จังหวัดเป็นปัจจุบันแล้ว (up to date) ใน {out}"
    done = gate.unchanged(record, up_to_date, opts, where)
    if done is not None:
        return done
    return _run(ctx, record, digests, fingerprint, t_start)


def _run(ctx, record, digests, fingerprint, t_start):
    from mchch_lib.data import national_inputs as national

    params, opts = ctx.params, ctx.opts
    # the workers start now, lean: they read each province from the cache when they need it
    pool = make_executor(opts.executor, opts.workers, opts.scheduler, WORKER_MAX_JOBS)
    if opts.executor == "local" and sys.platform.startswith("linux"):
        from mchch_lib.batch.worker import warm

        warm()  # once here: the forked workers start warm
    pool.start()
    try:
        t0 = time.perf_counter()
        nd = national.load_national(params, processes=opts.workers)
        validate_s = time.perf_counter() - t0
        facts = {code: province_facts(nd, code) for code in nd.codes}
        stop = _gate(params, nd, facts, opts)
        if stop is not None:
            return stop
        provinces = [_plan_province(ctx, code, srcs, nd, facts[code])
                     for code, srcs in nd.placement.provinces.items()]  # fmt: skip
        data_key = national.save(nd)
        njobs = national_jobs(ctx, nd, data_key)
        owner = {p.code: p for p in provinces}  # a job's province run, by its province field
        todo, skipped = [], []
        quiet = {p.code for p in provinces if not opts.force and untouched(p.record, p.fingerprint)}
        for p in provinces:
            if p.code in quiet:
                skipped += p.jobs  # nothing of it changed since its last complete run
                continue
            for j in p.jobs:
                (todo if opts.force or not p.record.fresh(j) else skipped).append(j)
        for j in njobs:
            (todo if opts.force or not record.fresh(j) else skipped).append(j)
        # a province with nothing to make and its last run complete is left as it is
        busy = {j.province for j in todo if j.province is not None}
        planned = provinces
        provinces = [p for p in provinces if p.code in busy or p.code not in quiet]
        _start_records(params, nd, record, provinces, njobs, digests, fingerprint)
        results = [
            JobResult(j.id, "skipped", 0.0, j.key,
                      (owner[j.province].record if j.province is not None else record)
                      .previous_files(j.id))
            for j in skipped
        ]  # fmt: skip
        if opts.progress:
            n_rep = sum(j.kind in ("district", "province", "national") for j in todo)
            print(
                f"mchch run {params.year}: {len(planned)} province(s), "
                f"{sum(f['applicants'] for f in facts.values())} applicants, validated in "
                f"{validate_s:.1f} s; {n_rep} report(s) and {len(todo) - n_rep} other job(s) "
                f"to make, {len(skipped)} up to date",
                flush=True,
            )
        nd.datasets.clear()  # the workers read what they need from the cache
        _execute(pool, _order(todo, nd), owner, record, nd, results, opts)
        complete = _finish_provinces(pool, provinces, t_start, opts)
    finally:
        pool.close()
    failed = [r for r in results if r.status == "failed"]
    n_unread = sum(len(f["unreadable"]) for f in facts.values())
    record.state["provinces"] = {
        str(p.code): {"run_json": record.relative(p.record.path), "fingerprint": p.fingerprint,
                      "complete": complete.get(p.code, True)}  # untouched: complete before
        for p in planned
    }  # fmt: skip
    record.state["held_back"] = {str(c): n for c, n in nd.held.items()}
    # a province held back: not complete, so the next run makes it once its data is fixed
    record.finish(not failed and not n_unread and not nd.held and all(complete.values()),
                  time.perf_counter() - t_start)  # fmt: skip
    if opts.progress:
        _summary(params, nd, results, planned, record.path, t_start)
    n_err = sum(f["errors"] for f in facts.values())
    exit_code = 1 if failed or n_unread or (n_err and not opts.allow_errors) else 0
    return RunResult(exit_code, results, record.path)


def province_facts(nd, code: int) -> dict:
    """What planning and the gate need of a province, kept beside its clean data (so a rerun
    reads a small file, not every province): its district keys (``plan.district_data_keys``),
    the districts with applicants, its blocking errors, unreadable files, application dates."""
    import json

    from mchch_lib.common.atomic import write_text
    from mchch_lib.data.dataset import derived_dir

    path = derived_dir(nd.keys[code]) / "facts.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    ds = nd.dataset(code)
    unread, n_err = gate.blocking(ds.problems)
    facts = {
        "district_keys": {str(k): v for k, v in district_data_keys(ds).items()},
        "units": sorted(int(c) for c in set(ds.applicants["district_code"].dropna())),
        "applicants": len(ds.applicants),
        "errors": n_err,
        "unreadable": unread,
        "applied_on": [d.isoformat() for d in ds.applicants["applied_on"].dropna()],
    }
    write_text(path, json.dumps(facts, ensure_ascii=False))
    return facts


def _gate(params, nd, facts: dict, opts):
    """Stop before any report when the data says so (``gate.gate``, as a run of one province
    does, over every province); data errors without ``--strict`` hold back their provinces."""
    import pandas as pd

    unread = [u for f in facts.values() for u in f["unreadable"]]
    n_err = sum(f["errors"] for f in facts.values())
    if nd.unplaced is not None:
        u, n = gate.blocking(nd.unplaced.problems)
        unread, n_err = unread + u, n_err + n
    dates = [pd.to_datetime(pd.Series(f["applied_on"], dtype="string")) for f in facts.values()]
    n_prov = sum(bool(f["errors"]) for f in facts.values())
    return gate.gate(
        params, opts, gate.Verdict(unread, n_err, dates),
        lambda: _write_problems(params, nd),
        f"{params.output_dir / 'national_validation.xlsx'} และ validation.xlsx ของแต่ละจังหวัด",
        f" in {n_prov} province(s) (--strict)",
        lambda: _hold_back(params, nd, facts),
    )  # fmt: skip


def _hold_back(params, nd, facts: dict) -> None:
    """Without ``--allow-errors`` (nor ``--strict``): each province with data errors is held
    back (its problem list only, written by ``_write_problems``), the others are made; the
    national report names it. The run then exits 1."""
    from mchch_lib.common.keys import unit_stem
    from mchch_lib.data.reference import provinces

    for code in [c for c in nd.codes if facts[c]["errors"]]:
        n = facts[code]["errors"]
        nd.hold_back(code, n)
        nd.placement.provinces.pop(code, None)
        folder = params.output_dir / "provinces" / unit_stem(code, provinces()[code].name_th)
        print(f"mchch run: จังหวัด {code} {provinces()[code].name_th} ยังไม่จัดทำรายงาน: ข้อมูลมีข้อผิดพลาด "
              f"{n} รายการ (ดู {folder / 'validation.xlsx'}) / province {code} held back: "
              f"{n} data error(s); the other provinces are made (--strict: stop all, "
              "--allow-errors: make it too)", file=sys.stderr)  # fmt: skip


def _write_problems(params, nd) -> None:
    """Each province's ``validation.xlsx`` in its folder, and every problem of the run in
    ``national_validation.xlsx`` (when the run stops on them)."""
    import pandas as pd

    from mchch_lib.common.keys import unit_stem
    from mchch_lib.data import validate
    from mchch_lib.data.reference import Province, national_districts, provinces

    every = []
    for code in nd.codes:
        ds = nd.dataset(code)
        folder = params.output_dir / "provinces" / unit_stem(code, provinces()[code].name_th)
        folder.mkdir(parents=True, exist_ok=True)
        validate.write_problem_files(ds.problems, folder, code)
        every.append(ds.problems)
    if nd.unplaced is not None:
        every.append(nd.unplaced.problems)
    country = Province(0, "ประเทศไทย", "Thailand", dict(national_districts()))
    validate.write_problems_xlsx(pd.concat(every, ignore_index=True),
                                 params.output_dir / "national_validation.xlsx",
                                 country)  # fmt: skip


def _plan_province(ctx, code, srcs, nd, facts) -> ProvinceRun:
    """The params, jobs and record of one province: what a run of it alone would plan (its
    own context, ``ctx.for_province``)."""
    from mchch_lib import config
    from mchch_lib.batch.plan import run_fingerprint
    from mchch_lib.data import national_inputs as national
    from mchch_lib.data.ingest import source_digests
    from mchch_lib.data.params import province_params, save_derived

    pp = save_derived(province_params(ctx.params, code, national.input_files(srcs)),
                      config.PROCESSED_DIR / "params")  # fmt: skip
    pctx = ctx.for_province(pp)
    keys = {int(k): v for k, v in facts["district_keys"].items()}
    key = nd.keys[code]
    jobs = plan_jobs(pctx, keys, key)
    extra = deliverable_jobs(pctx, facts["units"], keys, key)
    fp = run_fingerprint(source_digests(srcs), pp, ctx.notebooks_dir, None)
    return ProvinceRun(code, pp, key, RunRecord(pp.output_dir / "run.json"), jobs + extra,
                       extra, fp, bool(facts["unreadable"]))  # fmt: skip


def national_jobs(ctx, nd, data_key: str) -> list[Job]:
    """The national report, ``national.xlsx``, the national forms and problems; their key
    hashes every province's data key (and what was not placed)."""
    params, nb_dir = ctx.params, ctx.notebooks_dir
    from mchch_lib.deliverables.jobs import national_paths

    keys = [f"{c}:{k}" for c, k in sorted(nd.keys.items())]
    unplaced = nd.unplaced.input_hash if nd.unplaced is not None else ""
    base = content_hash(code_version(), params.digest, data_key, *keys, unplaced)
    nb = nb_dir / NATIONAL_NOTEBOOK
    parameters = {"params_file": str(params.path.resolve()), "data_key": data_key}
    common = {"title": "ประเทศ", "timeout_s": params.cell_timeout_s}
    jobs = [
        Job(id="national", kind="national", notebook=nb, stem=params.output_dir / "national",
            parameters=dict(parameters), key=content_hash(base, sha256_file(nb)),
            keep_html=params.keep_html, **common),
    ]  # fmt: skip
    for kind in NATIONAL_KINDS:
        if kind == "national_forms" and not params.forms:
            continue
        paths = national_paths(params, kind)
        jobs.append(Job(id=kind, kind=kind, stem=paths[0].with_suffix(""),
                        parameters=dict(parameters), key=content_hash(base, kind),
                        paths=paths, **common))  # fmt: skip
    return jobs


#: At most this many provinces without their share of the national figures cached (see
#: ``_order``): the national workbooks start beside the national report.
FEW_PARTS_MISSING = 2


def _order(todo: list[Job], nd) -> list[Job]:
    """The longest first: the national report, then each province's report, then the rest
    province by province (a worker then keeps few provinces' data at a time). The national
    workbooks read every province's share of the national figures (``levels.province_part``):
    in a first run they come last, reading the shares the national report computed and
    cached; when all but a few are cached already (a rerun after an edit) they start at once
    beside the national report instead of waiting behind it (about 4 s of such a rerun)."""
    from mchch_lib.analysis.rollup import part_cached

    missing = sum(not part_cached(k) for k in nd.keys.values())
    late = 3 if missing > FEW_PARTS_MISSING else 0.5
    rank = {"national": 0, "province": 1, **{k: late for k in NATIONAL_KINDS}}
    return sorted(todo, key=lambda j: rank.get(j.kind, 2))


def _start_records(params, nd, record, provinces, njobs, digests, fingerprint) -> None:
    for p in provinces:
        files = {k: v for k, v in nd.file_digests.items()
                 if k in {s.label for s in nd.placement.provinces[p.code]}}  # fmt: skip
        p.record.start(
            {"year": params.year, "params": str(p.params.path), "params_hash": p.params.digest,
             "input_hash": _input_hash(files), "inputs": files,
             "code_version": code_version(), "fingerprint": p.fingerprint,
             "national": p.record.relative(record.path)},
            {j.id for j in p.jobs},
        )  # fmt: skip
    record.start(
        {"year": params.year, "params": str(params.path), "params_hash": params.digest,
         "input_hash": nd.input_hash, "inputs": digests, "code_version": code_version(),
         "fingerprint": fingerprint, "scope": list(nd.scope),
         "placement": dict(sorted(nd.placement.how.items()))},
        {j.id for j in njobs},
    )  # fmt: skip


def _input_hash(files: dict) -> str:
    from mchch_lib.data.dataset import input_hash

    return input_hash(files)


def _execute(pool, todo, owner, record, nd, results, opts) -> None:
    """Every job on one executor; each result recorded in its province's run.json (or the
    national record) as soon as it ends."""
    if not todo:
        return
    bar = _Progress(len(todo), opts.progress)
    hashes = {}

    def on_result(job, r):
        results.append(r)
        p = owner.get(job.province) if job.province is not None else None
        if p is not None:
            if p.code not in hashes:
                hashes[p.code] = p.record.state.get("input_hash", "")
            p.record.report(job, r, hashes[p.code])
        else:
            record.report(job, r, nd.input_hash)
        bar.finished(job, r, p.code if p is not None else None)

    try:
        pool.run(todo, lambda job_id, stage: None, on_result)
    finally:
        bar.close()


def _finish_provinces(pool, provinces, t_start: float, opts) -> dict[int, bool]:
    """Each province's bundle, made by the workers once its reports are (``deliverables.
    bundle_job``), then its record closed: complete when every job of it is ok and the bundle
    made, as in a run of that province alone."""
    jobs = []
    for p in provinces:
        pp = p.params
        if not (pp.forms or pp.deck or pp.bundle):
            continue
        outs = p.record.state["outputs"]
        current = {"forms": [], "decks": [], "certificates": []}
        for j in p.extra:
            if j.kind in ("forms", "deck"):
                current["forms" if j.kind == "forms" else "decks"] += [str(x) for x in j.paths]
        made = outs.get("certificates:province", {}).get("files", {})
        current["certificates"] = [str(p.record.where(x)) for x in made]
        jobs.append(Job(id="bundle:province", kind="bundle", stem=pp.output_dir / "bundle",
                        parameters={"params_file": str(pp.path), "data_key": p.key,
                                    "state": p.record.state, "current": current},
                        key="", title=pp.office_th, timeout_s=pp.cell_timeout_s,
                        paths=(pp.output_dir / "bundle.zip",), province=p.code))  # fmt: skip
    of = {p.code: p for p in provinces}
    made: dict[int, bool] = {}

    def on_result(job, r):
        p = of[job.province]
        if r.status == "ok":
            p.record.deliverables(r.info)
        made[p.code] = r.status == "ok"

    if jobs:
        pool.run(jobs, lambda job_id, stage: None, on_result)
    complete = {}
    for p in provinces:
        outs = p.record.state["outputs"]
        ok = all(v.get("status") == "ok" for v in outs.values()) and made.get(p.code, True)
        p.record.finish(ok and not p.unreadable, time.perf_counter() - t_start)
        complete[p.code] = ok and not p.unreadable
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


def _summary(params, nd, results, provinces, record_path, t_start) -> None:
    ok = sum(r.status == "ok" for r in results)
    sk = sum(r.status == "skipped" for r in results)
    failed = [r for r in results if r.status == "failed"]
    seconds = time.perf_counter() - t_start
    print(f"\nmchch run: จัดทำแล้ว {ok} (made), เป็นปัจจุบัน {sk} (up to date), "
          f"ล้มเหลว {len(failed)} (failed) ใช้เวลา {seconds:.1f} วินาที")  # fmt: skip
    for r in failed[:20]:
        print(f"  ล้มเหลว (FAILED) {r.id}: {(r.error or '').splitlines()[0] if r.error else ''}")
    from mchch_lib.data.reference import national_districts

    expected = sum(d.province_code in nd.scope for d in national_districts().values())
    print(f"  จังหวัดที่มีข้อมูล (provinces with data): {len(nd.keys)}/{len(nd.scope)}; อำเภอที่ควร"
          f"ส่ง (districts expected): {expected} (ความครบถ้วน: national.pdf, national.xlsx)")  # fmt: skip
    if nd.placement.outside:
        n = sum(len(v) for v in nd.placement.outside.values())
        print(f"  ไม่นำมาใช้ (left out): {n} ไฟล์ของจังหวัด {sorted(nd.placement.outside)} "
              "ที่ไม่อยู่ใน provinces")  # fmt: skip
    if nd.unplaced is not None:
        print(f"  ระบุจังหวัดไม่ได้ (not placed): {len(nd.unplaced.files)} ไฟล์")
    for code, n in sorted(nd.held.items()):
        print(f"  ยังไม่จัดทำ (HELD BACK) {code}: ข้อผิดพลาด {n} รายการ (data errors)")
    print(f"รายงานระดับประเทศ (national report): {params.output_dir / 'national.pdf'}\n"
          f"รายงานรายจังหวัด (provinces): {params.output_dir / 'provinces'} ({len(provinces)})\n"
          f"บันทึกการรัน (run record): {record_path}")  # fmt: skip
