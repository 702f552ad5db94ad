"""Benchmark of the batch on the sample data, against the naive pipeline, in the same run.

(a) baseline: for each district, the `papermill` CLI, then `jupyter nbconvert --to html`, then
    the `weasyprint` CLI, one after the other (a process and a kernel per step);
(b) `mchch run --force` (every district, the province and its annex, forms, decks,
    certificates, bundle);
(c) `mchch run` again after touching one district's workbook (time stamp only: nothing may
    be made again, inputs are compared by content);
(d) `mchch run` after a real edit of that workbook (an applicant's name): exactly that
    district's report, forms and deck, the province's report, annex, forms and deck must be
    made again (and the bundle), nothing else.
Per report, from run.json of (b): the median district (execute + render), the median render
time per page of a district PDF, and the province; the peak RSS of every worker process (each
job reports its process's peak).

Targets (issue 28, 2 cores, same run): speedup >= 10, edit_share <= 0.15, incremental_share
<= 0.05, district_median_s <= 0.6, province_s <= 1.5, peak_worker_rss_mb <= 500. A line per
target says PASS or MISS; the script exits 1 when one is missed (or when (c)/(d) remade the
wrong files). The last line is machine-readable:
bench: baseline_s=A run_s=B incremental_s=C speedup=A/B incremental_share=C/B edit_s=D
edit_share=D/B district_median_s=E province_s=F peak_worker_rss_mb=G district_ms_per_page=H
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGETS = {  # name: (limit, True when the figure must be at least the limit)
    "speedup": (10.0, True),
    "edit_share": (0.15, False),
    "incremental_share": (0.05, False),
    "district_median_s": (0.6, False),
    "province_s": (1.5, False),
    "peak_worker_rss_mb": (500.0, False),
}


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue  # a child that ended between the listing and the read
    except psutil.Error:
        return 0
    return total


def timed(cmd: list[str], cwd: Path | None = None, sample_rss: bool = False) -> tuple[float, int]:
    """Wall seconds of a command and the peak RSS of its whole process tree (bytes)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    if sample_rss:
        ps = psutil.Process(proc.pid)
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _tree_rss(ps))
                time.sleep(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
    _, err = proc.communicate()
    if sample_rss:
        stop.set()
        th.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return time.perf_counter() - t, peak


def _stamps(root: Path) -> dict[str, int]:
    """Modification times of every output but the bundle's copies and the run record."""
    skip = {"bundle", "certificates"}
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file()
        and not skip & set(p.relative_to(root).parts)
        and p.name not in ("run.json", "bundle.zip", "bundle.json", ".mchch-run.lock")
    }


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(n for n, t in after.items() if before.get(n) != t)


def _edit_one_name(workbook: Path) -> None:
    """Change the name of the first applicant not in the provincial final round (a real data
    change that touches no certificate) in a district workbook."""
    from openpyxl import load_workbook

    final = set()
    fr = workbook.parent / "province_final_round.xlsx"
    if fr.exists():
        for ws in load_workbook(fr, read_only=True).worksheets:
            final |= {str(v) for row in ws.iter_rows(values_only=True) for v in row if v}
    wb = load_workbook(workbook)
    ws = wb["ผู้สมัคร"]
    head = next(r for r in ws.iter_rows() if any(c.value == "ชื่อ" for c in r))
    col = {c.value: c.column for c in head}
    for r in range(head[0].row + 1, ws.max_row + 1):
        if str(ws.cell(r, col["รหัสผู้สมัคร"]).value) not in final:
            ws.cell(r, col["ชื่อ"]).value = f"{ws.cell(r, col['ชื่อ']).value} (แก้ไข)"
            wb.save(workbook)
            return
    raise SystemExit(f"bench: no applicant outside the final round in {workbook}")


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def _report_figures(run_json: Path) -> tuple[float, float, float, float]:
    """(median district execute + render, province seconds, peak worker RSS MB, median
    district render milliseconds per PDF page) of a run."""
    import json
    import statistics

    out = json.loads(run_json.read_text(encoding="utf-8"))["outputs"]
    ok = {k: v for k, v in out.items() if k.isdigit() and v["status"] == "ok"}
    districts = [v["timings"]["execute"] + v["timings"]["render"] for v in ok.values()]
    per_page = []
    for v in ok.values():
        pdf = next(run_json.parent / f for f in v["files"] if f.endswith(".pdf"))
        per_page.append(1000 * v["timings"]["render"] / _pages(pdf))
    prov = out["province"]["timings"]
    rss = max(v["timings"].get("rss_mb", 0) for v in out.values() if v["status"] == "ok")
    return (statistics.median(districts), prov["execute"] + prov["render"], rss,
            statistics.median(per_page))  # fmt: skip


def _expected_edit(code: str) -> set[str]:
    """What an edit of one applicant's name must remake: that district's report, forms, deck
    and annex workbook, and the province's report, annex, forms and deck."""
    return {code, "province", "annex:province", f"forms:{code}", f"deck:{code}",
            f"district_annex:{code}", "forms:province", "deck:province"}  # fmt: skip


def _setup(work: Path) -> tuple[Path, Path]:
    """A copy of the 2561 sample and params writing into ``work``: (data folder, params)."""
    data = work / "data"
    shutil.copytree(ROOT / "data" / "sample" / "2561", data)
    p = yaml.safe_load((ROOT / "params" / "2561.yaml").read_text(encoding="utf-8"))
    p["inputs"] = [str(data)]
    p["catalog"] = str(ROOT / "data" / "catalog" / "2561.yaml")
    p["output"]["dir"] = str(work / "reports")
    params = work / "params.yaml"
    params.write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
    return data, params


