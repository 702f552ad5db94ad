"""Trust of the batch as a process (issue 21, items 6, 7, 10), with real ``mchch run``
processes: one run per output folder (a second exits 2 naming the holder, or waits with
``--wait``); an output folder inside an input folder is refused; SIGTERM stops the batch and
its workers (exit 143, nothing half-written); workers die with a killed batch; a full disk
names the file; an unreachable Dask scheduler stops the run in seconds; an incomplete bundle
is never up to date; a national run holds back only the province with data errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from openpyxl import load_workbook

from mchch_lib.deliverables import bundle
from tests.analysis.test_national import national_params, write_district
from tests.end_to_end.test_runner import make_params

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def mchch(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mchch_lib.cli", *map(str, args)], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, **kw)  # fmt: skip


def _until(check, timeout: float = 60, step: float = 0.1) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(step)


def _holder_pid(out: Path) -> int | None:
    try:
        return json.loads((out / ".mchch-run.lock").read_text(encoding="utf-8"))["pid"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


def _litter(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if ".part" in p.name]


def _whole_pdfs(out: Path) -> None:
    for p in out.rglob("*.pdf"):
        assert p.read_bytes().rstrip().endswith(b"%%EOF"), p


# ---------------------------------------------------------------- 6. one run per output folder
def test_a_second_run_on_the_same_output_exits_2_naming_the_first_or_waits(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"])
    out = tmp_path / "reports"
    first = mchch("run", params, "--jobs", "1", "--quiet")
    _until(lambda: _holder_pid(out) == first.pid)
    second = mchch("run", params, "--jobs", "1", "--quiet")
    _, err = second.communicate(timeout=60)
    assert second.returncode == 2
    assert "มีการรันอื่นกำลังใช้โฟลเดอร์ผลลัพธ์นี้อยู่" in err and "another run is using" in err
    assert f"pid {first.pid}" in err and "mchch_lib/cli.py run" in err and "--wait" in err
    assert "Traceback" not in err
    waiting = mchch("run", params, "--jobs", "1", "--quiet", "--wait")
    _until(lambda: (out / "run.json").exists() or first.poll() is not None)
    assert first.wait(timeout=180) == 0
    _, err = waiting.communicate(timeout=180)
    assert waiting.returncode == 0, err
    assert "waiting for the run" in err
    assert _holder_pid(out) == waiting.pid  # it ran after the first, holding the folder


def test_an_output_folder_inside_an_input_folder_is_refused_before_any_work(tmp_path):
    import yaml

    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"])
    raw = yaml.safe_load(params.read_text(encoding="utf-8"))
    for out in (tmp_path / "data" / "reports", tmp_path / "data"):
        raw["output"]["dir"] = str(out)
        params.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
        p = mchch("run", params, "--quiet")
        _, err = p.communicate(timeout=60)
        assert p.returncode == 2
        assert "โฟลเดอร์ผลลัพธ์อยู่ในโฟลเดอร์ข้อมูลนำเข้า" in err and "is inside the input" in err
        assert "Traceback" not in err
    assert not (tmp_path / "data" / "reports").exists()
    assert not (tmp_path / "data" / ".mchch-run.lock").exists()


def test_an_incomplete_bundle_is_never_up_to_date(tmp_path):
    out = tmp_path / "out"
    (out / "districts").mkdir(parents=True)
    a, b = out / "districts" / "6001_a.pdf", out / "districts" / "6002_b.pdf"
    a.write_bytes(b"%PDF a")
    b.write_bytes(b"%PDF b")
    groups = {"reports": [(a, "A"), (b, "B")]}
    made = bundle.build(out, "t", groups, "<p>s</p>")
    assert made["rebuilt"] and made["missing"] == []
    assert not bundle.build(out, "t", groups, "<p>s</p>")["rebuilt"]
    # a CD that lost a file and the file's line in its manifest still verifies, but lacks
    # what it must hold: made again
    (out / "bundle" / "districts" / "6002_b.pdf").unlink()
    m = json.loads((out / "bundle" / "manifest.json").read_text(encoding="utf-8"))
    m["files"] = [f for f in m["files"] if f["path"] != "districts/6002_b.pdf"]
    (out / "bundle" / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert bundle.verify(out / "bundle") == []
    again = bundle.build(out, "t", groups, "<p>s</p>")
    assert again["rebuilt"] and (out / "bundle" / "districts" / "6002_b.pdf").exists()
    # a report that is not there: the bundle says what it lacks and is made again each time
    b.unlink()
    lacking = bundle.build(out, "t", groups, "<p>s</p>")
    assert lacking["missing"] == ["districts/6002_b.pdf"]
    assert bundle.build(out, "t", groups, "<p>s</p>")["rebuilt"]


# ---------------------------------------------------------------- 7. signals and faults
def test_sigterm_stops_the_batch_and_its_workers_leaving_nothing_half_written(tmp_path):
    params = make_params(tmp_path, bundle=True, forms=True)
    out = tmp_path / "reports"
    p = mchch("run", params, "--jobs", "2", "--quiet")
    proc = psutil.Process(p.pid)
    # the workers are forked once validation is done; wait until they are busy
    _until(lambda: len(proc.children()) >= 2 and (out / "run.json").exists(), timeout=120)
    time.sleep(1.0)
    workers = proc.children(recursive=True)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 143, err
    assert time.monotonic() - t0 < 10
    assert "stopped by SIGTERM" in err and "SIGTERM" in err and "Traceback" not in err
    gone, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == []
    assert _litter(out) == [] and not (out / ".bundle.part").exists()
    _whole_pdfs(out)
    json.loads((out / "run.json").read_text(encoding="utf-8"))  # whole
    # the next run makes what is missing
    again = mchch("run", params, "--jobs", "2", "--quiet")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err


def test_workers_die_with_a_killed_batch(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx", "6007_takhli.xlsx"])
    out = tmp_path / "reports"
    p = mchch("run", params, "--jobs", "2", "--quiet")
    proc = psutil.Process(p.pid)
    _until(lambda: len(proc.children()) >= 2 and (out / "run.json").exists(), timeout=120)
    workers = proc.children(recursive=True)
    p.kill()
    p.wait(timeout=10)
    gone, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == []
    # its lock went with it: the next run starts, removes the litter, makes everything
    again = mchch("run", params, "--jobs", "2", "--quiet")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _litter(out) == []


_FULL_DISK = """
import errno, runpy, shutil, sys
orig = shutil.copy2
def copy2(src, dst, *a, **k):
    if ".bundle.part" in str(dst) and str(dst).endswith(".pdf"):
        raise OSError(errno.ENOSPC, "No space left on device")
    return orig(src, dst, *a, **k)
