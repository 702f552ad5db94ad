"""The front door for a province (issue 27): ``mchch init``, the Thai console, the Thai help."""

import re

import pytest
from openpyxl import load_workbook

from mchch_lib import config
from mchch_lib.batch.console import display_width, format_table, pad
from mchch_lib.cli import main as cli_main
from mchch_lib.data import dataset
from mchch_lib.data.catalog import load_catalog
from mchch_lib.data.params import load_params
from mchch_lib.data.reference import load_province
from mchch_lib.data.setup_year import SetupError, prepare_year, resolve_province


@pytest.fixture(scope="module")
def korat(tmp_path_factory):
    """Nakhon Ratchasima (30), 2562, prepared once by the command."""
    d = tmp_path_factory.mktemp("korat")
    assert cli_main(["init", "30", "--year", "2562", "--dir", str(d)]) == 0
    return d


def test_init_makes_a_params_file_and_one_workbook_per_district(korat):
    books = sorted((korat / "data" / "2562").glob("*.xlsx"))
    districts = load_province(30).districts
    assert len(districts) == 32 and len(books) == 32
    assert books[0].name == "3001_เมืองนครราชสีมา.xlsx" and books[-1].name.startswith("3032_")
    p = load_params(korat / "params" / "2562.yaml")  # the params loader accepts it
    assert (p.year, p.province_code) == (2562, 30)
    assert p.office_th == "สำนักงานพัฒนาชุมชนจังหวัดนครราชสีมา"
    assert p.inputs == (korat / "data" / "2562",) and p.output_dir == korat / "reports" / "2562"
    assert p.catalog == korat / "data" / "catalog" / "2562.yaml"
    assert load_catalog(p.catalog).year == 2562
    assert (p.deadline_41.isoformat(), p.deadline_42.isoformat()) == ("2019-05-18", "2019-08-10")
    text = (korat / "params" / "2562.yaml").read_text(encoding="utf-8")
    assert "กำหนดส่งตามหนังสือสั่งการ" in text and "# 4.1 ส่งรายชื่อผู้สมัคร" in text


def test_each_workbook_names_its_district_with_the_template_s_drop_downs(korat):
    wb = load_workbook(korat / "data" / "2562" / "3007_โชคชัย.xlsx")
    ws = wb["ผู้สมัคร"]
    assert ws.cell(1, 1).value == "ผู้สมัคร มชช. ปี 2562 อำเภอโชคชัย จังหวัดนครราชสีมา"
    assert "อำเภอโชคชัย (รหัส 3007)" in ws.cell(2, 1).value
    assert ws.cell(3, 1).value == "อำเภอ" and ws.max_row == 1000  # dates formatted, no rows
    lists = wb["รายการ"]
    assert lists.sheet_state == "hidden" and lists.cell(2, 1).value == "เมืองนครราชสีมา"
    assert lists.cell(33, 1).value == "เฉลิมพระเกียรติ" and lists.cell(34, 1).value is None
    dv = [d for d in wb["คะแนน"].data_validations.dataValidation if d.type == "decimal"]
    assert len(dv) == len(load_catalog(korat / "data" / "catalog" / "2562.yaml").indicators)


