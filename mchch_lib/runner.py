"""The batch: validate once, run the district report notebooks in parallel on warm kernels,
then the provincial report, render each to HTML and PDF, and record ``run.json``.

Incremental: every output has a key (hash of the district's clean data, the notebook, the
params and the code version); an output whose key and files are unchanged is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import queue
import re
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__, config
from .atomic import atomic_path, sha256_file, write_text
from .errors import MchchError
from .kernels import RESET_CODE, RESET_TAG
from .params import Params, load_params

DISTRICT_NOTEBOOK = "district_report.ipynb"
PROVINCE_NOTEBOOK = "province_report.ipynb"


@dataclass
class Job:
    """One report to produce."""

    id: str  # "6007" or "province"
    kind: str  # "district" | "province"
    notebook: Path
    stem: Path  # output path without suffix
    parameters: dict
    key: str
    title: str
    timeout_s: int  # per notebook cell (params output.cell_timeout_s)

    @property
    def pdf(self) -> Path:
        return self.stem.with_suffix(".pdf")

    @property
    def html(self) -> Path:
        return self.stem.with_suffix(".html")

    @property
    def ipynb(self) -> Path:
        return self.stem.with_suffix(".ipynb")


@dataclass
class JobResult:
    id: str
    status: str  # "ok" | "failed" | "skipped"
    seconds: float
    key: str
    outputs: dict[str, str] = field(default_factory=dict)  # path -> sha256
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class RunResult:
    exit_code: int
    results: list[JobResult]
    run_json: Path | None
    message: str = ""

    @property
    def failed(self) -> list[str]:
        return [r.id for r in self.results if r.status == "failed"]


# ---------------------------------------------------------------- keys
@lru_cache(maxsize=1)
def library_version() -> str:
    """Version + hash of every file of the package (code, templates, fonts, rules)."""
    h = hashlib.sha256(__version__.encode())
    for p in sorted(config.PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()


def _safe_name(text: str) -> str:
    """A file name part that survives Windows (no <>:"/\\|?* or control characters)."""
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", text).strip(" .")
    return re.sub(r"\s+", "_", text)


# ---------------------------------------------------------------- run.json
def _read_run_json(path: Path) -> dict:
    if path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}  # a damaged record only costs a full rerun
    return {}


def _fresh(job: Job, previous: dict) -> bool:
    prev = previous.get("outputs", {}).get(job.id)
    if not prev or prev.get("status") != "ok" or prev.get("key") != job.key:
        return False
    return all(Path(p).exists() and sha256_file(p) == s for p, s in prev["files"].items())


# ---------------------------------------------------------------- the worker side
_KERNEL = None
_EVENTS = None


def _init_worker(events) -> None:
    global _KERNEL, _EVENTS
    _EVENTS = events
    # imports paid once per worker, in parallel with the main process' validation
    import papermill  # noqa: F401

    from . import render  # noqa: F401
    from .kernels import WarmKernel

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


def _execute_job(job: Job) -> JobResult:
    """Run one notebook on this worker's warm kernel, then render it. Never raises."""
    global _KERNEL
    import nbformat
    import papermill as pm

    from . import render
    from .kernels import WarmKernel

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
        render.write_outputs(nb, job.pdf, job.html)
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


# ---------------------------------------------------------------- the main side
def plan_jobs(
    params: Params,
    ds=None,
    districts: list[int] | None = None,
    district_keys: dict[int, str] | None = None,
    notebooks_dir: Path | None = None,
) -> list[Job]:
    """The jobs of a run: a report per district with data (or the districts asked for) and,
    unless districts were named, the province. Keys hash each district's data."""
    from .reference import load_province

    province = load_province(params.province_code)
    nb_dir = notebooks_dir or config.NOTEBOOKS_DIR
    base = _hash(
        library_version(), params.digest, str(params.path.resolve() if params.path else "")
    )
    out = params.output_dir
    jobs = []
    if districts:
        unknown = sorted(set(districts) - set(province.districts))
        if unknown:
            raise MchchError(f"district(s) {unknown} are not in province {params.province_code}")
        codes = sorted(districts)
    else:
        codes = sorted(c for c in (district_keys or {}) if c in province.districts)
    dnb = nb_dir / DISTRICT_NOTEBOOK
    dnb_hash = sha256_file(dnb)
    for code in codes:
        d = province.districts[code]
        key = _hash(base, dnb_hash, (district_keys or {}).get(code, ""))
        jobs.append(
            Job(
                str(code),
                "district",
                dnb,
                out / "districts" / f"{code}_{_safe_name(d.name_th)}",
                {"params_file": str(params.path.resolve()), "district_code": code},
                key,
                d.name_th,
                params.cell_timeout_s,
            )
        )
    if not districts:
        pnb = nb_dir / PROVINCE_NOTEBOOK
        key = _hash(
            base, sha256_file(pnb), *(j.key for j in jobs), (district_keys or {}).get(0, "")
        )
        jobs.insert(
            0,
            Job(
                "province",
                "province",
                pnb,
                out / "province",
                {"params_file": str(params.path.resolve())},
                key,
                province.name_th,
                params.cell_timeout_s,
            ),
        )
    return jobs