shutil.copy2 = copy2
sys.argv = ["mchch", *sys.argv[1:]]
runpy.run_module("mchch_lib.cli", run_name="__main__")
"""

_FILE_LIMIT = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
sys.argv = ["mchch", *sys.argv[1:]]
runpy.run_module("mchch_lib.cli", run_name="__main__")
"""


def test_a_full_disk_names_the_file_and_leaves_no_staging_folder(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"], bundle=True)
    out = tmp_path / "reports"
    p = subprocess.run([sys.executable, "-c", _FULL_DISK, "run", str(params), "--jobs", "1",
                        "--quiet"], env=ENV, capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert p.returncode == 2, p.stderr
    assert f"{out / '.bundle.part'}: เขียนไฟล์ไม่ได้ พื้นที่ดิสก์เต็ม" in p.stderr
    assert "the disk is full" in p.stderr and "Traceback" not in p.stderr
    assert "AttributeError" not in p.stderr and "unexpected error" not in p.stderr
    assert _litter(out) == [] and not (out / "bundle.zip").exists()
    _whole_pdfs(out)
    p = subprocess.run([sys.executable, "-c", _FILE_LIMIT, "run", str(params), "--force",
                        "--jobs", "1", "--quiet"], env=ENV, capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert p.returncode in (1, 2), p.stderr
    assert "เขียนไฟล์ไม่ได้ พื้นที่ดิสก์เต็ม" in p.stderr + p.stdout
    assert "Traceback" not in p.stderr and "unexpected error" not in p.stderr
    assert _litter(out) == []


def test_an_unreachable_dask_scheduler_stops_the_run_in_seconds(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"])
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    address = f"tcp://127.0.0.1:{port}"
    t0 = time.monotonic()
    p = mchch("run", params, "--executor", "dask", "--scheduler", address, "--quiet")
    out, err = p.communicate(timeout=60)
    assert p.returncode == 2
    assert time.monotonic() - t0 < 15
    assert f"{address}: ติดต่อ Dask scheduler ไม่ได้" in err and "cannot reach the Dask" in err
    assert "Traceback" not in err
    assert not (tmp_path / "reports" / "run.json").exists()  # stopped before validation


# ---------------------------------------------------------------- 10. one province's errors
def _break_scores(path: Path) -> None:
    """A score far above full marks on every scored row: a data error of the district."""
    wb = load_workbook(path)
    ws = wb["คะแนน"]
    for row in ws.iter_rows(min_row=3):
        for c in row:
            if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                c.value = 999
    wb.save(path)


def test_one_provinces_errors_stop_no_other(tmp_path):
    from pypdf import PdfReader

    from mchch_lib.data.reference import provinces

    for code in (1501, 1701):
        write_district(tmp_path / "in", code, n=2)
    _break_scores(tmp_path / "in" / "1701_d.xlsx")
    params = national_params(tmp_path, tmp_path / "in", [15, 17], forms=False, deck=False,
                             bundle=False)  # fmt: skip
    out = tmp_path / "reports"
    p = mchch("run", params, "--jobs", "2", "--quiet")
    _, err = p.communicate(timeout=600)
    assert p.returncode == 1, err
    assert "จังหวัด 17" in err and "province 17 held back" in err and "Traceback" not in err
    prov = {f.name: f for f in (out / "provinces").iterdir()}
    held = next(f for n, f in prov.items() if n.startswith("17_"))
    made = next(f for n, f in prov.items() if n.startswith("15_"))
    assert [f.name for f in held.iterdir() if f.suffix == ".pdf"] == []  # its problems only
    assert (held / "validation.xlsx").exists() and (made / "province.pdf").exists()
    text = "".join(pg.extract_text() for pg in PdfReader(out / "national.pdf").pages)
    flat = "".join(text.split())
    assert f"จังหวัดที่ยังไม่รวมในรายงานนี้:17{provinces()[17].name_th}" in flat
    state = json.loads((out / "national_run.json").read_text(encoding="utf-8"))
    assert state["complete"] is False and state["held_back"] == {"17": state["held_back"]["17"]}
    # --strict stops everything, as before
    strict = mchch("run", params, "--jobs", "2", "--quiet", "--strict", "--force")
    _, err = strict.communicate(timeout=600)
    assert strict.returncode == 1 and "nothing rendered" in err
