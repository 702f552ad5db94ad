"""Ingest and validation on the fixture corpus (tests/fixtures/, built by make_fixtures.py): each
fixture must produce exactly the problems listed (rule, sheet, Excel row, column)."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mchch_lib import config
from mchch_lib.cli import main as cli_main
from mchch_lib.data import dataset, validate
from mchch_lib.data.contract import TABLE_DTYPES
from mchch_lib.data.ingest import decode_csv_bytes

DATA = Path(__file__).parents[1] / "fixtures"
DEADLINE_41, DEADLINE_42 = dt.date(2018, 5, 18), dt.date(2018, 8, 10)

A, S, P, OF, C = "ผู้สมัคร", "คะแนน", "แผนพัฒนาตนเอง", "พัฒนากร", "คณะอนุกรรมการ"
SUB, F = "เกณฑ์ย่อย", "ผลการรับรองระดับจังหวัด"


def load(path):
    return dataset.load(
        [path],
        config.catalog_path(2561),
        60,
        deadline_41=DEADLINE_41,
        use_cache=False,
        deadline_42=DEADLINE_42,
    )


def problems(ds):
    return sorted(
        (
            (
                r.rule,
                r.sheet,
                None if pd.isna(r.row) else int(r.row),
                r.column if isinstance(r.column, str) else None,
            )
            for r in ds.problems.itertuples()
        ),
        key=repr,
    )


def assert_reconciles(ds):
    rc = ds.reconciliation
    assert (rc["rows_read"] == rc["clean"] + rc["rejected"]).all(), rc
    # every rejected row is named by at least one error problem
    errors = ds.problems[
        (ds.problems["severity"] == "error")
        & ~ds.problems["rule"].isin(["missing_column", "duplicate_column"])
    ]
    named = {
        (f, s, int(r))
        for f, s, r in zip(errors["file"], errors["sheet"], errors["row"], strict=True)
        if not pd.isna(r)
    }
    sheet_level = ds.problems[ds.problems["rule"] == "header_not_found"]
    for rec in rc.itertuples():
        if ((sheet_level["file"] == rec.file) & (sheet_level["sheet"] == rec.sheet)).any():
            assert rec.clean == 0
            continue
        rejected_rows = {r for (f, s, r) in named if f == rec.file and s == rec.sheet}
        assert len(rejected_rows) == rec.rejected


CLEAN = [
    "xlsx/mess_clean.xlsx",
    "xlsx/mess_title_rows_merged.xlsx",
    "xlsx/mess_messy_text_thai_digits_be_dates.xlsx",
    "xlsx/mess_district_aliases.xlsx",
    "xlsx/mess_long_scores.xlsx",
    "xlsx/mess_english_headers.xlsx",
    "csv_cp874",
    "csv_utf8_bom",
    "district_6007.xls",
]


@pytest.mark.parametrize("fixture", CLEAN)
def test_messy_but_valid_inputs_load_identically(fixture):
    ds = load(DATA / fixture)
    assert problems(ds) == []
    assert_reconciles(ds)
    a = ds.applicants.sort_values("applicant_id").reset_index(drop=True)
    assert list(a["applicant_id"]) == ["T-001", "T-002"]
    assert list(a["district_code"]) == [6007, 6007]
    assert list(a["standard"]) == ["leader", "group"]
    assert a.loc[0, "name"] == "นายสมชาย ใจดี"  # NBSP and trailing spaces cleaned
    assert a.loc[0, "moo"] == 3
    assert a.loc[0, "applied_on"] == dt.datetime(2018, 5, 10)
    assert a.loc[1, "applied_on"] == dt.datetime(2018, 5, 11)
    assert bool(a.loc[0, "evidence_checked"]) is True
    s = ds.scores
    assert len(s) == 32
    pre_l1 = s[(s.applicant_id == "T-001") & (s["round"] == "pre") & (s.indicator_id == "L1")]
    assert list(pre_l1["score"]) == [5.0]
    assert list(pre_l1["assessed_on"]) == [dt.datetime(2018, 6, 5)]
    post = s[(s.applicant_id == "T-002") & (s["round"] == "post")]
    assert post["score"].sum() == 78
    assert post["assessed_on"].iloc[0] == dt.datetime(2018, 7, 21)
    assert len(ds.officers) == 2 and len(ds.committee) == 5 and len(ds.plans) == 1
    assert set(ds.committee["role"]) == {"chair", "member", "secretary", "assistant_secretary"}
    for name, dtypes in TABLE_DTYPES.items():
        assert list(ds.table(name).columns) == list(dtypes)


def test_cp874_csv_is_detected_and_decoded():
    raw = (DATA / "csv_cp874" / "ผู้สมัคร.csv").read_bytes()
    text, enc = decode_csv_bytes(raw)
    assert enc == "cp874" and "กลุ่มออมทรัพย์บ้านหนองโพ" in text
    # bytes 0x80-0x9F are characters in cp874 (tis-620 would mangle them)
    assert decode_csv_bytes("“ตาคลี”".encode("cp874")) == ("“ตาคลี”", "cp874")
    assert decode_csv_bytes("\ufeffตาคลี".encode()) == ("ตาคลี", "utf-8-sig")


RULE_CASES = {
    "unknown_district": [
        ("applicant_rejected", S, 6, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 7, "รหัสผู้สมัคร"),
        ("unknown_district", A, 5, "อำเภอ"),
    ],
    "unknown_standard": [
        ("applicant_rejected", S, 6, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 7, "รหัสผู้สมัคร"),
        ("unknown_standard", A, 5, "มาตรฐาน"),
    ],
    "duplicate_applicant": [
        ("applicant_rejected", P, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 5, "รหัสผู้สมัคร"),
        ("duplicate_applicant", A, 4, "รหัสผู้สมัคร"),
        ("duplicate_applicant", A, 5, "รหัสผู้สมัคร"),
        ("unknown_applicant", S, 6, "รหัสผู้สมัคร"),
        ("unknown_applicant", S, 7, "รหัสผู้สมัคร"),
    ],
    "not_a_number": [("missing_round", A, 4, "รหัสผู้สมัคร"), ("not_a_number", S, 4, "L3")],
    "score_out_of_range": [
        ("missing_round", A, 4, "รหัสผู้สมัคร"),
        ("missing_round", A, 5, "รหัสผู้สมัคร"),
        ("score_out_of_range", S, 4, "L1"),
        ("score_out_of_range", S, 6, "G2"),
    ],
    "unknown_indicator": [("missing_round", A, 4, "รหัสผู้สมัคร"), ("unknown_indicator", S, 5, "L9")],
    "indicator_wrong_standard": [
        ("indicator_wrong_standard", S, 4, "G1"),
        ("missing_round", A, 4, "รหัสผู้สมัคร"),
    ],
    "unknown_applicant": [("unknown_applicant", S, 8, "รหัสผู้สมัคร")],
    "missing_round": [("missing_round", A, 5, "รหัสผู้สมัคร")],
    "duplicate_round": [
        ("duplicate_round", S, 4, "ครั้งที่ประเมิน"),
        ("duplicate_round", S, 8, "ครั้งที่ประเมิน"),
        ("missing_round", A, 4, "รหัสผู้สมัคร"),
    ],
    "assessed_before_applied": [
        ("assessed_before_applied", S, 4, "วันที่ประเมิน"),
        ("missing_round", A, 4, "รหัสผู้สมัคร"),
    ],
    "post_before_pre": [
        ("missing_round", A, 5, "รหัสผู้สมัคร"),
        ("post_before_pre", S, 7, "วันที่ประเมิน"),
    ],
    "invalid_citizen_id": [
        ("applicant_rejected", P, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 5, "รหัสผู้สมัคร"),
        ("invalid_citizen_id", A, 4, "เลขประจำตัวประชาชน"),
    ],
    "unknown_officer": [("unknown_officer", A, 5, "พัฒนากรผู้รับผิดชอบ")],
    "unknown_role": [("unknown_role", C, 5, "บทบาท")],
    "evidence_not_checked": [("evidence_not_checked", A, 5, "ตรวจหลักฐานแล้ว")],
    "late_application": [("late_application", A, 5, "วันที่สมัคร")],
    "missing_sheet": [
        ("missing_sheet", OF, None, None),
        ("unknown_officer", A, 4, "พัฒนากรผู้รับผิดชอบ"),
        ("unknown_officer", A, 5, "พัฒนากรผู้รับผิดชอบ"),
    ],
    "missing_column": [
        ("applicant_rejected", P, 4, "รหัสผู้สมัคร"),
        *[("applicant_rejected", S, r, "รหัสผู้สมัคร") for r in (4, 5, 6, 7)],
        ("missing_column", A, 3, "มาตรฐาน"),
        ("missing_value", A, 4, "มาตรฐาน"),
        ("missing_value", A, 5, "มาตรฐาน"),
    ],
    "bad_date": [
        ("applicant_rejected", P, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 5, "รหัสผู้สมัคร"),
        ("bad_date", A, 4, "วันที่สมัคร"),
    ],
    "unknown_round": [("missing_round", A, 4, "รหัสผู้สมัคร"), ("unknown_round", S, 5, "ครั้งที่ประเมิน")],
    "missing_value": [
        ("applicant_rejected", S, 6, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 7, "รหัสผู้สมัคร"),
        ("missing_value", A, 5, "ชื่อ"),
    ],
    "bad_yes_no": [
        ("applicant_rejected", P, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 4, "รหัสผู้สมัคร"),
        ("applicant_rejected", S, 5, "รหัสผู้สมัคร"),
        ("bad_yes_no", A, 4, "ตรวจหลักฐานแล้ว"),
    ],
    # stage 3: the timeframe, the plan, the sub-criteria
    "timeframe_reversed": [("timeframe_reversed", A, 5, "วันสิ้นสุดการพัฒนา")],
    "pre_after_start": [("pre_after_start", S, 4, "วันที่ประเมิน")],
    "post_before_end": [("post_before_end", S, 7, "วันที่ประเมิน")],
    "post_after_deadline": [("post_after_deadline", S, 7, "วันที่ประเมิน")],
    "plan_item_missing": [
        ("plan_item_missing", P, 4, "ช่วงเวลา"),
        ("plan_item_missing", P, 4, "หลักฐาน"),
    ],
    "unknown_subcriterion": [("unknown_subcriterion", SUB, 6, "รหัสเกณฑ์ย่อย")],
    "unknown_subcriterion_kind": [("unknown_subcriterion_kind", SUB, 4, "ประเภท")],
    "duplicate_subcriterion": [
        ("duplicate_subcriterion", SUB, 5, "รหัสเกณฑ์ย่อย"),
        ("duplicate_subcriterion", SUB, 6, "รหัสเกณฑ์ย่อย"),
    ],
    "subcriteria_marks_sum": [("subcriteria_marks_sum", SUB, r, "คะแนนเต็ม") for r in (4, 5, 6)],
    "subscore_out_of_range": [("subscore_out_of_range", SUB, 5, "คะแนนก่อนพัฒนา")],
    "subscore_missing": [("subscore_missing", SUB, 6, "คะแนนหลังพัฒนา")],
    "score_subcriteria_mismatch": [("score_subcriteria_mismatch", S, 5, "L1")],
    # the provincial final round
    "duplicate_final_round": [
        ("duplicate_final_round", F, 4, "รหัสผู้สมัคร"),
        ("duplicate_final_round", F, 6, "รหัสผู้สมัคร"),
    ],
    "bad_verdict": [("bad_verdict", F, 4, "ผลการประเมิน")],
    "certificate_no_missing": [("certificate_no_missing", F, 5, "เลขที่ใบรับรอง")],
    "duplicate_certificate_no": [
        ("duplicate_certificate_no", F, 4, "เลขที่ใบรับรอง"),
        ("duplicate_certificate_no", F, 5, "เลขที่ใบรับรอง"),
    ],
    "certified_verdict_conflict": [("certified_verdict_conflict", F, 5, "รับรอง")],
}


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_each_rule_fixture_gives_exactly_its_problems(rule):
    ds = load(DATA / "xlsx" / f"rule_{rule}.xlsx")
    assert problems(ds) == sorted(RULE_CASES[rule], key=repr)
    assert_reconciles(ds)
    p = ds.problems[ds.problems["rule"] == rule].iloc[0]
    r = validate.rules()[rule]
    assert p["severity"] == r.severity
    assert p["message_th"] and p["message_en"] and "{" not in p["message_th"] + p["message_en"]


def test_every_rule_has_a_fixture():
    covered = set(RULE_CASES)
    structural = {
        "header_not_found",
        "unknown_column",
        "duplicate_column",
        "district_mismatch",
        "applicant_rejected",
        "duplicate_score",
    }
    # made by tests/data/test_hostile.py from the sample (a zip bomb is no fixture to commit)
    hostile = {
        "id_in_text",
        "unreadable_empty",
        "unreadable_not_workbook",
        "unreadable_truncated",
        "unreadable_encrypted",
        "over_limit_file",
        "over_limit_member",
        "over_limit_rows",
        "unreadable_not_text",
    }
    # made by tests/data/test_hostile_inputs2.py, each from its own hostile input
    hostile2 = {
        "unreadable_special",
        "unreadable_csv",
        "over_limit_columns",
        "sheet_ignored",
        "formula_no_value",
        "implausible_year",
        "district_clues_disagree",
        "district_ambiguous",
    }
    hostile |= hostile2
    # "other" carries calamine's own message for what no other rule names
    untestable = {"unreadable_other"}
    # checked after scoring (needs readiness): tests/analysis/test_final_round.py, its own fixture
    analysis = {"certified_not_ready"}
    # one unit, one registration, one certificate; matches.csv: tests/data/test_units.py builds each
    units = {"duplicate_registration", "certified_twice", "officer_is_applicant",
             "repeated_person", "conflicting_person", "decision_unknown_unit",
             "decision_conflict"}  # fmt: skip
    left = set(validate.rules()) - covered - structural - hostile - untestable - analysis - units
    assert left == set()


def test_messages_are_specific():
    ds = load(DATA / "xlsx" / "rule_score_out_of_range.xlsx")
    p = ds.problems[ds.problems["rule"] == "score_out_of_range"].iloc[0]
    assert p["value"] == "11" and p["field"] == "score"
    assert p["message_th"] == "คะแนน 11 อยู่นอกช่วง 0–10 (คะแนนเต็มของตัวบ่งชี้ L1)"
    assert p["message_en"] == "Score 11 is outside 0–10 (full marks of indicator L1)"
    ds = load(DATA / "xlsx" / "rule_late_application.xlsx")
    p = ds.problems.iloc[0]
    assert p["message_th"] == "สมัครวันที่ 25 พฤษภาคม 2561 หลังกำหนดส่งรายชื่อ (รายงาน 4.1) 18 พฤษภาคม 2561"


def test_citizen_id_never_shown_in_full_in_problems():
    ds = load(DATA / "xlsx" / "rule_invalid_citizen_id.xlsx")
    p = ds.problems[ds.problems["rule"] == "invalid_citizen_id"].iloc[0]
    assert p["value"].count("x") >= 7


def test_structural_header_problems(tmp_path):
    src = DATA / "csv_utf8_bom"
    d = tmp_path / "in"
    shutil.copytree(src, d)
    f = d / "พัฒนากร.csv"
    text = f.read_text(encoding="utf-8-sig").replace("position", "position,note,name")
    lines = text.splitlines()
    lines = [ln + ",x,dup" if i > 2 else ln for i, ln in enumerate(lines)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    (d / "คณะอนุกรรมการ.csv").write_text("title only\n\nno header here\nrow,1\n", encoding="utf-8")
    ds = load(d)
    got = problems(ds)
    assert ("unknown_column", "พัฒนากร.csv", 3, "note") in got
    assert ("duplicate_column", "พัฒนากร.csv", 3, "name") in got
    assert ("header_not_found", "คณะอนุกรรมการ.csv", None, None) in got
    assert_reconciles(ds)
    assert len(ds.officers) == 2


def test_validate_cli_json_report_and_exit_codes(tmp_path, capsys):
    js, xl = tmp_path / "p.json", tmp_path / "p.xlsx"
    f = DATA / "xlsx" / "rule_score_out_of_range.xlsx"
    before = f.read_bytes()
    code = cli_main(
        [
            "validate",
            "--params",
            "params/2561.yaml",
            str(f),
            "--json",
            str(js),
            "--report",
            str(xl),
            "--no-cache",
        ]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "กระทบยอดแถว (reconciliation)" in out and "MISMATCH" not in out
    data = json.loads(js.read_text(encoding="utf-8"))
    assert {tuple(sorted(d)) for d in data} == {tuple(sorted(validate.PROBLEM_KEYS))}
    bad = [d for d in data if d["rule"] == "score_out_of_range"]
    assert bad[0]["row"] == 4 and bad[0]["column"] == "L1" and bad[0]["sheet"] == "คะแนน"
    assert f.read_bytes() == before  # inputs are never modified
    from openpyxl import load_workbook

    ws = load_workbook(xl).active
    assert ws.cell(1, 1).value == "รหัสอำเภอ" and ws.max_row == len(data) + 1
    assert (
        cli_main(
            [
                "validate",
                "--params",
                "params/2561.yaml",
                str(DATA / "xlsx" / "rule_missing_round.xlsx"),
                "--no-cache",
            ]
        )
        == 0
    )
    assert cli_main(["validate", "--params", "params/2561.yaml", str(tmp_path / "nope.xlsx")]) == 2
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip file at all")
    assert cli_main(["validate", "--params", "params/2561.yaml", str(junk)]) == 2
    assert "อ่านไฟล์ไม่ได้ (cannot read)" in capsys.readouterr().err


def test_cache_second_load_reads_parquet(tmp_path):
    d = tmp_path / "in"
    shutil.copytree(DATA / "csv_cp874", d)
    cache = tmp_path / "cache"
    first = dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=DEADLINE_41, cache_dir=cache
    )
    second = dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=DEADLINE_41, cache_dir=cache
    )
    assert not first.from_cache and second.from_cache
    for name in TABLE_DTYPES:
        assert second.table(name).equals(first.table(name)), name
    assert second.problems.equals(first.problems)
    # touching a file keeps the cache (content hash); changing it does not
    (d / "พัฒนากร.csv").touch()
    assert dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=DEADLINE_41, cache_dir=cache
    ).from_cache
    with (d / "พัฒนากร.csv").open("a", encoding="cp874") as f:
        f.write("ตาคลี,นายใหม่ ใจดี,เจ้าพนักงานพัฒนาชุมชน\n")
    third = dataset.load(
        [d], config.catalog_path(2561), 60, deadline_41=DEADLINE_41, cache_dir=cache
    )
    assert not third.from_cache and len(third.officers) == 3


def test_duplicate_score_in_long_layout_and_district_mismatch(tmp_path):
    import sys

    sys.path.insert(0, str(DATA))
    import make_fixtures as fx

    sheets = fx.mutate(fx._long_scores)
    dup = list(sheets["คะแนน"][1])
    sheets["คะแนน"].append(dup)  # the same indicator score twice (row of the first: 4)
    sheets["พัฒนากร"][1][0] = "ตาคลี"
    sheets["แผนพัฒนาตนเอง"][1][0] = "ตากฟ้า"  # the plan row names another district
    fx.write_csv_folder(tmp_path, sheets, "utf-8")
    ds = load(tmp_path)
    got = problems(ds)
    last = len(sheets["คะแนน"]) + 2
    assert ("duplicate_score", "คะแนน.csv", 4, "ครั้งที่ประเมิน") in got
    assert ("duplicate_score", "คะแนน.csv", last, "ครั้งที่ประเมิน") in got
    assert ("district_mismatch", "แผนพัฒนาตนเอง.csv", 4, "อำเภอ") in got
    assert_reconciles(ds)


def test_sub_criteria_are_read_with_their_kind_and_roll_up_into_the_scores():
    ds = load(DATA / "xlsx" / "cycle_subcriteria.xlsx")
    assert problems(ds) == []
    sub = ds.subcriteria
    assert list(sub["subcriterion_id"]) == ["L1.1", "L1.2", "L1.3", "L4.1", "L4.2", "L4.3", "L4+1"]
    assert list(sub["kind"]) == ["standard"] * 3 + ["adjusted", "standard", "adjusted", "added"]
    assert sub.loc[4, "text"] == "ส่งเสริมให้สตรี เยาวชน และผู้สูงอายุมีบทบาท"  # the catalog's
    assert sub.loc[3, "text"] == "จัดเวทีประชาคมทุกหมู่บ้าน"  # adjusted
    assert list(sub["source_row"]) == list(range(4, 11))
    a = ds.applicants.set_index("applicant_id")
    assert a.loc["T-001", "dev_start"] == dt.datetime(2018, 6, 6)
    assert a.loc["T-002", "dev_end"] == dt.datetime(2018, 7, 15)


def test_a_score_sheet_value_that_disagrees_with_its_sub_criteria_gives_way_to_their_sum():
    ds = load(DATA / "xlsx" / "rule_score_subcriteria_mismatch.xlsx")
    p = ds.problems.iloc[0]
    assert p["message_th"] == (
        "คะแนนตัวบ่งชี้ L1 หลังพัฒนา เป็น 7 แต่ผลรวมเกณฑ์ย่อย (แผ่นงานเกณฑ์ย่อย แถว 4, 5, 6) "
        "เป็น 8 จึงใช้ผลรวมเกณฑ์ย่อย"
    )
    s = ds.scores.set_index(["applicant_id", "round", "indicator_id"])["score"]
    assert s[("T-001", "post", "L1")] == 8 and s[("T-001", "pre", "L1")] == 5


def test_a_blank_score_cell_is_filled_by_its_sub_criteria(tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(DATA / "xlsx" / "cycle_subcriteria.xlsx")
    ws = wb["คะแนน"]
    col = [c.value for c in ws[3]].index("L4") + 1
    ws.cell(4, col).value = None  # T-001's pre L4
    wb.save(tmp_path / "blank.xlsx")
    ds = load(tmp_path / "blank.xlsx")
    assert problems(ds) == []
    s = ds.scores
    row = s[(s.applicant_id == "T-001") & (s["round"] == "pre") & (s.indicator_id == "L4")]
    assert list(row["score"]) == [8.0] and list(row["source_column"]) == ["เกณฑ์ย่อย"]


def test_the_province_final_round_file_needs_no_district_column_nor_district_sheets():
    ds = load(DATA / "final_round_folder")
    assert problems(ds) == []
    assert_reconciles(ds)
    f = ds.final_round.set_index("applicant_id")
    assert list(f["district_code"]) == [6007, 6007]  # from the applicants
    assert list(f["certificate_no"]) == ["มชช.นว 001/2561", "มชช.นว 002/2561"]
    assert f.loc["T-001", "certified_on"] == dt.datetime(2018, 9, 14)
    assert bool(f.loc["T-002", "verdict"]) and bool(f.loc["T-002", "certified"])
    assert len(ds.final_scores) == 16 and ds.final_scores["score"].sum() == 78 + 78
    assert list(ds.province_committee["role"]) == ["chair", "member", "secretary"]
    assert len(ds.for_district(6007).province_committee) == 3  # the province's, kept whole
    assert len(ds.for_district(6007).final_round) == 2 and not len(
        ds.for_district(6001).final_round
    )
