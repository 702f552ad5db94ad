"""End to end: a national run of two provinces (three districts in all) on the local pool, then
on Dask (a LocalCluster of two worker processes) with one worker killed mid-run: the same
files, the same PDF pages and text, the same run records; the killed worker's job made again
elsewhere and no half file left."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from mchch_lib.batch import run as runner
from tests.analysis.test_national import national_params, write_district

pytestmark = pytest.mark.slow

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T[\d:]+|\d{1,2}:\d{2}( น\.)?")


def snapshot(out: Path) -> dict:
    """What a person gets: every file, each PDF's pages and text (times of day left out), and
    what each run record says of each job (not its seconds)."""
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    pdfs = {}
    for p in sorted(out.rglob("*.pdf")):
        if "bundle" in p.parts:
            continue
        reader = PdfReader(p)
        text = "\n".join(page.extract_text() for page in reader.pages)
        pdfs[str(p.relative_to(out))] = (len(reader.pages), _TIME.sub("<time>", text))
    records = {}
    for rec in sorted(out.rglob("*run.json")):
        if "bundle" in rec.parts:
            continue  # the bundle's copy (keys and files only) is compared as a file
        state = json.loads(rec.read_text(encoding="utf-8"))
        records[str(rec.relative_to(out))] = {
            "complete": state["complete"],
            "outputs": {
                k: (v["kind"], v["title"], v["status"], v["key"], sorted(v["files"]))
                for k, v in state["outputs"].items()
            },
        }
    return {"files": files, "pdfs": pdfs, "records": records}


@pytest.fixture(scope="module")
def two_provinces(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    for code in (1501, 1502, 1701):
        write_district(tmp / "in", code, n=3)
    return tmp, national_params(tmp, tmp / "in", [15, 17])


def _kill_a_busy_worker(client, out: Path, killed: list, stop: threading.Event) -> None:
    """Once the run is under way, SIGKILL a worker process that is running a job."""
    pids = client.run(os.getpid)
    deadline = time.time() + 120
    while time.time() < deadline and not stop.is_set():
        busy = [w for w, keys in client.processing().items()
                if any(str(k).startswith("mchch-") for k in keys)]  # fmt: skip
        if busy and (out / "national_run.json").exists():
            time.sleep(0.5)  # inside the job, not before it
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])
            return
        time.sleep(0.05)


def test_dask_makes_what_the_local_pool_makes_even_when_a_worker_dies(two_provinces, monkeypatch):
    from distributed import Client, LocalCluster

    from mchch_lib import config

    tmp, params = two_provinces
    # a cache of its own (the workers spawned below read the variable): the tests running
    # beside it in the other process write the same districts' data to the shared one
    cache = tmp / "cache"
    monkeypatch.setenv("MCHCH_CACHE_DIR", str(cache))
    monkeypatch.setattr(config, "PROCESSED_DIR", cache)
    out = tmp / "reports"
    local = runner.run(params, jobs=2, progress=False)
    assert local.exit_code == 0 and not local.failed
    expected = snapshot(out)
    assert "national.pdf" in expected["files"] and "national.xlsx" in expected["files"]
    assert {f for f in expected["files"] if f.startswith("provinces/15_อ่างทอง/")} >= {
        "provinces/15_อ่างทอง/province.pdf",
        "provinces/15_อ่างทอง/run.json",
        "provinces/15_อ่างทอง/bundle.zip",
        "provinces/15_อ่างทอง/districts/1501_เมืองอ่างทอง.pdf",
        "provinces/15_อ่างทอง/forms/1502_ไชโย_แบบ4.2.xlsx",
    }
    shutil.move(out, tmp / "local")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)  # fmt: skip
    client = Client(cluster)
    killed: list = []
    stop = threading.Event()
    killer = threading.Thread(target=_kill_a_busy_worker, args=(client, out, killed, stop))
    killer.start()
    try:
        r = runner.run(params, jobs=2, progress=False, executor="dask",
                       scheduler=cluster.scheduler_address)  # fmt: skip
    finally:
        stop.set()
        killer.join()
        client.close()
        cluster.close()
    assert killed, "no worker was killed"
    assert r.exit_code == 0 and not r.failed  # the killed worker's job was made elsewhere
    assert not [p for p in out.rglob("*") if ".part" in p.name]  # no half file
    got = snapshot(out)
    assert got["files"] == expected["files"]
    assert_same_pdfs(got["pdfs"], expected["pdfs"])
    assert got["records"] == expected["records"]


def assert_same_pdfs(got: dict, expected: dict) -> None:
    """The same PDFs, page counts and text; a difference shown as the lines that differ (with
    their invisible characters), not as two long strings cut in the middle."""
    import difflib

    assert sorted(got) == sorted(expected)
    diffs = []
    for name, (pages, text) in expected.items():
        g_pages, g_text = got[name]
        if (g_pages, g_text) != (pages, text):
            lines = difflib.unified_diff(text.split("\n"), g_text.split("\n"), lineterm="", n=0)
            shown = [repr(line) for line in list(lines)[2:40]]
            diffs.append(f"{name}: pages {pages} -> {g_pages}\n" + "\n".join(shown))
    assert not diffs, "\n\n".join(diffs)


def test_national_workbooks_start_beside_the_report_once_the_shares_are_cached(monkeypatch):
    """A first national run makes the national workbooks last (they read the provinces'
    shares the national report computes); a rerun with all but a few shares cached starts them
    at once, beside the national report."""
    from types import SimpleNamespace

    from mchch_lib.analysis import rollup as levels
    from mchch_lib.batch import national_run as batch_national

    kinds = ["district", "province", "national_tables", "national", "forms", "national_validation"]
    todo = [SimpleNamespace(kind=k) for k in kinds]
    nd = SimpleNamespace(keys={c: f"k{c}" for c in range(10, 20)})
    monkeypatch.setattr(levels, "part_cached", lambda key: False)
    first = [j.kind for j in batch_national._order(todo, nd)]
    assert first == ["national", "province", "district", "forms", "national_tables",
                     "national_validation"]  # fmt: skip
    monkeypatch.setattr(levels, "part_cached", lambda key: key != "k12")  # one edited
    rerun = [j.kind for j in batch_national._order(todo, nd)]
    assert rerun == ["national", "national_tables", "national_validation", "province", "district",
                     "forms"]  # fmt: skip


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readmes_cluster_commands_make_what_the_local_pool_makes(two_provinces, monkeypatch):
    """The cluster as a user starts it (docs/internals.md): `dask scheduler` and `dask worker
    … --nthreads 1 --nworkers 2` from the command line on loopback, then `mchch run
    --executor dask --scheduler tcp://…`: the same files, PDF text and records as the local pool."""
    import subprocess
    import sys

    from mchch_lib import config

    tmp, params = two_provinces
    cache = tmp / "cli-cache"
    monkeypatch.setenv("MCHCH_CACHE_DIR", str(cache))
    monkeypatch.setattr(config, "PROCESSED_DIR", cache)
    out = tmp / "reports"
    shutil.rmtree(out, ignore_errors=True)
    assert runner.run(params, jobs=2, progress=False).exit_code == 0
    expected = snapshot(out)
    shutil.rmtree(out)
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port",
                               address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)]  # fmt: skip
    try:
        procs.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1",
                                       "--nworkers", "2", "--no-dashboard"], **quiet))  # fmt: skip
        _wait_for_workers(address, 2)
        cli = subprocess.run([sys.executable, "-m", "mchch_lib.cli", "run", str(params), "--executor",
                              "dask", "--scheduler", address, "--quiet"],
                             capture_output=True, text=True, timeout=600)  # fmt: skip
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    assert cli.returncode == 0, cli.stderr[-2000:]
    got = snapshot(out)
    assert got["files"] == expected["files"]
    assert_same_pdfs(got["pdfs"], expected["pdfs"])
    assert got["records"] == expected["records"]


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(n, timeout=60)
