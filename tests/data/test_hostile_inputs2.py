"""Issue 21, items 2-5: inputs a clerk or a careless server could produce. Each test makes its
own hostile input (a real workbook through openpyxl, a real FIFO through ``os.mkfifo``, a real
YAML bomb) and checks the exit code of ``mchch``, the located Thai and English message, that
every row read is clean or rejected (nothing lost or doubled), and that no traceback shows."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mchch_lib import config
from mchch_lib.cli import main as cli_main
from mchch_lib.data import dataset, validate

from .test_hostile import params_file

SAMPLE = config.sample_dir(2561)
TAKHLI = SAMPLE / "6007_takhli.xlsx"
DEADLINE = dt.date(2018, 5, 18)
CSV_FOLDER = Path(__file__).parents[1] / "fixtures" / "csv_utf8_bom"


def load(*paths, **kw):
    return dataset.load(
        list(paths), config.catalog_path(2561), 60, deadline_41=DEADLINE, use_cache=False, **kw
    )


def reconciles(ds) -> None:
    rc = ds.reconciliation
    assert (rc["rows_read"] == rc["clean"] + rc["rejected"]).all(), rc


def validate_cli(capsys, *args: str) -> tuple[int, str]:
    code = cli_main(["validate", "--params", "params/2561.yaml", *map(str, args), "--no-cache"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


def only(ds, rule: str):
    p = ds.problems[ds.problems["rule"] == rule]
    assert len(p) >= 1, ds.problems[["rule", "message_en"]]
    return p


# ---------------------------------------------------------------- 3. sheets
def two_applicant_sheets(tmp_path: Path, hidden: bool) -> Path:
    """Takhli with an old copy of ผู้สมัคร (3 rows) first, the real one renamed "ผู้สมัคร "."""
    wb = load_workbook(TAKHLI)
    real = wb["ผู้สมัคร"]
    old = wb.copy_worksheet(real)
    real.title, old.title = "ผู้สมัคร ", "ผู้สมัคร"
    old.delete_rows(7, 20)
    if hidden:
        old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-(len(wb.sheetnames) - 1))
    out = tmp_path / "6007_takhli.xlsx"
    wb.save(out)
    return out


@pytest.mark.parametrize("hidden", [True, False])
def test_a_second_sheet_matching_a_contract_sheet_is_accounted_for(tmp_path, capsys, hidden):
    f = two_applicant_sheets(tmp_path, hidden)
    ds = load(f)
    p = only(ds, "sheet_ignored")
    assert len(p) == 1 and p["severity"].iloc[0] == "error"
    if hidden:  # the visible one is read, and the message says why
        assert p["sheet"].iloc[0] == "ผู้สมัคร"
        assert len(ds.applicants) == 7
        assert '"ผู้สมัคร" (ซ่อนอยู่)' in p["message_th"].iloc[0]
        assert 'as does "ผู้สมัคร ", which was read (the visible one)' in p["message_en"].iloc[0]
        assert "ข้อมูล 3 แถวของแผ่นงานนี้จึงไม่ได้อ่าน" in p["message_th"].iloc[0]
    else:  # two visible: the first is read, the other named
        assert p["sheet"].iloc[0] == "ผู้สมัคร "
        assert "(the first); the 7 data rows of this sheet were not read" in p["message_en"].iloc[0]
    reconciles(ds)
    rc = ds.reconciliation[ds.reconciliation["table"] == "applicants"]
    assert sorted(rc["rows_read"]) == [3, 7]  # both sheets counted, none dropped
    assert rc["clean"].sum() == len(ds.applicants)
    code, text = validate_cli(capsys, f)
    assert code == 1
    assert re.search(r"^  ผู้สมัคร +10 +", text, re.M)  # the applicants' row of the reconciliation


def test_a_formula_with_no_saved_value_is_a_problem_not_an_empty_cell(tmp_path, capsys):
    wb = load_workbook(TAKHLI)
    ws = wb["ผู้สมัคร"]
    ws["I5"] = "=DATE(2018,5,3)"  # วันที่สมัคร of 2561-6007-002; openpyxl saves no value
    ws.append([None] * 5 + ["=F4"])  # a row holding nothing but a formula is not blank
    f = tmp_path / "6007_takhli.xlsx"
    wb.save(f)
    ds = load(f)
    p = only(ds, "formula_no_value").sort_values("row")
    assert list(p["row"]) == [5, 11]
    assert list(p["column"]) == ["วันที่สมัคร", "ตำบล"]
    assert "เซลล์มีสูตร =DATE(2018,5,3) แต่ไม่มีค่าที่คำนวณไว้" in p["message_th"].iloc[0]
    assert "holds the formula =DATE(2018,5,3) but no saved value" in p["message_en"].iloc[0]
    assert "2561-6007-002" not in set(ds.applicants["applicant_id"])
    reconciles(ds)
    rc = ds.reconciliation.set_index("table").loc["applicants"]
    assert (rc["rows_read"], rc["rejected"]) == (8, 2)
    assert validate_cli(capsys, f)[0] == 1


def test_a_formula_whose_saved_value_is_empty_text_is_a_value(tmp_path):
    from mchch_lib.data.ingest import unsaved_formulas

    wb = load_workbook(TAKHLI)
    wb["ผู้สมัคร"]["L4"] = '=IF(1,"","")'
    f = tmp_path / "f.xlsx"
    wb.save(f)
    xml = "xl/worksheets/sheet1.xml"
    import zipfile

    with zipfile.ZipFile(f) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[xml] = re.sub(rb'<c r="L4"( s="\d+")?>', rb'<c r="L4"\1 t="str">', parts[xml])
    with zipfile.ZipFile(f, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert unsaved_formulas(f, ["ผู้สมัคร"]) == {}  # Excel's saved "" of a formula


# ---------------------------------------------------------------- 5. bounded work
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)  # 10**9 values once expanded; a few hundred bytes


def _bomb_catalog(d, tmp):
    text = config.catalog_path(2561).read_text(encoding="utf-8")
    (tmp / "bomb.yaml").write_text(BOMB + text, "utf-8")
    d["catalog"] = str(tmp / "bomb.yaml")


def _bomb_params(tmp):
    p = params_file(tmp)
    p.write_text(BOMB + p.read_text(encoding="utf-8"), "utf-8")
    return p


@pytest.mark.parametrize("where", ["params", "catalog"])
def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path, capsys, where):
    p = _bomb_params(tmp_path) if where == "params" else params_file(tmp_path, _bomb_catalog)
    assert len(p.read_text(encoding="utf-8")) < 100_000
    t0 = time.perf_counter()
    assert cli_main(["run", str(p), "--quiet"]) == 2
    assert time.perf_counter() - t0 < 1.0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "nested aliases" in err and "ใช้ alias ซ้อนกัน" in err
    assert ("bomb.yaml" in err) == (where == "catalog")
    assert not (tmp_path / "out" / "districts").exists()


def test_yaml_aliases_within_bounds_still_load(tmp_path):
    from mchch_lib.common import sanitize as safety

    f = tmp_path / "ok.yaml"
    f.write_text("a: &a {x: 1}\nb: *a\nc: [*a, *a]\n", "utf-8")
    assert safety.load_yaml(f) == {"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 1}]}


def test_a_csv_with_tens_of_thousands_of_columns_is_refused(tmp_path, capsys):
    d = tmp_path / "6007_csv"
    shutil.copytree(CSV_FOLDER, d)
    wide = ",".join(f"col{i}" for i in range(30_000))
    (d / "พัฒนากร.csv").write_text(f"อำเภอ,ชื่อ-สกุล,{wide}\nตาคลี,นาง ก,{wide}\n", "utf-8")
    t0 = time.process_time()
    ds = load(d)
    assert time.process_time() - t0 < 5
    p = only(ds, "over_limit_columns")
    assert len(ds.problems) < 20  # not one problem per column
    assert p["file"].iloc[0].endswith("พัฒนากร.csv")
    assert "มี 30002 คอลัมน์ เกินที่รับได้ (1000 คอลัมน์)" in p["message_th"].iloc[0]
    assert "30002 columns, over the 1000-column limit" in p["message_en"].iloc[0]
    code, text = validate_cli(capsys, d)
    assert code == 2 and "1000-column limit" in text


def test_a_csv_field_over_the_csv_module_limit_is_named(tmp_path):
    d = tmp_path / "csv"
    shutil.copytree(CSV_FOLDER, d)
    (d / "พัฒนากร.csv").write_text('อำเภอ,ชื่อ-สกุล\nตาคลี,"' + "ก" * 200_000 + '"\n', "utf-8")
    p = only(load(d), "unreadable_csv")
    assert "field larger than field limit" in p["message_en"].iloc[0]


def run_cli(args: list[str], tmp_path: Path, timeout: float = 60):
    """``mchch ARGS`` in a child: a FIFO opened by mistake would block it, not the tests."""
    proc = subprocess.run(
        [sys.executable, "-m", "mchch_lib.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, MCHCH_CACHE_DIR=str(tmp_path / ".cache")),
    )
    assert "Traceback" not in proc.stderr
    return proc.returncode, proc.stdout + proc.stderr


def test_a_fifo_given_as_input_is_named_and_never_opened(tmp_path):
    fifo = tmp_path / "6007_takhli.xlsx"
    os.mkfifo(fifo)
    code, text = run_cli(
        ["validate", "--params", "params/2561.yaml", str(fifo), "--no-cache"], tmp_path
    )
    assert code == 2
    assert "เป็นท่อข้อมูล (FIFO) ไม่ใช่ไฟล์ปกติ" in text
    assert "is a named pipe (FIFO), not a regular file" in text


def test_a_fifo_inside_an_input_folder_is_a_problem_and_the_rest_is_read(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(TAKHLI, d)
    os.mkfifo(d / "6003_chum-saeng.xlsx")
    ds = load(d)
    p = validate.unreadable(ds.problems)
    assert list(p["rule"]) == ["unreadable_special"] and p["district_code"].iloc[0] == 6003
    assert "is a named pipe (FIFO), not a regular file" in p["message_en"].iloc[0]
    assert "ไม่ใช่ไฟล์ปกติ จึงไม่เปิดอ่าน" in p["message_th"].iloc[0]
    assert len(ds.applicants) == 7
    reconciles(ds)
    code, text = run_cli(
        ["validate", "--params", "params/2561.yaml", str(d), "--no-cache"], tmp_path
    )
    assert code == 2 and "6003_chum-saeng.xlsx" in text


@pytest.mark.parametrize("what", ["params", "catalog", "device"])
def test_a_fifo_or_device_as_params_or_catalog_is_named(tmp_path, what):
    if what == "params":
        p = tmp_path / "p.yaml"
        os.mkfifo(p)
    elif what == "catalog":
        os.mkfifo(tmp_path / "cat.yaml")
        p = params_file(tmp_path, lambda d, t: d.update(catalog=str(t / "cat.yaml")))
    else:
        p = params_file(tmp_path, lambda d, t: d.update(inputs=["/dev/zero"]))
    code, text = run_cli(["run", str(p), "--quiet"], tmp_path)
    assert code == 2
    kind = "a character device" if what == "device" else "a named pipe (FIFO)"
    assert f"is {kind}, not a regular file" in text and "ไม่ใช่ไฟล์ปกติ" in text


# ---------------------------------------------------------------- 4. values
def test_a_date_outside_the_programme_year_is_flagged_with_its_likely_reading(tmp_path, capsys):
    wb = load_workbook(TAKHLI)
    ws = wb["ผู้สมัคร"]
    ws["I5"] = dt.datetime(1961, 5, 3)  # "3/5/61" typed in a Gregorian-locale Excel
    ws["I6"] = "30/04/18"  # a CE year in two digits
    ws["I7"] = "30/04/2561"  # a BE date as the contract asks: kept
    f = tmp_path / "6007_takhli.xlsx"
    wb.save(f)
    ds = load(f)
    p = only(ds, "implausible_year").sort_values("row")
    assert list(p["row"]) == [5, 6] and set(p["column"]) == {"วันที่สมัคร"}
    assert list(p["value"]) == ["1961-05-03", "30/04/18"]
    th, en = p["message_th"].tolist(), p["message_en"].tolist()
    assert th[0] == (
        'วันที่ "1961-05-03" อ่านได้เป็น 3 พฤษภาคม 2504 ซึ่งไม่ใช่ปีของโครงการ (พ.ศ. 2561) '
        "น่าจะหมายถึง 3 พฤษภาคม 2561 ให้แก้เป็นวันที่ พ.ศ. ให้ชัดเจน เช่น 03/05/2561"
    )
    assert "reads as 1975-04-30 (BE 2518)" in en[1]
    assert "it likely means 2018-04-30 (BE 2561)" in en[1] and "30/04/2561" in en[1]
    kept = ds.applicants.set_index("source_row")
    assert 7 in kept.index and 5 not in kept.index and 6 not in kept.index
    assert kept.loc[7, "applied_on"] == dt.datetime(2018, 4, 30)
    reconciles(ds)
    code, _text = validate_cli(capsys, f)
    assert code == 1


@pytest.mark.parametrize(
    "written, year, likely",
    [
        (dt.date(1961, 5, 3), 2561, dt.date(2018, 5, 3)),
        (dt.date(1975, 4, 30), 2561, dt.date(2018, 4, 30)),  # "30/04/18" as BE 2518
        (dt.date(1962, 1, 9), 2562, dt.date(2019, 1, 9)),
        (dt.date(2017, 10, 2), 2561, None),  # fiscal 2561 began in October 2017: plausible
        (dt.date(1900, 1, 1), 2561, None),
    ],
)
def test_plausible_reading(written, year, likely):
    from mchch_lib.common import thai

    ok, got = thai.plausible_reading(written, year)
    assert got == likely
    assert ok == (likely is None and abs(written.year + 543 - year) <= 1)


# ---------------------------------------------------------------- 2. where a workbook is from
def relocated(tmp_path: Path, name: str, district: str, id_code: str, tambon_of: int | None):
    """Takhli's workbook as another district's: every district cell ``district``, every id
    2561-<id_code>-..., the applicants' tambons those of district ``tambon_of`` (None: a
    tambon of no district)."""
    from mchch_lib.data.reference import tambons

    wb = load_workbook(TAKHLI)
    for ws in wb:
        for row in ws.iter_rows(min_row=4):
            if row[0].value is None:
                continue
            row[0].value = district
            if isinstance(row[1].value, str):
                row[1].value = row[1].value.replace("-6007-", f"-{id_code}-")
    names = tambons(tambon_of) if tambon_of is not None else ["ไม่มีในทะเบียน"]
    if names:
        for i, row in enumerate(wb["ผู้สมัคร"].iter_rows(min_row=4)):
            row[5].value = names[i % len(names)]
    out = tmp_path / name
    wb.save(out)
    return out


def test_a_workbook_of_another_province_saying_only_mueang_is_not_the_capital(tmp_path, capsys):
    f = relocated(tmp_path, "3001_mueang.xlsx", "อ.เมือง", "3001", 3001)
    ds = load(f)
    p = only(ds, "district_clues_disagree")
    assert len(ds.applicants) == 0 and len(ds.officers) == 0 and len(ds.committee) == 0
    assert set(ds.problems["rule"]) <= {"district_clues_disagree", "applicant_rejected"}
    rows_with_district = ds.reconciliation["rows_read"].sum()
    assert len(p) == rows_with_district  # one at each district cell, none left counted
    assert set(p["column"]) == {"อำเภอ"} and p["district_code"].isna().all()
    first = p.iloc[0]
    assert first["message_th"].startswith(
        'อำเภอ "อ.เมือง" (อ่านได้เป็น 6001 เมืองนครสวรรค์) ไม่ตรงกับข้อมูลอื่นของไฟล์: '
        "ชื่อไฟล์ระบุรหัสอำเภอ 3001 อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา; "
        "รหัสผู้สมัครขึ้นต้นด้วย 2561-3001"
    )
    assert "the file name says district 3001 Mueang Nakhon Ratchasima" in first["message_en"]
    app = p[p["sheet"] == "ผู้สมัคร"].iloc[0]
    assert "are not in Mueang Nakhon Sawan" in app["message_en"]
    assert "are in 3001 Mueang Nakhon Ratchasima" in app["message_en"]
    reconciles(ds)
    code, text = validate_cli(capsys, f)
    assert code == 1
    assert re.search(r"6001\s+เมืองนครสวรรค์\s+0\s+0\s+0", text)  # nothing counted there


def test_a_shared_district_name_with_no_confirming_clue_is_not_guessed(tmp_path):
    f = relocated(tmp_path, "mueang.xlsx", "อ.เมือง", "A", None)  # ids "2561-A-001"
    ds = load(f)
    p = only(ds, "district_ambiguous")
    assert len(ds.applicants) == 0
    assert p["message_th"].iloc[0].startswith('อำเภอ "อ.เมือง" อาจหมายถึงอำเภอใดก็ได้ใน ')
    assert (
        'write the district in full (e.g. "เมืองนครสวรรค์") or its code 6001'
        in (p["message_en"].iloc[0])
    )
    reconciles(ds)


@pytest.mark.parametrize(
    "name, id_code, tambon_of",
    [
        ("6001_mueang.xlsx", "A", None),  # the file name confirms
        ("mueang.xlsx", "6001", None),  # the ids confirm
        ("mueang.xlsx", "A", 6001),  # the tambons confirm
    ],
)
def test_a_shared_district_name_stands_with_a_confirming_clue(tmp_path, name, id_code, tambon_of):
    ds = load(relocated(tmp_path, name, "อ.เมือง", id_code, tambon_of))
    assert not ds.problems["rule"].isin(["district_ambiguous", "district_clues_disagree"]).any()
    assert set(ds.applicants["district_code"]) == {6001} and len(ds.applicants) == 7


def test_a_file_named_for_one_district_holding_another_is_a_problem(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(TAKHLI, d / "6003_chum-saeng.xlsx")  # Takhli's data under Chum Saeng's code
    ds = load(d)
    p = only(ds, "district_clues_disagree")
    assert "the file name says district 6003 Chum Saeng" in p["message_en"].iloc[0]
    assert len(ds.applicants) == 0
    reconciles(ds)
