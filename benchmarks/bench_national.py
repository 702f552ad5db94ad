"""Benchmark of the national run on the national sample (``python -m mchch_lib.sample
--national``, generated when absent), on a copy of it in a temporary folder:

V  reading and validating every workbook, cold cache (``national.load_national``, --jobs
   processes; the interpreter's start and imports not counted);
R  the full national batch, ``mchch run --jobs N --allow-errors`` on a fresh output folder
   (every district, province and national PDF, forms, decks, bundles; the clean data read
   from the cache V filled, as a batch reads it);
E  the same command after a real edit of one district's workbook (that district, its
   province and the national outputs made again);
M  the peak RSS of a worker process (the largest ``rss_mb`` any job recorded in a run.json).

``--executor dask`` runs R and E on a LocalCluster of --jobs workers. The last line reads:
bench-national: districts=N applicants=A validate_s=V run_s=R edit_s=E peak_worker_rss_mb=M
Targets (issue 28, 2 cores): V <= 10, R <= 450, E <= 10, M <= 500: a PASS or MISS line each,
and the script exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "national" / "2561"
TARGETS = {"validate_s": 10, "run_s": 450, "edit_s": 10, "peak_worker_rss_mb": 500}
EDITED = "6007_takhli.xlsx"


def _run(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t


def _edit(workbook: Path) -> None:
    """A real edit: one applicant's name changed, as a clerk would."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    ws = wb["ผู้สมัคร"]
    for row in ws.iter_rows(min_row=4):
        if row[3].value:
            row[3].value = f"{row[3].value} (แก้ไข)"
            break
    wb.save(workbook)


def _peak_rss(out: Path) -> float:
    peak = 0.0
    for rec in out.rglob("*run.json"):
        for o in json.loads(rec.read_text(encoding="utf-8")).get("outputs", {}).values():
            peak = max(peak, float((o.get("timings") or {}).get("rss_mb", 0)))
    return peak


def _made(out: Path, since: float) -> list[str]:
    return sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if p.is_file() and p.stat().st_mtime > since and "bundle" not in p.parts
        and p.suffix in (".pdf", ".xlsx", ".pptx")
    )  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--executor", choices=("local", "dask"), default="local")
    ap.add_argument(
        "--keep",
        type=Path,
        help="keep the outputs in this folder (and the inputs, "
        "cache and params in the temporary folder the script names)",
    )
    args = ap.parse_args()
    if not SAMPLE.exists():
        print("generating the national sample ...", flush=True)
        subprocess.run([str(BIN / "python"), "-m", "mchch_lib.sample", "--national"], check=True)
    work = Path(tempfile.mkdtemp(prefix="mchch-bench-national-"))
    try:
        inputs, out, cache = work / "inputs", args.keep or work / "out", work / "cache"
        shutil.copytree(SAMPLE, inputs)
        if out.exists():
            shutil.rmtree(out)
        raw = yaml.safe_load((ROOT / "params" / "national-2561.yaml").read_text(encoding="utf-8"))
        raw |= {"inputs": [str(inputs)], "catalog": str(ROOT / raw["catalog"]),
                "output": {**raw["output"], "dir": str(out)}}  # fmt: skip
        params = work / "national.yaml"
        params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        env = {**os.environ, "MCHCH_CACHE_DIR": str(cache), "MCHCH_ROOT": str(ROOT)}
        probe = (
            "import time, json\n"
            "from mchch_lib.data.params import load_params\n"
            "from mchch_lib.data import national_inputs as national\n"
            f"p = load_params({str(params)!r})\n"
            "t = time.perf_counter()\n"
            f"nd = national.load_national(p, processes={args.jobs})\n"
            "print(json.dumps({'s': time.perf_counter() - t, 'apps': nd.n_applicants,\n"
            "  'districts': int(sum(len(set(d.applicants['district_code'].dropna()))\n"
            "                       for d in nd.datasets.values()))}))\n"
        )
        proc = subprocess.run([str(BIN / "python"), "-c", probe], env=env, capture_output=True,
                              text=True, check=True)  # fmt: skip
        v = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"V validate (cold cache): {v['s']:.1f} s, {v['districts']} districts, "
              f"{v['apps']} applicants", flush=True)  # fmt: skip
        cmd = [str(BIN / "mchch"), "run", str(params), "--jobs", str(args.jobs), "--allow-errors",
               "--quiet", "--executor", args.executor]  # fmt: skip
        run_s = _run(cmd, env)
        rec = json.loads((out / "national_run.json").read_text(encoding="utf-8"))
        print(f"R run ({args.executor}): {run_s:.1f} s, complete={rec['complete']}", flush=True)
        peak = _peak_rss(out)
        workbook = next(inputs.rglob(EDITED))
        _edit(workbook)
        since = time.time()
        edit_s = _run(cmd, env)
        made = _made(out, since)
        print(f"E edit {EDITED}: {edit_s:.1f} s, made again: {made}", flush=True)
        peak = max(peak, _peak_rss(out))
    finally:
        if args.keep:
            print(f"kept: inputs, cache and params in {work}, outputs in {out}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    got = {"validate_s": v["s"], "run_s": run_s, "edit_s": edit_s, "peak_worker_rss_mb": peak}
    from bench_run import verdicts

    missed = verdicts(got, {k: (float(t), False) for k, t in TARGETS.items()})
    print(
        f"bench-national: districts={v['districts']} applicants={v['apps']} "
        f"validate_s={v['s']:.1f} run_s={run_s:.1f} edit_s={edit_s:.1f} "
        f"peak_worker_rss_mb={peak:.0f}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