def test_init_refuses_a_folder_with_files_unless_forced(korat, tmp_path, capsys):
    assert cli_main(["init", "30", "--year", "2562", "--dir", str(korat)]) == 2
    assert "มีไฟล์อยู่แล้ว" in capsys.readouterr().err
    (tmp_path / "note.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SetupError, match="--force"):
        prepare_year(60, 2562, tmp_path)
    made = prepare_year("จังหวัดนครสวรรค์", 2562, tmp_path, force=True)
    assert made.province_code == 60 and len(made.workbooks) == 15
    assert (tmp_path / "note.txt").exists()


@pytest.mark.parametrize(
    "text, code",
    [("30", 30), ("นครราชสีมา", 30), ("จังหวัด นครราชสีมา", 30), ("nakhon ratchasima", 30),
     ("กรุงเทพมหานคร", 10), (38, 38)],
)  # fmt: skip
def test_a_province_by_code_or_name(text, code):
    assert resolve_province(text) == code


def test_an_unknown_province_or_year_is_a_thai_message(tmp_path, capsys):
    assert cli_main(["init", "99", "--year", "2562", "--dir", str(tmp_path / "a")]) == 2
    assert cli_main(["init", "30", "--year", "2019", "--dir", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "ไม่รู้จักจังหวัด '99'" in err and "ใช้ปี พ.ศ." in err and "Traceback" not in err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_year_without_a_catalog_takes_the_latest_one_renamed(tmp_path):
    made = prepare_year(42, 2563, tmp_path)  # Loei, 14 districts
    assert len(made.workbooks) == 14
    cat = load_catalog(made.catalog)
    assert cat.year == 2563 and cat.indicators == load_catalog(year=2562).indicators
    assert "คัดลอกจากเกณฑ์ปี 2562" in made.catalog.read_text(encoding="utf-8")


def test_run_on_untouched_templates_says_so_in_thai_and_exits_1(korat, capsys):
    assert cli_main(["run", str(korat / "params" / "2562.yaml"), "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "ยังไม่มีอำเภอใดส่งรายชื่อผู้สมัคร" in err and "ส่งข้อมูลแล้ว 0 จาก 32 อำเภอ" in err
    assert "อำเภอที่ส่งข้อมูล (completeness): 0 จาก 32 อำเภอ (0.0 %)" in out
    assert (
        "Traceback" not in out + err and not (korat / "reports" / "2562" / "province.pdf").exists()
    )


def test_validate_on_untouched_templates_is_thai(korat, capsys):
    args = ["validate", str(korat / "data" / "2562"), "--params",
            str(korat / "params" / "2562.yaml"), "--no-cache"]  # fmt: skip
    assert cli_main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("mchch validate: ตรวจ 32 ไฟล์ จังหวัดนครราชสีมา\n")
    assert "ปัญหาที่พบ (problems): ข้อผิดพลาด 0 รายการ (error), คำเตือน 0 รายการ" in out
    assert "หมายเหตุ" not in out  # the params were given


def _problems(out: str) -> tuple[int, int]:
    m = re.search(r"ข้อผิดพลาด (\d+) รายการ \(error\), คำเตือน (\d+) รายการ", out)
    return int(m[1]), int(m[2])


def test_validate_counts_what_the_report_counts_with_the_params(capsys):
    params = load_params(config.PARAMS_DIR / "2561.yaml")
    report = dataset.load_for_params(params).problems["severity"].value_counts()
    sample = str(config.sample_dir(2561))
    assert cli_main(["validate", sample, "--params", str(params.path), "--no-cache"]) == 0
    with_params = capsys.readouterr().out
    assert _problems(with_params) == (report.get("error", 0), report["warning"])
    assert "หมายเหตุ" not in with_params
    # without --params, the params whose inputs hold the folder are found: the same count
    assert cli_main(["validate", sample, "--no-cache"]) == 0
    without = capsys.readouterr().out
    assert _problems(without) == _problems(with_params)
    assert "ไม่ได้ระบุไฟล์พารามิเตอร์ (--params)" not in without


def test_columns_align_by_display_width_not_by_characters():
    # ครบุรี is 6 characters and 4 columns (two marks stack); เมืองนครราชสีมา 15 and 13
    assert display_width("ครบุรี") == 4 and display_width("เมืองนครราชสีมา") == 13
    assert display_width("น้ำ") == 2 and display_width("a\u200bb") == 2  # ำ takes one; ZWSP none
    assert pad("ครบุรี", 6) == "ครบุรี  " and pad(7, 3, right=True) == "  7"
    rows = [{"district_code": 3002, "d": "ครบุรี", "n": 5},
            {"district_code": 3001, "d": "เมืองนครราชสีมา", "n": 12}]  # fmt: skip
    lines = format_table(rows, [("district_code", "รหัส"), ("d", "อำเภอ"), ("n", "ผู้สมัคร")])
    # รหัส is 3 columns wide (ั stacks), the district column 13 (the longer name),, numbers right-aligned under a 5-wide head
    assert lines == [
        "รหัส   อำเภอ" + " " * 10 + "ผู้สมัคร",
        "3002  ครบุรี" + " " * 15 + "5",
        "3001  เมืองนครราชสีมา" + " " * 5 + "12",
    ]
    assert len({display_width(line) for line in lines}) == 1  # every line ends in one column


def test_the_help_lists_the_commands_in_thai(capsys):
    with pytest.raises(SystemExit) as e:
        cli_main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("วิธีใช้ (usage): mchch") and "คำสั่ง (commands):" in out
    for cmd, th in [("init", "เตรียมงานของจังหวัด"), ("validate", "ตรวจแบบฟอร์มของอำเภอ"),
                    ("run", "จัดทำรายงาน"), ("template", "แบบฟอร์มเปล่า")]:  # fmt: skip
        assert re.search(rf"^\s+{cmd}\s+{th}", out, re.M), cmd


@pytest.mark.parametrize(
    "cmd", ["init", "validate", "scores", "run", "compare", "template", "sample", "notebook"]
)
def test_each_command_s_help_is_thai_then_english(cmd, capsys):
    with pytest.raises(SystemExit):
        cli_main([cmd, "--help"])
    out = capsys.readouterr().out
    assert out.startswith(f"วิธีใช้ (usage): mchch {cmd}") and "ตัวเลือก (options):" in out
    helps = re.findall(r"^  (?:-\S+(?: \S+)?|\w+)\s{2,}(\S.*)$", out, re.M)
    assert helps and all(re.match(r"[\u0e00-\u0e7f]", h) for h in helps), helps


def test_a_wrong_command_line_is_answered_in_thai(capsys):
    with pytest.raises(SystemExit) as e:
        cli_main(["init", "30"])
    assert e.value.code == 2
    assert "ข้อผิดพลาด (error): the following arguments are required: --year" in (
        capsys.readouterr().err
    )
