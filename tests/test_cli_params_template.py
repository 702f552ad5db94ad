"""Params schema, the template workbook round trip, the scores CSV."""

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from mchch_lib import config
from mchch_lib.cli import main as cli_main
from mchch_lib.data import dataset
from mchch_lib.data.blank_workbook import write_template
from mchch_lib.data.params import load_params
from mchch_lib.errors import ParamsError


def test_params_2561_is_valid():
    p = load_params(config.PARAMS_DIR / "2561.yaml")
    assert p.year == 2561 and p.province_code == 60
    assert p.deadline_41 == dt.date(2018, 5, 18) and p.deadline_42 == dt.date(2018, 8, 10)
    assert p.inputs[0] == config.sample_dir(2561)


@pytest.mark.parametrize(
    "change,match",
    [
        (
            lambda d: d.update(yaer=2561),
            r"\(top level\): Additional properties are not allowed "
            r"\('yaer' was unexpected\)",
        ),
        (lambda d: d["output"].update(thai_digit=True), r"output: .*'thai_digit' was unexpected"),
        (lambda d: d["deadlines"].pop("report_42"), r"deadlines: 'report_42' is a required"),
        (lambda d: d.update(year="2561"), r"year: '2561' is not of type 'integer'"),
        (lambda d: d["deadlines"].update(report_41="สิบแปด พ.ค."), r"cannot read the date"),
    ],
)
def test_bad_params_are_errors(tmp_path, change, match):
    d = yaml.safe_load((config.PARAMS_DIR / "2561.yaml").read_text(encoding="utf-8"))
    change(d)
    p = tmp_path / "p.yaml"
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError, match=match):
        load_params(p)
    assert cli_main(["run", str(p)]) == 2


def test_template_has_validation_and_a_filled_copy_reads_back_clean(tmp_path, catalog):
    path = write_template(tmp_path / "t.xlsx", 2561, 60, district_code=6007)
    wb = load_workbook(path)
    assert wb["รายการ"].sheet_state == "hidden"
    ws = wb["คะแนน"]
    dvs = ws.data_validations.dataValidation
    l1 = [d for d in dvs if d.type == "decimal" and "E4" in str(d.sqref)]
    assert l1 and l1[0].formula1 == "0" and float(l1[0].formula2) == 10.0  # L1 full marks
    lists = {str(d.sqref).split(":")[0]: d.formula1 for d in dvs if d.type == "list"}
    assert lists["A4"].startswith("=รายการ!$A$2") and lists["C4"].startswith("=รายการ!$C$2")
    app = wb["ผู้สมัคร"]
    assert any(d.type == "date" for d in app.data_validations.dataValidation)
    assert app.cell(4, 9).number_format == "[$-107041E]d/mm/yyyy"
    # fill it as district staff would
    app.append([])
    for r, row in enumerate(
        [
            [
                "ตาคลี",
                "T-1",
                "มาตรฐานผู้นำชุมชน",
                "นายหนึ่ง ใจดี",
                None,
                "ตาคลี",
                3,
                "นางสอง ศรีสุข",
                dt.datetime(2018, 5, 10),
                "ใช่",
            ]
        ],
        start=4,
    ):
        for j, v in enumerate(row, start=1):
            app.cell(r, j, v)
    sc = wb["คะแนน"]
    ids = [c.value for c in sc[3]]
    for r, (rnd, day) in enumerate([("ก่อนพัฒนา", 5), ("หลังพัฒนา", 20)], start=4):
        sc.cell(r, 1, "ตาคลี")
        sc.cell(r, 2, "T-1")
        sc.cell(r, 3, rnd)
        sc.cell(r, 4, dt.datetime(2018, 6 if rnd == "ก่อนพัฒนา" else 7, day))
        for ind in catalog.standards["leader"].indicators:
            sc.cell(r, ids.index(ind.id) + 1, ind.full_marks * (0.5 if r == 4 else 0.8))
    wb["พัฒนากร"].append(["ตาคลี", "นางสอง ศรีสุข", "นักวิชาการพัฒนาชุมชน"])
    for i, role in enumerate(["ประธาน", "กรรมการ", "กรรมการ", "เลขานุการ", "ผู้ช่วยเลขานุการ"]):
        wb["คณะอนุกรรมการ"].append(["ตาคลี", f"กรรมการ {i}", role, "หน่วยงาน"])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    ds = dataset.load([filled], catalog, 60, dt.date(2018, 5, 18), use_cache=False)
    assert list(ds.problems["rule"]) == []
    assert len(ds.applicants) == 1 and len(ds.scores) == 16 and len(ds.committee) == 5


