"""Benchmark of the batch on the sample data, against the naive pipeline, in the same run.

(a) baseline: for each district, the `papermill` CLI, then `jupyter nbconvert --to html`, then
    the `weasyprint` CLI, one after the other (a process and a kernel per step);
(b) `mchch run --force` (all districts + the province + forms, decks, bundle);
(c) `mchch run` again after touching one district's workbook (time stamp only: no report may
    be made again, inputs are compared by content);
(d) for information, `mchch run` after a real edit of that workbook: exactly that district's
    report and the province's must be made again.

Targets: (b) at least 5x faster than (a); (c) at most 10 % of (b); (c) and (d) remake what they
must and nothing else. Exits 1 when a target is missed. The last line is machine-readable:
bench: baseline_s=A run_s=B incremental_s=C speedup=A/B incremental_share=C/B peak_rss_mb=M
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
SPEEDUP_TARGET = 5.0
INCREMENTAL_TARGET = 0.10


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


def _pdf_stamps(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in root.rglob("*.pdf") if "bundle" not in p.parts}


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(n for n, t in after.items() if before.get(n) != t)


def _edit_one_name(workbook: Path) -> None:
    """Change the first applicant's name in a district workbook (a real data change)."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    ws = wb["ผู้สมัคร"]
    for row in ws.iter_rows():
        for c in row:
            if c.value == "ชื่อ":  # the header; the first data row is below it
                below = ws.cell(c.row + 1, c.column)
                below.value = f"{below.value} (แก้ไข)"
                wb.save(workbook)
                return
    raise SystemExit(f"bench: no name column in {workbook}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--districts",
        type=int,
        default=15,
        help="how many districts the baseline runs (default all 15)",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mchch-bench-"))
    try:
        data = work / "data"
        shutil.copytree(ROOT / "data" / "sample" / "2561", data)
        p = yaml.safe_load((ROOT / "params" / "2561.yaml").read_text(encoding="utf-8"))
        p["inputs"] = [str(data)]
        p["catalog"] = str(ROOT / "data" / "catalog" / "2561.yaml")
        p["output"]["dir"] = str(work / "reports")
        params = work / "params.yaml"
        params.write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
        codes = sorted(int(f.name[:4]) for f in data.glob("*.xlsx"))[: args.districts]

        # (a) the naive way, district by district
        base = work / "baseline"
        base.mkdir()
        t0 = time.perf_counter()
        for code in codes:
            nb = base / f"{code}.ipynb"
            timed(
                [
                    str(BIN / "papermill"),
                    "--no-progress-bar",
                    "--log-level",
                    "ERROR",
                    str(ROOT / "notebooks" / "district_report.ipynb"),
                    str(nb),
                    "-p",
                    "params_file",
                    str(params),
                    "-p",
                    "district_code",
                    str(code),
                    "--cwd",
                    str(ROOT / "notebooks"),
                ]
            )
            timed(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--log-level", "ERROR", str(nb)]
            )
            timed(
                [str(BIN / "weasyprint"), str(nb.with_suffix(".html")), str(nb.with_suffix(".pdf"))]
            )
        baseline = time.perf_counter() - t0
        baseline *= 15 / len(codes)  # scaled when asked to run fewer districts
        print(f"(a) baseline, {len(codes)} districts: {baseline:.1f} s", flush=True)

        # (b) the batch, everything redone
        run_s, peak = timed(
            [str(BIN / "mchch"), "run", str(params), "--force", "--quiet"], sample_rss=True
        )
        print(f"(b) mchch run --force: {run_s:.1f} s, peak RSS {peak / 2**20:.0f} MB", flush=True)

        # (c) again after touching one district's workbook: its content is unchanged, so
        # nothing may be made again (inputs are compared by content, not by time stamp)
        touched = sorted(data.glob("*.xlsx"))[6]
        before = _pdf_stamps(work / "reports")
        os.utime(touched)
        inc_s, _ = timed([str(BIN / "mchch"), "run", str(params), "--quiet"])
        remade_c = _changed(before, _pdf_stamps(work / "reports"))
        print(
            f"(c) mchch run after a touch: {inc_s:.2f} s, reports made again: {remade_c or 'none'}",
            flush=True,
        )

        # (d) for information: after a real edit of that district's data, its report and the
        # province's are made again, the other districts' are not
        before = _pdf_stamps(work / "reports")
        _edit_one_name(touched)
        edit_s, _ = timed([str(BIN / "mchch"), "run", str(params), "--quiet"])
        remade_d = _changed(before, _pdf_stamps(work / "reports"))
        print(
            f"(d) mchch run after editing {touched.name}: {edit_s:.2f} s, reports made again: "
            f"{remade_d}",
            flush=True,
        )
        expected_d = ["province.pdf", f"{touched.name[:4]}_….pdf"]
        incremental_ok = (
            not remade_c
            and len(remade_d) == 2
            and "province.pdf" in remade_d
            and any(n.startswith(touched.name[:4]) for n in remade_d)
        )
        if not incremental_ok:
            print(f"incremental runs MISSED: (c) must remake nothing, (d) exactly {expected_d}")

        speedup = baseline / run_s
        share = inc_s / run_s
        ok = speedup >= SPEEDUP_TARGET and share <= INCREMENTAL_TARGET and incremental_ok
        print(
            f"targets: speedup >= {SPEEDUP_TARGET} ({'ok' if speedup >= SPEEDUP_TARGET else 'MISSED'}),"
            f" incremental share <= {INCREMENTAL_TARGET} "
            f"({'ok' if share <= INCREMENTAL_TARGET else 'MISSED'})"
        )
        print(
            f"bench: baseline_s={baseline:.2f} run_s={run_s:.2f} incremental_s={inc_s:.2f} "
            f"speedup={speedup:.2f} incremental_share={share:.3f} "
            f"peak_rss_mb={peak / 2**20:.0f}"
        )
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