def district_data_keys(ds) -> dict[int, str]:
    """Hash of each district's clean rows and problems (0 = the problems with no district)."""
    import pandas as pd

    keys = {}
    tables = ("applicants", "scores", "officers", "committee", "plans", "problems")
    codes = set(ds.applicants["district_code"].dropna().astype(int))
    for name in tables:
        codes |= set(ds.table(name)["district_code"].dropna().astype(int))
    for code in sorted(codes):
        h = hashlib.sha256()
        for name in tables:
            df = ds.table(name)
            part = df[df["district_code"] == code]
            h.update(pd.util.hash_pandas_object(part, index=False).values.tobytes())
            h.update(",".join(part.columns).encode())
        keys[code] = h.hexdigest()
    loose = ds.problems[ds.problems["district_code"].isna()]
    keys[0] = hashlib.sha256(
        pd.util.hash_pandas_object(loose, index=False).values.tobytes()
    ).hexdigest()
    return keys


class _Progress:
    """One bar per report on a terminal; one line per finished report otherwise."""

    def __init__(self, jobs: list[Job], enabled: bool):
        self.tty = enabled and sys.stderr.isatty()
        self.enabled = enabled
        self.bars = {}
        if self.tty:
            from tqdm import tqdm

            for i, j in enumerate(jobs):
                self.bars[j.id] = tqdm(
                    total=3,
                    desc=f"{j.id:>8} {j.title}",
                    position=i,
                    leave=True,
                    bar_format="{desc:<28} {bar:20} {postfix}",
                    file=sys.stderr,
                )
                self.bars[j.id].set_postfix_str("queued")

    def update(self, job_id: str, stage: str) -> None:
        bar = self.bars.get(job_id)
        if bar is None:
            return
        steps = {"execute": 1, "render": 2, "done": 3, "failed": 3, "skipped": 3}
        bar.n = steps.get(stage, bar.n)
        bar.set_postfix_str(stage)
        bar.refresh()

    def finished(self, r: JobResult, title: str) -> None:
        if self.tty:
            self.update(r.id, "done" if r.status == "ok" else r.status)
        elif self.enabled:
            print(f"  {r.id:>8} {title:<18} {r.status:<7} {r.seconds:6.1f} s", flush=True)

    def close(self) -> None:
        for b in self.bars.values():
            b.close()


def _record(run_json: Path, state: dict) -> None:
    write_text(run_json, json.dumps(state, ensure_ascii=False, indent=1))