def test_scores_csv_for_analysts(tmp_path):
    out = tmp_path / "s.csv"
    data = tmp_path / "in"
    shutil.copytree(config.sample_dir(2561), data)
    assert cli_main(["scores", "--params", "params/2561.yaml", str(data), "--csv", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Thai right
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 112
    from mchch_lib.analysis.scoring import EXPORT_COLUMNS

    assert list(rows[0]) == EXPORT_COLUMNS  # the CSV's columns, exactly
    no_post = [r for r in rows if r["post_total"] == ""]
    assert no_post and all(r["ready"] == "" and r["gain"] == "" for r in no_post)
    assert "citizen_id" not in rows[0]


def test_district_template_has_the_sub_criteria_and_timeframe_not_the_final_round(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx", 2561, 60, district_code=6007))
    assert "เกณฑ์ย่อย" in wb.sheetnames and "ผลการรับรองระดับจังหวัด" not in wb.sheetnames
    assert [c.value for c in wb["ผู้สมัคร"][3]][-2:] == ["วันเริ่มพัฒนา", "วันสิ้นสุดการพัฒนา"]
    sub = wb["เกณฑ์ย่อย"]
    lists = {str(d.sqref).split(":")[0]: d.formula1 for d in sub.data_validations.dataValidation}
    kind_col = [c.value for c in sub[3]].index("ประเภท") + 1
    assert lists[f"{chr(64 + kind_col)}4"].startswith("=รายการ!")


def test_final_round_template_reads_back_clean_beside_a_district_workbook(tmp_path, catalog):
    src = Path(__file__).parent / "fixtures" / "xlsx" / "mess_clean.xlsx"
    shutil.copy(src, tmp_path / "6007.xlsx")
    assert (
        cli_main(
            [
                "template",
                str(tmp_path / "final.xlsx"),
                "--year",
                "2561",
                "--province",
                "60",
                "--final-round",
            ]
        )
        == 0
    )
    wb = load_workbook(tmp_path / "final.xlsx")
    assert [n for n in wb.sheetnames if n != "รายการ"] == ["ผลการรับรองระดับจังหวัด", "คณะกรรมการจังหวัด"]
    ws = wb["ผลการรับรองระดับจังหวัด"]
    head = [c.value for c in ws[3]]
    assert head[:3] == ["อำเภอ", "รหัสผู้สมัคร", "วันที่ประเมิน"] and "L1" in head
    row = {h: None for h in head} | {
        "รหัสผู้สมัคร": "T-001",
        "วันที่ประเมิน": dt.datetime(2018, 8, 28),
        "ผลการประเมิน": "ผ่าน",
        "รับรอง": "ใช่",
        "เลขที่ใบรับรอง": "มชช.นว 001/2561",
        "L1": 9,
    }
    for j, h in enumerate(head, start=1):
        ws.cell(4, j, row[h])
    for r, (name, role) in enumerate([("นายหนึ่ง", "ประธาน"), ("นางสอง", "เลขานุการ")], start=4):
        wb["คณะกรรมการจังหวัด"].cell(r, 1, name)
        wb["คณะกรรมการจังหวัด"].cell(r, 2, role)
    wb.save(tmp_path / "final.xlsx")
    ds = dataset.load([tmp_path], catalog, 60, dt.date(2018, 5, 18), use_cache=False)
    assert list(ds.problems["rule"]) == []
    assert list(ds.final_round["certificate_no"]) == ["มชช.นว 001/2561"]
    assert list(ds.final_scores["score"]) == [9.0]
    assert list(ds.province_committee["role"]) == ["chair", "secretary"]


def test_the_mchch_command_keeps_exit_codes_and_every_line_it_prints(tmp_path):
    """``mchch`` leaves without the interpreter's teardown (cli.entry): what it printed to a
    pipe arrives whole and its exit code is main's."""
    import os
    import subprocess
    import sys

    mchch = Path(sys.executable).parent / "mchch"
    env = {**os.environ, "MCHCH_CACHE_DIR": str(tmp_path / "cache")}
    ok = subprocess.run([str(mchch), "validate", str(config.sample_dir(2561))],
                        capture_output=True, text=True, env=env)  # fmt: skip
    assert ok.returncode == 0, ok.stderr  # warnings only
    assert ok.stdout.startswith("mchch validate: ตรวจ 16 ไฟล์")  # 15 districts, final round
    # the sample's own params are found from its folder: the count the report gives, last, flushed
    assert ok.stdout.rstrip().endswith("คำเตือน 64 รายการ (warning)")
    bad = tmp_path / "6007_bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    r = subprocess.run([str(mchch), "validate", str(bad)], capture_output=True, text=True,
                       env=env)  # fmt: skip
    assert r.returncode == 2 and r.stderr.strip(), r


def test_no_province_or_year_is_assumed(tmp_path, capsys):
    """The library names no province and no year of its own: a sample's folder is validated
    with the sample's params, any other folder needs --params (or --province and --catalog)."""
    from mchch_lib.data.catalog import load_catalog
    from mchch_lib.data.params import params_for_inputs
    from mchch_lib.errors import CatalogError

    assert params_for_inputs([config.sample_dir(2562)]).path.name == "2562.yaml"
    one = sorted(config.sample_dir(2561).glob("*.xlsx"))[0]
    assert params_for_inputs([one]).year == 2561
    assert params_for_inputs([tmp_path]) is None
    with pytest.raises(CatalogError, match="no catalog named"):
        load_catalog()
    with pytest.raises(TypeError):
        dataset.load([tmp_path])
    shutil.copy(
        Path(__file__).parent / "fixtures" / "xlsx" / "mess_clean.xlsx", tmp_path / "6007.xlsx"
    )
    assert cli_main(["validate", str(tmp_path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "give --params (or --province and --catalog)" in err and "ระบุ --params" in err
    assert cli_main(["validate", str(tmp_path), "--province", "60", "--no-cache"]) == 2
    assert "no catalog named" in capsys.readouterr().err
    catalog = str(config.catalog_path(2561))
    assert cli_main(["validate", str(tmp_path), "--province", "60", "--catalog", catalog]) == 0
    assert re.search(r"^6007 +ตาคลี ", capsys.readouterr().out, re.M)
    bare = cli_main(["validate", str(config.sample_dir(2561)), "--no-cache"]), capsys.readouterr()
    given = cli_main(["validate", "--params", "params/2561.yaml", str(config.sample_dir(2561)),
                      "--no-cache"]), capsys.readouterr()  # fmt: skip
    assert bare == given and bare[0] == 0
    with pytest.raises(SystemExit):
        cli_main(["template", str(tmp_path / "t.xlsx")])
