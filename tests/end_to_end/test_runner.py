"""End to end: the real notebooks through papermill on a small fixture (two districts of the
sample), checked in the PDF; a broken district; a run killed midway; incremental reruns."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from mchch_lib import config
from mchch_lib.batch import run as runner
from mchch_lib.common import thai
from mchch_lib.common.atomic import sha256_file
from mchch_lib.common.keys import code_version
from mchch_lib.documents import report
from mchch_lib.documents.sections import short_hash

pytestmark = pytest.mark.slow
SAMPLE = config.sample_dir(2561)
FILES = ["6002_krok-phra.xlsx", "6007_takhli.xlsx"]


def make_params(tmp: Path, files=FILES, **output) -> Path:
    data = tmp / "data"
    data.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(SAMPLE / f, data / f)
    p = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    p["inputs"] = [str(data)]
    p["catalog"] = str(config.catalog_path(2561))
    p["output"] = {
        "dir": str(tmp / "reports"),
        "forms": False,
        "deck": False,
        "bundle": False,
        **output,
    }
    path = tmp / "params.yaml"
    path.write_text(yaml.safe_dump(p, allow_unicode=True), encoding="utf-8")
    return path


def pdf_text(path: Path) -> str:
    """Extracted text (pypdf), as a person searching the PDF gets it."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def fonts_of(path: Path) -> dict[str, bool]:
    """Font name -> embedded, for every font used on every page."""
    out = {}
    for page in PdfReader(path).pages:
        for f in page["/Resources"].get("/Font", {}).values():
            f = f.get_object()
            desc = f.get("/DescendantFonts")
            d = desc[0].get_object() if desc else f
            fd = d.get("/FontDescriptor", {})
            fd = fd.get_object() if fd else {}
            out[str(f["/BaseFont"])] = any(
                k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return out


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    params = make_params(tmp)
    result = runner.run(params, jobs=2, progress=False)
    return tmp, params, result


def test_reports_are_made_with_embedded_sarabun_and_right_numbers(first_run):
    tmp, params, result = first_run
    assert result.exit_code == 0, [r.error for r in result.results]
    out = tmp / "reports"
    pdfs = sorted((out / "districts").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["6002_โกรกพระ.pdf", "6007_ตาคลี.pdf"]
    assert (out / "province.pdf").exists()
    for p in [*pdfs, out / "province.pdf"]:
        fonts = fonts_of(p)
        assert fonts and all(fonts.values()), fonts  # every font embedded
        assert all("Sarabun" in name for name in fonts), fonts  # no fallback font
        text = pdf_text(p)
        assert "Glyph" not in text
        # searchable Thai: sara am is one character (U+0E33), not nikhahit + sara aa
        assert "อำเภอ" in text and "ดำเนิน" in text and "\u0e4d\u0e32" not in text
    ctx = report.district_context(params, 6007)
    text = pdf_text(out / "districts" / "6007_ตาคลี.pdf")
    a = ctx.applicants
    assert "ตาคลี" in text
    assert f"ผู้สมัคร {len(a)} หน่วยนับ" in text
    # the numbers in the tables are the library's
    for r in a.itertuples():
        assert r.applicant_id in text
        assert thai.format_number(r.pre_total, 1) in text
        if r.post_complete:
            assert thai.format_number(r.post_pct, 1) in text
    mean_post = a.loc[a["post_complete"], "post_pct"].mean()
    assert f"หลังพัฒนาร้อยละ {thai.format_number(mean_post, 1)}" in text
    # no national ID in full
    assert not re.search(r"\d-\d{4}-\d{5}-\d{2}-\d|\b\d{13}\b", text)
    # provenance: in the metadata, and its short Thai form on the cover
    meta = PdfReader(out / "districts" / "6007_ตาคลี.pdf").metadata
    assert meta["/mchchinputhash"] == ctx.data.input_hash
    assert meta["/mchchcodeversion"] == code_version()
    first = PdfReader(out / "districts" / "6007_ตาคลี.pdf").pages[0].extract_text()
    assert f"ฉบับข้อมูล {short_hash(ctx.data.input_hash)}" in first
    prov = pdf_text(out / "province.pdf")
    assert "โกรกพระ" in prov and "ตาคลี" in prov
    text = (out / "run.json").read_text(encoding="utf-8")
    assert str(out.parent) not in text and str(config.PROJECT_ROOT) not in text  # no folder
    run = json.loads(text)
    assert set(run["outputs"]) == {
        "6002", "6007", "province", "annex:province", "district_annex:6002", "district_annex:6007"
    }  # fmt: skip
    for o in run["outputs"].values():
        assert o["status"] == "ok" and o["seconds"] > 0
        for path, digest in o["files"].items():
            assert not Path(path).is_absolute()  # relative to the output folder
            assert sha256_file(out / path) == digest
    # executed notebooks are kept; templates stay without outputs
    assert (out / "districts" / "6007_ตาคลี.ipynb").exists()


def test_rerun_skips_everything_then_redoes_only_what_changed(first_run):
    tmp, params, _ = first_run
    out = tmp / "reports"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    (tmp / "data" / FILES[0]).touch()  # touched, not changed
    t = time.perf_counter()
    r = runner.run(params, jobs=2, progress=False)
    assert time.perf_counter() - t < 5
    assert r.exit_code == 0 and {x.status for x in r.results} == {"skipped"}
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before
    # change one district's data: that district and the province are redone
    from openpyxl import load_workbook

    wb = load_workbook(tmp / "data" / "6007_takhli.xlsx")
    ws = wb["พัฒนากร"]
    ws.cell(ws.max_row, 3, "ตำแหน่งใหม่")
    wb.save(tmp / "data" / "6007_takhli.xlsx")
    r = runner.run(params, jobs=2, progress=False)
    status = {x.id: x.status for x in r.results}
    # that district, the province and its annex (counts of every district) are made again
    assert status == {"6002": "skipped", "6007": "ok", "province": "ok", "annex:province": "ok",
                      "district_annex:6002": "skipped", "district_annex:6007": "ok"}  # fmt: skip


def _notebooks_with_a_cell(tmp_path: Path, cell_id: str, source: str) -> Path:
    """A copy of the report notebooks whose district report runs ``source`` as its fourth
    cell."""
    nbs = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, nbs)
    path = nbs / "district_report.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "id": cell_id, "source": source}  # fmt: skip
    nb["cells"].insert(3, cell)
    path.write_text(json.dumps(nb), encoding="utf-8")
    return nbs


def test_a_failing_district_does_not_stop_the_others(tmp_path, capsys):
    params = make_params(tmp_path)
    nbs = _notebooks_with_a_cell(
        tmp_path, "boom", "if district_code == 6007:\n    raise RuntimeError('boom in 6007')"
    )
    r = runner.run(params, jobs=2, progress=True, notebooks_dir=nbs)
    assert r.exit_code == 1 and r.failed == ["6007"]
    out = tmp_path / "reports"
    assert (out / "districts" / "6002_โกรกพระ.pdf").exists()
    assert (out / "province.pdf").exists()
    assert not (out / "districts" / "6007_ตาคลี.pdf").exists()
    kept = json.loads((out / "districts" / "6007_ตาคลี.ipynb").read_text(encoding="utf-8"))
    assert "boom in 6007" in json.dumps(kept)
    printed = capsys.readouterr().out
    assert "ล้มเหลว (FAILED) 6007 ตาคลี" in printed and "boom in 6007" in printed
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["outputs"]["6007"]["status"] == "failed" and not run["complete"]


@pytest.mark.parametrize(
    "trouble, said",
    [
        ("import time\nif district_code == 6002:\n    time.sleep(600)", "timed out"),
        ("import os\nif district_code == 6002:\n    os._exit(1)", "died"),
    ],
)
def test_a_hung_or_dead_kernel_fails_one_report_and_the_next_gets_a_fresh_kernel(
    tmp_path, trouble, said
):
    params = make_params(tmp_path, cell_timeout_s=3)
    nbs = _notebooks_with_a_cell(tmp_path, "trouble", trouble)
    t0 = time.perf_counter()
    r = runner.run(params, jobs=1, progress=False, notebooks_dir=nbs)  # one worker: 6007 after
    assert time.perf_counter() - t0 < 120
    assert r.exit_code == 1 and r.failed == ["6002"]
    err = next(x.error for x in r.results if x.id == "6002")
    assert said in err.lower()
    out = tmp_path / "reports"
    assert (out / "districts" / "6007_ตาคลี.pdf").exists() and (out / "province.pdf").exists()


def test_data_errors_stop_the_run_unless_allowed(tmp_path):
    params = make_params(tmp_path)
    from openpyxl import load_workbook

    f = tmp_path / "data" / "6002_krok-phra.xlsx"
    wb = load_workbook(f)
    wb["คะแนน"].cell(4, 5, 99)  # L1 above its full marks
    wb.save(f)
    r = runner.run(params, jobs=1, progress=False)
    assert r.exit_code == 1 and r.results == []
    assert (tmp_path / "reports" / "validation.xlsx").exists()
    assert not (tmp_path / "reports" / "province.pdf").exists()
    r = runner.run(params, jobs=2, allow_errors=True, progress=False, districts=[6002])
    assert r.exit_code == 0
    text = pdf_text(tmp_path / "reports" / "districts" / "6002_โกรกพระ.pdf")
    flat = "".join(text.split())  # the rejected rows listed by their Thai message, no rule id
    assert "ไม่ได้นำมาคำนวณ" in flat and "อยู่นอกช่วง0–" in flat
    assert "score_out_of_range" not in text


def test_killed_run_leaves_no_partial_output_and_rerun_completes(tmp_path):
    params = make_params(tmp_path, files=[p.name for p in sorted(SAMPLE.glob("*.xlsx"))[:6]])
    out = tmp_path / "reports"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mchch_lib.cli", "run", str(params), "--jobs", "2", "--quiet"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120

    def recorded():  # reports the run has recorded as made (run.json is written atomically)
        try:
            state = json.loads((out / "run.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return set()
        return {k for k, v in state["outputs"].items() if v["status"] == "ok"}

    while time.time() < deadline and not recorded():
        time.sleep(0.05)
    done_before = recorded()
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finals = [p for p in out.rglob("*") if p.is_file() and ".part" not in p.name]
    for p in finals:
        if p.suffix == ".pdf":
            data = p.read_bytes()
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), p
            PdfReader(p)
        elif p.suffix in (".json", ".ipynb"):
            json.loads(p.read_text(encoding="utf-8"))
    made_before = {p.name for p in out.rglob("*.pdf")}
    assert len(made_before) < 7  # it really was stopped midway
    r = runner.run(params, jobs=2, progress=False)
    assert r.exit_code == 0
    assert len(list((out / "districts").glob("*.pdf"))) == 6 and (out / "province.pdf").exists()
    assert done_before  # the killed run had recorded at least one report
    # what the killed run finished and recorded is not made again
    assert {x.id for x in r.results if x.status == "skipped"} >= done_before


def test_keep_html_false_writes_no_html(tmp_path):
    params = make_params(tmp_path, files=["6002_krok-phra.xlsx"], keep_html=False)
    r = runner.run(params, jobs=1, progress=False, districts=[6002])
    assert r.exit_code == 0
    out = tmp_path / "reports" / "districts"
    assert (out / "6002_โกรกพระ.pdf").exists() and not list(out.glob("*.html"))
    recorded = json.loads((tmp_path / "reports" / "run.json").read_text(encoding="utf-8"))
    assert not [p for p in recorded["outputs"]["6002"]["files"] if p.endswith(".html")]


def test_a_real_edit_remakes_exactly_that_district_and_the_province(tmp_path):
    from openpyxl import load_workbook

    from mchch_lib.batch.record import made_by_last_run

    files = [*FILES, "province_final_round.xlsx"]
    params = make_params(tmp_path, files=files, forms=True, deck=True, bundle=True)
    out = tmp_path / "reports"
    # the final round names units of all 15 districts: the other districts' are errors here
    assert runner.run(params, jobs=2, progress=False, allow_errors=True).exit_code == 0
    zip_before = sha256_file(out / "bundle.zip")
    assert list((out / "certificates").glob("*.pdf"))
    certs_before = {p.name: p.stat().st_mtime_ns for p in (out / "certificates").glob("*")}
    f = tmp_path / "data" / "6007_takhli.xlsx"
    wb = load_workbook(f)
    ws = wb["ผู้สมัคร"]
    final = {  # an applicant the provincial committee did not assess: no certificate changes
        v
        for sheet in load_workbook(tmp_path / "data" / files[2]).worksheets
        for r in sheet.iter_rows(values_only=True)
        for v in r
    }
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value not in final)
    ws.cell(row, 4, f"{ws.cell(row, 4).value} (แก้ไข)")
    wb.save(f)
    assert runner.run(params, jobs=2, progress=False, allow_errors=True).exit_code == 0
    assert made_by_last_run(out / "run.json") == {
        "6007", "province", "annex:province", "forms:6007", "deck:6007",
        "forms:province", "deck:province", "district_annex:6007",
    }  # fmt: skip
    assert sha256_file(out / "bundle.zip") != zip_before  # the bundle holds the new files
    assert {p.name: p.stat().st_mtime_ns for p in (out / "certificates").glob("*")} == certs_before
    with zipfile.ZipFile(out / "bundle.zip") as z:
        assert z.read("districts/6007_ตาคลี.pdf") == (out / "districts/6007_ตาคลี.pdf").read_bytes()
