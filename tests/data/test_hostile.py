"""A careless clerk and an attacker: pasted rows, a zip bomb, unreadable files, ID numbers in
free text, formula injection, bad params. Every file is made by the test from the sample (no
large binary fixture is committed). Heavy cases run in a child process under an address-space
limit, so a regression fails here instead of taking the machine down."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from mchch_lib import config
from mchch_lib.cli import main as cli_main
from mchch_lib.common import sanitize as safety
from mchch_lib.data import dataset, validate
from mchch_lib.data.ingest import ReadLimits

SAMPLE = config.sample_dir(2561)
TAKHLI = SAMPLE / "6007_takhli.xlsx"
DEADLINE = dt.date(2018, 5, 18)
AS_LIMIT = 3 * 1024**3  # a child never gets more than 3 GB of address space
MB = 1024 * 1024


def load(*paths, **kw):
    return dataset.load(
        list(paths), config.catalog_path(2561), 60, deadline_41=DEADLINE, use_cache=False, **kw
    )


def run_child(args: list[str], timeout: float = 120) -> tuple[int, str, float, float]:
    """Run ``mchch ARGS`` in a child limited to AS_LIMIT; (exit code, stderr, wall s, peak MB)."""

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))

    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mchch_lib.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limit,
        env=dict(os.environ, MCHCH_CACHE_DIR=str(Path(args[-1]).parent / ".cache")),
    )
    try:
        err = proc.stderr.read(1 << 20).decode("utf-8", "replace")
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if proc.poll() is None:
            proc.kill()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    assert wall < timeout
    return proc.returncode, err, wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


# ---------------------------------------------------------------- 1. pasted rows
def pasted(tmp_path: Path, copies: int) -> Path:
    wb = load_workbook(TAKHLI)
    ws = wb["ผู้สมัคร"]
    row = [c.value for c in ws[4]]
    for _ in range(copies):
        ws.append(row)
    out = tmp_path / "6007_pasted.xlsx"
    wb.save(out)
    return out


@pytest.mark.slow
def test_pasted_rows_are_reported_in_linear_size_within_bounds(tmp_path):
    f = pasted(tmp_path, 6000)
    t0 = time.process_time()
    ds = load(f)
    cpu = time.process_time() - t0
    dup = ds.problems[ds.problems["rule"] == "duplicate_applicant"]
    assert len(dup) == 6001  # each copy and the original: one problem each, no more
    first = dup.iloc[0]
    assert first["message_th"] == (
        'รหัสผู้สมัคร "2561-6007-001" ใช้ซ้ำ 6001 แถว (แถวแรกที่พบ: '
        f"{ds.problems['file'].iloc[0]} แถว 4) ให้แก้รหัสให้ไม่ซ้ำกัน"
    )
    assert ds.problems["message_th"].str.len().max() < 600
    assert cpu <= 5, f"validation took {cpu:.1f} s of CPU"
    rc = ds.reconciliation
    assert (rc["rows_read"] == rc["clean"] + rc["rejected"]).all()
    # the whole CLI, with the Excel problem list, in a child: bounded memory
    code, err, wall, peak_mb = run_child(
        [
            "validate",
            "--params",
            "params/2561.yaml",
            str(f),
            "--no-cache",
            "--report",
            str(tmp_path / "p.xlsx"),
        ]
    )
    assert code == 1 and "Traceback" not in err
    assert peak_mb <= 1024, f"peak RSS {peak_mb:.0f} MB"
    ws = load_workbook(tmp_path / "p.xlsx", read_only=True).active
    assert max(len(str(v or "")) for r in ws.iter_rows(values_only=True) for v in r) < 32767


# ---------------------------------------------------------------- 2. zip bomb, size limits
def zip_bomb(tmp_path: Path, sheet_mb: int = 300) -> Path:
    """The sample workbook whose first sheet's XML expands to ``sheet_mb`` MB."""
    out = tmp_path / "6007_bomb.xlsx"
    with zipfile.ZipFile(TAKHLI) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, src.read(info))
                continue
            row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
            block = row * 1024
            with z.open(info.filename, "w", force_zip64=True) as w:
                w.write(b"<worksheet><sheetData>")
                for _ in range(sheet_mb * MB // len(block)):
                    w.write(block)
                w.write(b"</sheetData></worksheet>")
    return out


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_reading(tmp_path):
    bomb = zip_bomb(tmp_path)
    assert bomb.stat().st_size < 5 * MB
    code, err, wall, peak_mb = run_child(
        ["validate", "--params", "params/2561.yaml", str(bomb), "--no-cache"], timeout=60
    )
    assert code == 2 and "Traceback" not in err
    assert "over the 200 MB limit" in err and "เกินที่รับได้" in err
    assert peak_mb <= 500, f"peak RSS {peak_mb:.0f} MB"
    t0 = time.process_time()
    ds = load(bomb)
    assert time.process_time() - t0 <= 2
    p = validate.unreadable(ds.problems)
    assert list(p["rule"]) == ["over_limit_member"] and p["district_code"].iloc[0] == 6007
    assert p["file"].iloc[0].endswith("6007_bomb.xlsx") and p["row"].isna().all()


def test_file_and_row_limits_come_from_params(tmp_path):
    ds = load(TAKHLI, limits=ReadLimits(max_rows=20))
    assert list(validate.unreadable(ds.problems)["rule"]) == ["over_limit_rows"]
    assert 'แผ่นงาน "แผนพัฒนาตนเอง" มี 37 แถว' in ds.problems["message_th"].iloc[0]
    ds = load(TAKHLI, limits=ReadLimits(max_file_mb=0.001))
    assert list(ds.problems["rule"]) == ["over_limit_file"]
    assert len(ds.applicants) == 0


# ---------------------------------------------------------------- 7. unreadable files
def encrypted_copy(tmp_path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp_path / "6003_locked.xlsx"
    with TAKHLI.open("rb") as plain, out.open("wb") as locked:
        OOXMLFile(plain).encrypt("1234", locked)
    return out


@pytest.mark.parametrize(
    "name, make, rule, advice",
    [
        ("6001_empty.xlsx", lambda p: b"", "unreadable_empty", "บันทึกไฟล์จาก Excel ใหม่"),
        ("6002_text.xlsx", lambda p: "อำเภอ,ชื่อ\n".encode(), "unreadable_not_workbook", "Save As"),
        ("6004_cut.xlsx", lambda p: TAKHLI.read_bytes()[:3000], "unreadable_truncated", "copy"),
        ("6003_locked.xlsx", None, "unreadable_encrypted", "remove the password"),
    ],
)
def test_an_unreadable_file_is_named_with_advice_and_the_rest_is_read(
    tmp_path, name, make, rule, advice
):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(TAKHLI, d)
    if make is None:
        encrypted_copy(d)
    else:
        (d / name).write_bytes(make(None))
    ds = load(d)
    bad = validate.unreadable(ds.problems)
    assert list(bad["rule"]) == [rule]
    assert bad["file"].iloc[0].endswith(name) and bad["district_code"].iloc[0] == int(name[:4])
    assert advice in bad["message_th"].iloc[0] + bad["message_en"].iloc[0]
    assert len(ds.applicants) == 7  # Takhli was read
    err = io.StringIO()
    sys_err, sys.stderr = sys.stderr, err
    try:
        assert cli_main(["validate", "--params", "params/2561.yaml", str(d), "--no-cache"]) == 2
    finally:
        sys.stderr = sys_err
    assert name in err.getvalue() and "Traceback" not in err.getvalue()


# ---------------------------------------------------------------- 3. ID numbers in free text
IDS = {  # where a clerk typed a national ID -> a valid 13-digit ID
    "name": "1100700234516",
    "tambon": "3-6007-01234-56-2",
    "applied_on": "1 6007 99887 76 3",
    "score": 3600712345678,
    "applicant_id": "1600700011117",
}


def hidden_part(cid: object) -> str:
    """The digits a mask hides (6th to 12th): they must appear in no output."""
    digits = "".join(ch for ch in str(cid) if ch.isdigit())
    return digits[5:12]


def plant_ids(path: Path) -> None:
    """Type the IDs into Takhli's workbook where a clerk might."""
    wb = load_workbook(path)
    a, s, p = wb["ผู้สมัคร"], wb["คะแนน"], wb["แผนพัฒนาตนเอง"]
    a.cell(5, 4, f"นายสมชาย ใจดี {IDS['name']}")
    a.cell(6, 6, f"ตาคลี เลขบัตร {IDS['tambon']}")
    a.cell(7, 9, IDS["applied_on"])
    s.cell(6, 5, IDS["score"])
    old = a.cell(8, 2).value
    for ws in (a, s, p):
        for row in ws.iter_rows(min_row=4):
            if row[1].value == old:
                row[1].value = IDS["applicant_id"]
    wb.save(path)


def test_ids_in_free_text_are_warned_at_their_cell_and_masked_in_the_data(tmp_path):
    f = tmp_path / "6007_takhli.xlsx"
    shutil.copy(TAKHLI, f)
    plant_ids(f)
    ds = load(f)
    found = ds.problems[ds.problems["rule"] == "id_in_text"]
    assert {(r.sheet, int(r.row), r.column) for r in found.itertuples()} >= {
        ("ผู้สมัคร", 5, "ชื่อ"),
        ("ผู้สมัคร", 6, "ตำบล"),
        ("ผู้สมัคร", 7, "วันที่สมัคร"),
        ("คะแนน", 6, "L1"),
        ("ผู้สมัคร", 8, "รหัสผู้สมัคร"),
    }
    text = " ".join(
        str(v) for name in ("applicants", "scores", "plans", "problems") for v in
        ds.table(name).astype(str).to_numpy().ravel()
    )  # fmt: skip
    for cid in IDS.values():
        assert hidden_part(cid) not in text.replace("-", "").replace(" ", "")
    a = ds.applicants.set_index("source_row")
    assert a.loc[5, "name"] == "นายสมชาย ใจดี 1-1007-xxxxx-xx-6"
    masked_code = safety.mask_ids(IDS["applicant_id"])
    assert masked_code in set(ds.scores["applicant_id"])  # links still hold, masked


@pytest.mark.parametrize(
    "text, found",
    [
        ("เลข 1100700234516 ครับ", ["1100700234516"]),
        ("๑๑๐๐๗๐๐๒๓๔๕๑๖", ["๑๑๐๐๗๐๐๒๓๔๕๑๖"]),
        ("1 1007 00234 51 6", ["1 1007 00234 51 6"]),
        ("2561-6007-001", []),
        ("โทร 0812345678", []),
        ("11007002345161", []),  # 14 digits: not an ID
    ],
)
def test_find_ids(text, found):
    assert safety.find_ids(text) == found


# ---------------------------------------------------------------- 4. formula injection
HOSTILE = ['=HYPERLINK("http://x.example","ok")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3+cmd"]


def test_scores_csv_and_problem_workbook_neutralize_formulas(tmp_path):
    f = tmp_path / "6007_takhli.xlsx"
    shutil.copy(TAKHLI, f)
    wb = load_workbook(f)
    ws = wb["ผู้สมัคร"]
    for i, text in enumerate(HOSTILE):
        ws.cell(4 + i, 4, text).data_type = "s"  # typed as text, as a CSV or a ' prefix makes
    ws.cell(9, 3, "=1+1").data_type = "s"  # an unknown standard: shown in the problem list
    wb.save(f)
    out = tmp_path / "s.csv"
    assert cli_main(["scores", "--params", "params/2561.yaml", str(f), "--csv", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    names = {r["name"] for r in rows}
    for text in HOSTILE:
        assert "'" + text in names
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    xl = tmp_path / "p.xlsx"
    cli_main(
        ["validate", "--params", "params/2561.yaml", str(f), "--report", str(xl), "--no-cache"]
    )
    values = [c.value for r in load_workbook(xl).active.iter_rows() for c in r]
    assert "'=1+1" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.mark.parametrize(
    "value, out",
    [("=1+1", "'=1+1"), ("\t=x", "'\t=x"), ("-5", "-5"), ("+66 81", "'+66 81"), (3, 3)],
)
def test_neutralize(value, out):
    assert safety.neutralize(value) == out


# ---------------------------------------------------------------- 6. bad params, clean failures
def params_file(tmp_path: Path, change=None, text: str | None = None) -> Path:
    d = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    shutil.copy(TAKHLI, data)
    d["inputs"] = [str(data)]
    d["catalog"] = str(config.catalog_path(2561))
    d["output"] = {"dir": str(tmp_path / "out"), "forms": False, "deck": False, "bundle": False}
    if change:
        change(d, tmp_path)
    p = tmp_path / "p.yaml"
    p.write_text(text if text is not None else yaml.safe_dump(d, allow_unicode=True), "utf-8")
    return p


def _empty_inputs(d, tmp):
    (tmp / "empty").mkdir()
    d["inputs"] = [str(tmp / "empty")]


def _unwritable_output(d, tmp):
    (tmp / "a_file").write_text("x")
    d["output"]["dir"] = str(tmp / "a_file" / "reports")


def _catalog_of_2562(d, tmp):
    c = yaml.safe_load(config.catalog_path(2561).read_text(encoding="utf-8"))
    c["year"] = 2562
    (tmp / "2562.yaml").write_text(yaml.safe_dump(c, allow_unicode=True), "utf-8")
    d["year"], d["catalog"] = 2562, str(tmp / "2562.yaml")


@pytest.mark.parametrize(
    "change, text, said",
    [
        (None, "- year: 2561\n- province_code: 60\n", "must be a mapping"),
        (None, "year: [2561\n", "not valid YAML"),
        (_empty_inputs, None, "no workbook or CSV sheet"),
        (_unwritable_output, None, "cannot write to the output folder"),
        (lambda d, t: d.update(year=2562), None, "differs from the catalog's year 2561"),
        (_catalog_of_2562, None, "disagrees with the application dates"),
    ],
)
def test_bad_params_stop_before_work_with_a_message(tmp_path, capsys, change, text, said):
    p = params_file(tmp_path, change, text)
    assert cli_main(["run", str(p), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert not (tmp_path / "out" / "districts").exists()


def test_year_mismatch_can_be_allowed(tmp_path):
    p = params_file(tmp_path, _catalog_of_2562)
    from mchch_lib.batch import preflight
    from mchch_lib.data.params import load_params

    params = load_params(p)
    preflight.check_catalog_year(params)  # the catalog is 2562 too
    ds = dataset.load_for_params(params)
    with pytest.raises(Exception, match="disagrees"):
        preflight.check_data_year(params, ds.applicants["applied_on"])


def test_empty_folder_is_an_error_for_validate(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert cli_main(["validate", "--params", "params/2561.yaml", str(tmp_path / "empty")]) == 2
    assert "no workbook or CSV sheet found" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_and_a_log(tmp_path, capsys, monkeypatch):
    from mchch_lib.batch import run as runner

    def boom(*a, **k):
        raise ValueError("something nobody expected 1100700234516")

    monkeypatch.setattr(runner, "run", boom)
    assert cli_main(["run", str(params_file(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "unexpected error: ValueError: something nobody expected" in err
    assert "Traceback" not in err
    log = Path(err.strip().rsplit(": ", 1)[-1])
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom" in text
    assert "1100700234516" not in text + err  # IDs masked even there


def test_a_csv_in_no_known_encoding_is_named(tmp_path):
    d = tmp_path / "csv"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "csv_utf8_bom", d)
    (d / "พัฒนากร.csv").write_bytes(b"\xef\xbb" + b"\xfc\xfd\xfe,\xff\n")
    ds = load(d)
    assert list(validate.unreadable(ds.problems)["rule"]) == ["unreadable_not_text"]
