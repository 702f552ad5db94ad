"""Hostile input through the whole batch: ID numbers typed into free text reach no output file;
a run killed while writing the bundle is made whole by the next; an unreadable file among
good ones; what a killed run leaves behind is cleaned up (its half-written files; the batch
runs no kernels, so there are no kernel folders to leave)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from mchch_lib.batch import run as runner
from mchch_lib.common.atomic import sha256_file
from tests.data.test_hostile import IDS, plant_ids
from tests.end_to_end.test_runner import make_params

pytestmark = pytest.mark.slow


def id_pattern(cid: object) -> re.Pattern:
    """The 13 digits of an ID in any spelling: plain, dashed, spaced, with thousands commas."""
    digits = "".join(ch for ch in str(cid) if ch.isdigit())
    return re.compile(r"[\s\-,.]?".join(digits))


def texts(path: Path, name: str = ""):
    """(where, text) of a file and, for zip-based files, of every member, recursively."""
    name = name or str(path)
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as z:
            for m in z.namelist():
                inner = z.read(m)
                if inner[:2] == b"PK" or m.endswith(".pdf"):
                    with tempfile.NamedTemporaryFile(suffix=Path(m).suffix) as t:
                        t.write(inner)
                        t.flush()
                        yield from texts(Path(t.name), f"{name}!{m}")
                else:
                    yield f"{name}!{m}", inner.decode("utf-8", "ignore")
    elif data[:4] == b"%PDF":
        yield name, "\n".join(p.extract_text() for p in PdfReader(path).pages)
    else:
        yield name, data.decode("utf-8", "ignore")


def test_ids_typed_into_free_text_appear_in_no_output(tmp_path):
    params = make_params(tmp_path, forms=True, deck=True, bundle=True)
    plant_ids(tmp_path / "data" / "6007_takhli.xlsx")
    r = runner.run(params, jobs=2, progress=False, allow_errors=True)
    # the IDs in a date and in a score cell are data errors, allowed here to reach the reports
    assert r.exit_code == 0 and not r.failed
    out = tmp_path / "reports"
    files = [p for p in out.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".pdf", ".html", ".ipynb", ".xlsx", ".pptx", ".json", ".zip"} <= kinds
    leaks = [
        (where, key)
        for p in files
        for where, text in texts(p)
        for key, cid in IDS.items()
        if id_pattern(cid).search(text)
    ]
    assert leaks == []
    # the masked forms are there: the report still says where the ID was found
    prov = "\n".join(t for _, t in texts(out / "districts" / "6007_ตาคลี.pdf"))
    assert "1-1007-xxxxx-xx-6" in re.sub(r"\s", "", prov)


def test_a_run_killed_in_the_bundle_step_is_made_whole_by_the_next(tmp_path):
    params = make_params(tmp_path, forms=True, deck=True, bundle=True)
    out = tmp_path / "reports"
    assert runner.run(params, jobs=2, progress=False).exit_code == 0
    old_zip = sha256_file(out / "bundle.zip")
    f = tmp_path / "data" / "6007_takhli.xlsx"
    wb = load_workbook(f)
    wb["ผู้สมัคร"].cell(5, 4, "นายสมชาย ชื่อใหม่")
    wb.save(f)
    script = (
        "import os, signal, sys, zipfile\n"
        "from mchch_lib.batch import run as runner\n"
        "orig, n = zipfile.ZipFile.write, [0]\n"
        "def write(self, *a, **k):\n"
        "    if 'bundle' in str(self.filename):\n"
        "        n[0] += 1\n"
        "        if n[0] == 4:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return orig(self, *a, **k)\n"
        "zipfile.ZipFile.write = write\n"
        "runner.run(sys.argv[1], jobs=2, progress=False)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(params)], start_new_session=True)
    proc.wait(timeout=180)
    os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None
    assert proc.returncode == -signal.SIGKILL
    state = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert state["complete"] is False  # killed in the bundle: not complete
    assert state["outputs"]["6007"]["status"] == "ok"  # the new report was made and recorded
    assert sha256_file(out / "bundle.zip") == old_zip  # the zip is the old one, whole
    r = runner.run(params, jobs=2, progress=False)
    assert r.exit_code == 0
    # every report, form and deck was made and recorded before the kill: only the bundle is new
    assert {x.status for x in r.results} == {"skipped"}
    assert {x.id for x in r.results} >= {"6002", "6007", "province", "forms:6007", "deck:6007"}
    bundle = out / "bundle"
    with zipfile.ZipFile(out / "bundle.zip") as z:
        names = sorted(z.namelist())
        folder = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
        assert names == folder
        for n in names:
            assert z.read(n) == (bundle / n).read_bytes(), n
        assert z.read("districts/6007_ตาคลี.pdf") == (out / "districts/6007_ตาคลี.pdf").read_bytes()
    again = runner.run(params, jobs=2, progress=False)
    assert again.exit_code == 0 and {x.status for x in again.results} == {"skipped"}


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_an_unreadable_workbook_leaves_the_others_to_be_made(tmp_path, capsys):
    params = make_params(tmp_path)
    (tmp_path / "data" / "6003_chum-saeng.xlsx").write_bytes(b"")
    r = runner.run(params, jobs=2, progress=True)
    assert r.exit_code == 1 and not r.failed
    out = tmp_path / "reports"
    assert (out / "districts" / "6007_ตาคลี.pdf").exists() and (out / "province.pdf").exists()
    printed = capsys.readouterr()
    assert "6003_chum-saeng.xlsx" in printed.err and "ไฟล์ว่างเปล่า" in printed.err
    assert "อ่านไม่ได้ (NOT READ)" in printed.out and "6003 ชุมแสง" in printed.out
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["complete"] is False
    strict = runner.run(params, jobs=1, progress=False, strict=True)
    assert strict.exit_code == 2 and strict.results == []


def test_litter_of_a_killed_run_is_removed(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"])
    out = tmp_path / "reports"
    (out / "districts").mkdir(parents=True)
    part = out / "districts" / ".6002_โกรกพระ.abc123.part.ipynb"
    part.write_text("{}")
    staging = out / ".bundle.part"
    (staging / "districts").mkdir(parents=True)
    assert runner.run(params, jobs=1, progress=False).exit_code == 0
    assert not part.exists() and not staging.exists()
    assert not [p for p in out.rglob("*") if ".part" in p.name]
    shutil.rmtree(out)