def run(
    params_path: str | Path,
    jobs: int | None = None,
    districts: list[int] | None = None,
    force: bool = False,
    allow_errors: bool = False,
    progress: bool = True,
    notebooks_dir: Path | None = None,
) -> RunResult:
    """Produce every report of a params file. Exit code 0 ok, 1 a report failed or data errors."""
    t_start = time.perf_counter()
    params = load_params(params_path)
    out = params.output_dir
    run_json = out / "run.json"
    previous = _read_run_json(run_json)

    # Fast path: same input files, params, notebooks and code as the last complete run.
    from .ingest import discover, source_digests

    digests = source_digests(discover(list(params.inputs)))
    nb_dir = Path(notebooks_dir) if notebooks_dir else config.NOTEBOOKS_DIR
    fingerprint = _hash(
        json.dumps(digests, sort_keys=True),
        params.digest,
        library_version(),
        sha256_file(nb_dir / DISTRICT_NOTEBOOK),
        sha256_file(nb_dir / PROVINCE_NOTEBOOK),
        json.dumps(sorted(districts or [])),
    )
    if (
        not force
        and previous.get("fingerprint") == fingerprint
        and previous.get("complete")
        and all(
            Path(p).exists() and sha256_file(p) == s
            for o in previous["outputs"].values()
            for p, s in o["files"].items()
        )
    ):
        if progress:
            print(
                f"mchch run: nothing changed since {previous.get('finished')}; "
                f"{len(previous['outputs'])} report(s) up to date in {out}"
            )
        return RunResult(
            0,
            [
                JobResult(k, "skipped", 0.0, v["key"], v["files"])
                for k, v in previous["outputs"].items()
            ],
            run_json,
        )

    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        # imported once here and shared by the forked workers instead of once per worker
        import nbconvert.exporters  # noqa: F401
        import papermill  # noqa: F401
        import weasyprint  # noqa: F401
    events = ctx.Queue()
    n_jobs = jobs or os.cpu_count() or 1
    # Workers import papermill/nbconvert/WeasyPrint and start their kernels while we validate.
    pool = ProcessPoolExecutor(
        max_workers=n_jobs, mp_context=ctx, initializer=_init_worker, initargs=(events,)
    )
    try:
        return _run_with_pool(
            pool,
            events,
            params,
            previous,
            run_json,
            digests,
            fingerprint,
            districts,
            force,
            allow_errors,
            progress,
            t_start,
            nb_dir,
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_with_pool(
    pool,
    events,
    params,
    previous,
    run_json,
    digests,
    fingerprint,
    districts,
    force,
    allow_errors,
    progress,
    t_start,
    nb_dir,
) -> RunResult:
    import threading

    from . import dataset, validate
    from .reference import load_province

    ds = dataset.load_for_params(params)
    out = params.output_dir
    n_err = int((ds.problems["severity"] == "error").sum())
    if n_err:
        validate.write_problems_xlsx(
            ds.problems, out / "validation.xlsx", load_province(params.province_code)
        )
        write_text(
            out / "validation.json",
            json.dumps(validate.problems_json(ds.problems), ensure_ascii=False, indent=1),
        )
        if not allow_errors:
            msg = (
                f"mchch run: {n_err} data error(s); nothing rendered. Fix them (see "
                f"{out / 'validation.xlsx'}) or rerun with --allow-errors."
            )
            print(msg, file=sys.stderr)
            return RunResult(1, [], None, msg)
    keys = district_data_keys(ds)
    all_jobs = plan_jobs(params, ds, districts, keys, nb_dir)
    todo = [j for j in all_jobs if force or not _fresh(j, previous)]
    skipped = [j for j in all_jobs if j not in todo]
    state = {
        "year": params.year,
        "params": str(params.path),
        "params_hash": params.digest,
        "input_hash": ds.input_hash,
        "inputs": digests,
        "code_version": library_version(),
        "fingerprint": fingerprint,
        "complete": False,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "outputs": {
            k: v for k, v in previous.get("outputs", {}).items() if k in {j.id for j in all_jobs}
        },
    }
    results: list[JobResult] = []
    for j in skipped:
        prev = previous["outputs"][j.id]
        results.append(JobResult(j.id, "skipped", 0.0, j.key, prev["files"]))
    if progress:
        from .summary import print_applicant_counts

        print_applicant_counts(ds, load_province(params.province_code))
        print(
            f"mchch run {params.year}: {len(todo)} report(s) to make, {len(skipped)} up to "
            f"date, {ds.input_hash[:12]} input hash, {len(ds.applicants)} applicants",
            flush=True,
        )
    bars = _Progress(todo, progress)
    stop = threading.Event()

    def pump():
        while not stop.is_set():
            try:
                job_id, stage = events.get(timeout=0.1)
            except queue.Empty:
                continue
            bars.update(job_id, stage)

    listener = threading.Thread(target=pump, daemon=True)
    listener.start()
    written = {"forms": [], "decks": []}
    side = ThreadPoolExecutor(max_workers=1)
    try:
        futures = {pool.submit(_execute_job, j): j for j in todo}
        made = None
        if params.forms or params.deck:
            # made in a thread while the workers run the notebooks (they need no PDF), so each
            # finished report is recorded in run.json as soon as it is made
            from . import deliverables

            made = side.submit(deliverables.forms_and_decks, params, ds)
        for fut in as_completed(futures):
            j = futures[fut]
            r = fut.result()
            results.append(r)
            state["outputs"][j.id] = {
                "kind": j.kind,
                "title": j.title,
                "status": r.status,
                "seconds": round(r.seconds, 3),
                "key": r.key,
                "input_hash": ds.input_hash,
                "files": r.outputs,
                "error": r.error,
                "timings": r.timings,
            }
            _record(run_json, state)  # a killed run keeps what it finished
            bars.finished(r, j.title)
        if made is not None:
            written = made.result()
    finally:
        side.shutdown(wait=True)
        stop.set()
        listener.join(timeout=1)
        bars.close()
    failed = [r for r in results if r.status == "failed"]
    state["complete"] = not failed and not districts
    state["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    state["seconds"] = round(time.perf_counter() - t_start, 3)
    if failed:
        state["fingerprint"] = None
    _record(run_json, state)
    if params.forms or params.deck or params.bundle:
        from . import deliverables

        state["deliverables"] = deliverables.finish(params, ds, state, written, progress)
        _record(run_json, state)
    if progress:
        _summary(results, all_jobs, out, run_json, time.perf_counter() - t_start)
    exit_code = 1 if failed or (n_err and not allow_errors) else 0
    return RunResult(exit_code, results, run_json)


def _summary(results, jobs, out, run_json, seconds) -> None:
    by_id = {r.id: r for r in results}
    ok = sum(r.status == "ok" for r in results)
    sk = sum(r.status == "skipped" for r in results)
    failed = [r for r in results if r.status == "failed"]
    print(f"\nmchch run: {ok} made, {sk} up to date, {len(failed)} failed in {seconds:.1f} s")
    for j in jobs:
        r = by_id.get(j.id)
        if r and r.status == "failed":
            print(f"  FAILED {j.id} {j.title}: {(r.error or '').splitlines()[0]}")
            print(f"         executed notebook kept: {j.ipynb}")
    print(f"reports: {out}\nrun record: {run_json}")


def result_dict(r: JobResult) -> dict:
    return asdict(r)