def _baseline(work: Path, params: Path, codes: list[int]) -> float:
    """(a) the naive way, district by district: papermill, nbconvert, weasyprint CLIs."""
    base = work / "baseline"
    base.mkdir()
    t0 = time.perf_counter()
    for code in codes:
        nb = base / f"{code}.ipynb"
        timed([str(BIN / "papermill"), "--no-progress-bar", "--log-level", "ERROR",
               str(ROOT / "notebooks" / "district_report.ipynb"), str(nb),
               "-p", "params_file", str(params), "-p", "district_code", str(code),
               "--cwd", str(ROOT / "notebooks")])  # fmt: skip
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--log-level", "ERROR", str(nb)])
        timed([str(BIN / "weasyprint"), str(nb.with_suffix(".html")), str(nb.with_suffix(".pdf"))])
    baseline = (time.perf_counter() - t0) * 15 / len(codes)  # scaled when fewer districts ran
    print(f"(a) baseline, {len(codes)} districts: {baseline:.1f} s", flush=True)
    return baseline


def _batch(work: Path, data: Path, params: Path) -> dict:
    """(b) the batch with everything redone, (c) after a touch, (d) after a real edit."""
    from mchch_lib.batch.record import made_by_last_run

    run_s, peak = timed(
        [str(BIN / "mchch"), "run", str(params), "--force", "--quiet"], sample_rss=True
    )
    print(f"(b) mchch run --force: {run_s:.1f} s, peak RSS of all processes "
          f"{peak / 2**20:.0f} MB", flush=True)  # fmt: skip
    district_s, province_s, worker_rss, ms_page = _report_figures(work / "reports" / "run.json")
    print(f"    per report: district median {district_s:.2f} s (execute + render; render "
          f"{ms_page:.0f} ms a page), province {province_s:.2f} s, peak worker RSS "
          f"{worker_rss:.0f} MB")  # fmt: skip
    touched = sorted(data.glob("6*.xlsx"))[6]  # its content unchanged: nothing to make
    before = _stamps(work / "reports")
    os.utime(touched)
    inc_s, _ = timed([str(BIN / "mchch"), "run", str(params), "--quiet"])
    remade_c = sorted(n for n, t in _stamps(work / "reports").items() if before.get(n) != t)
    print(f"(c) mchch run after a touch: {inc_s:.2f} s, files made again: {remade_c or 'none'}",
          flush=True)  # fmt: skip
    _edit_one_name(touched)
    edit_s, _ = timed([str(BIN / "mchch"), "run", str(params), "--quiet"])
    made = made_by_last_run(work / "reports" / "run.json")
    want = _expected_edit(touched.name[:4])
    print(f"(d) mchch run after editing {touched.name}: {edit_s:.2f} s, made again: "
          f"{sorted(made)}", flush=True)  # fmt: skip
    if remade_c or made != want:
        print(f"incremental runs MISSED: (c) must remake nothing, (d) exactly {sorted(want)}")
    return {"run_s": run_s, "inc_s": inc_s, "edit_s": edit_s, "district_s": district_s,
            "province_s": province_s, "worker_rss": worker_rss, "ms_page": ms_page,
            "incremental_ok": not remade_c and made == want}  # fmt: skip


def verdicts(figures: dict[str, float], targets: dict[str, tuple[float, bool]]) -> list[str]:
    """Print a PASS or MISS line per target; return the names of those missed."""
    missed = []
    for name, (limit, at_least) in targets.items():
        value = figures[name]
        ok = value >= limit if at_least else value <= limit
        if not ok:
            missed.append(name)
        print(f"target {name} {'>=' if at_least else '<='} {limit:g}: {value:.3g} "
              f"{'PASS' if ok else 'MISS'}")  # fmt: skip
    if missed:
        print(f"missed: {', '.join(missed)}")
    return missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--districts", type=int, default=15,
                    help="how many districts the baseline runs (default all 15)")  # fmt: skip
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mchch-bench-"))
    try:
        data, params = _setup(work)
        codes = sorted(int(f.name[:4]) for f in data.glob("6*.xlsx"))[: args.districts]
        baseline = _baseline(work, params, codes)
        b = _batch(work, data, params)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run_s = b["run_s"]
    figures = {
        "speedup": baseline / run_s,
        "edit_share": b["edit_s"] / run_s,
        "incremental_share": b["inc_s"] / run_s,
        "district_median_s": b["district_s"],
        "province_s": b["province_s"],
        "peak_worker_rss_mb": b["worker_rss"],
    }
    missed = verdicts(figures, TARGETS)
    if not b["incremental_ok"]:
        print("MISS incremental: (c) or (d) made other files than they must (see above)")
    print(
        f"bench: baseline_s={baseline:.2f} run_s={run_s:.2f} incremental_s={b['inc_s']:.2f} "
        f"speedup={figures['speedup']:.2f} incremental_share={figures['incremental_share']:.3f} "
        f"edit_s={b['edit_s']:.2f} edit_share={figures['edit_share']:.3f} "
        f"district_median_s={b['district_s']:.2f} province_s={b['province_s']:.2f} "
        f"peak_worker_rss_mb={b['worker_rss']:.0f} district_ms_per_page={b['ms_page']:.0f}"
    )
    return 0 if not missed and b["incremental_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
