"""data.validate.problems on hand-made problems: located messages from rules.yaml with IDs
masked and long values cut, the problem table sorted by district, file, sheet and row, the
unreadable files picked out, and the JSON with exactly the documented keys."""

import json

import pandas as pd

from mchch_lib.common.thai import make_citizen_id
from mchch_lib.data.validate import (
    PROBLEM_KEYS,
    located,
    problems_frame,
    problems_json,
    rules,
    unreadable,
)


def test_a_located_problem_takes_its_messages_and_severity_from_the_rules():
    p = located(
        "not_a_number",
        file="6007.xlsx",
        sheet="คะแนน",
        row=5,
        column="L1",
        value=12.0,
        district=6007,
    )
    assert (p.file, p.sheet, p.row, p.column, p.rule, p.severity) == (
        "6007.xlsx",
        "คะแนน",
        5,
        "L1",
        "not_a_number",
        "error",
    )
    assert p.value == "12"  # a whole float is shown as the integer typed
    assert p.message_th == '"12" ไม่ใช่ตัวเลข' and p.message_en == '"12" is not a number'
    assert p.district_code == 6007 and rules()["not_a_number"].severity == "error"


def test_an_id_in_a_value_is_masked_and_a_long_value_is_cut():
    cid = make_citizen_id("110170012345")
    p = located("not_a_number", file="f.xlsx", sheet="s", row=4, column="c", value=f"x {cid}")
    assert cid not in p.value and cid not in p.message_th and cid not in p.message_en
    long = located("not_a_number", file="f.xlsx", sheet="s", row=4, column="c", value="ก" * 500)
    assert len(long.value) == 200 and long.value.endswith("…")


def test_the_problem_table_is_sorted_and_its_json_has_the_documented_keys():
    probs = [
        located("missing_value", file="b.xlsx", sheet="ผู้สมัคร", row=9, column="ชื่อ", district=6007),
        located("missing_value", file="a.xlsx", sheet="ผู้สมัคร", row=7, column="ชื่อ", district=6007),
        located(
            "unreadable_empty", file="6001.xlsx", sheet="", row=None, column=None, district=None
        ),
        located("missing_value", file="a.xlsx", sheet="ผู้สมัคร", row=4, column="ชื่อ", district=6002),
    ]
    df = problems_frame(probs)
    assert list(df.columns) == [*PROBLEM_KEYS, "district_code"]
    assert [(r.file, None if r.row is pd.NA else r.row) for r in df.itertuples()] == [
        ("6001.xlsx", None),
        ("a.xlsx", 4),
        ("a.xlsx", 7),
        ("b.xlsx", 9),
    ]
    assert list(unreadable(df)["file"]) == ["6001.xlsx"]
    out = problems_json(df)
    assert [list(d) for d in out] == [list(PROBLEM_KEYS)] * 4
    assert out[0]["row"] is None and out[1]["row"] == 4 and isinstance(out[1]["row"], int)
    assert out[1]["message_th"] == "ไม่ได้กรอก ชื่อ" and out[1]["message_en"] == "ชื่อ is empty"
    json.dumps(out, ensure_ascii=False)  # every value is JSON as it is (no NaN, no pd.NA)
