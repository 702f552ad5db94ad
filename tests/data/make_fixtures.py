"""Builds the ingest fixture corpus in this folder: one small file per kind of mess and per
validation rule. Run it after changing a fixture: ``python tests/data/make_fixtures.py``.

Every fixture is the same tiny district (ตาคลี, 6007) with one thing changed, so each test can
assert the exact problems (rule, row, column) it must produce. Row numbers are Excel rows: a
title row (1), a blank row (2), the header (3), data from row 4.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from mchch_lib.common.thai import make_citizen_id  # noqa: E402
from mchch_lib.data.catalog import load_catalog  # noqa: E402

CAT = load_catalog(year=2561)
IND = list(CAT.indicators)
LEADER = [i.id for i in CAT.standards["leader"].indicators]
GROUP = [i.id for i in CAT.standards["group"].indicators]
CID = make_citizen_id("310050012345")

APP_H = [
    "อำเภอ",
    "รหัสผู้สมัคร",
    "มาตรฐาน",
    "ชื่อ",
    "เลขประจำตัวประชาชน",
    "ตำบล",
    "หมู่ที่",
    "พัฒนากรผู้รับผิดชอบ",
    "วันที่สมัคร",
    "ตรวจหลักฐานแล้ว",
]
SCORE_H = ["อำเภอ", "รหัสผู้สมัคร", "ครั้งที่ประเมิน", "วันที่ประเมิน", *IND]
OFF_H = ["อำเภอ", "ชื่อ-สกุล", "ตำแหน่ง"]
COM_H = ["อำเภอ", "ชื่อ-สกุล", "บทบาท", "หน่วยงาน"]
PLAN_H = [
    "อำเภอ",
    "รหัสผู้สมัคร",
    "รหัสตัวบ่งชี้",
    "เรื่องที่ต้องพัฒนา",
    "วิธีการ",
    "ช่วงเวลา",
    "ผู้รู้หรือวิทยากร",
    "หลักฐาน",
]


def score_row(aid, rnd, date, values: dict):
    return ["ตาคลี", aid, rnd, date, *[values.get(i) for i in IND]]


PRE_L = dict(zip(LEADER, [5, 6, 5, 8, 6, 9, 12, 5], strict=True))
POST_L = dict(zip(LEADER, [8, 8, 7, 12, 8, 11, 16, 8], strict=True))
PRE_G = dict(zip(GROUP, [6, 5, 8, 6, 5, 9, 6, 11], strict=True))
POST_G = dict(zip(GROUP, [8, 8, 12, 8, 7, 12, 8, 15], strict=True))


def base() -> dict[str, list[list]]:
    """A fresh copy each call (a caller may change any cell, headers included)."""
    return _fresh(
        {
            "ผู้สมัคร": [
                APP_H,
                [
                    "ตาคลี",
                    "T-001",
                    "มาตรฐานผู้นำชุมชน",
                    "นายสมชาย ใจดี",
                    CID,
                    "ตาคลี",
                    3,
                    "นางสาวมาลี ศรีสุข",
                    "10/05/2561",
                    "ใช่",
                ],
                [
                    "ตาคลี",
                    "T-002",
                    "กลุ่มองค์กรชุมชน",
                    "กลุ่มออมทรัพย์บ้านหนองโพ",
                    None,
                    "หนองโพ",
                    5,
                    "นายวิชัย รักดี",
                    "11/05/2561",
                    "ใช่",
                ],
            ],
            "คะแนน": [
                SCORE_H,
                score_row("T-001", "ก่อนพัฒนา", dt.datetime(2018, 6, 5), PRE_L),
                score_row("T-001", "หลังพัฒนา", dt.datetime(2018, 7, 20), POST_L),
                score_row("T-002", "ก่อนพัฒนา", dt.datetime(2018, 6, 6), PRE_G),
                score_row("T-002", "หลังพัฒนา", dt.datetime(2018, 7, 21), POST_G),
            ],
            "พัฒนากร": [
                OFF_H,
                ["ตาคลี", "นางสาวมาลี ศรีสุข", "นักวิชาการพัฒนาชุมชนชำนาญการ"],
                ["ตาคลี", "นายวิชัย รักดี", "เจ้าพนักงานพัฒนาชุมชน"],
            ],
            "คณะอนุกรรมการ": [
                COM_H,
                ["ตาคลี", "นายอำเภอ ตาคลี", "ประธาน", "ที่ว่าการอำเภอตาคลี"],
                ["ตาคลี", "นายเกษตร ดีงาม", "กรรมการ", "สำนักงานเกษตรอำเภอตาคลี"],
                ["ตาคลี", "นางสาธารณสุข ใจงาม", "กรรมการ", "สาธารณสุขอำเภอตาคลี"],
                ["ตาคลี", "นายพัฒนาการ อำเภอ", "เลขานุการ", "สพอ.ตาคลี"],
                ["ตาคลี", "นางสาวมาลี ศรีสุข", "ผู้ช่วยเลขานุการ", "สพอ.ตาคลี"],
            ],
            "แผนพัฒนาตนเอง": [
                PLAN_H,
                [
                    "ตาคลี",
                    "T-001",
                    "L1",
                    "การวางวิสัยทัศน์",
                    "อบรม",
                    "มิ.ย.-ก.ค. 2561",
                    "วิทยากรจาก สพจ.",
                    "ภาพถ่าย",
                ],
            ],
        }
    )


def _fresh(sheets: dict) -> dict:
    # the header lists are module constants: never hand them out to be changed
    return copy.deepcopy(sheets)


def write_xlsx(
    path: Path, sheets: dict, title_rows: int = 1, merge: bool = True, blank_between: int = 1
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        r = 1
        for t in range(title_rows):
            ws.cell(r, 1, f"{name} มชช. ปี 2561 อำเภอตาคลี" if t == 0 else "จังหวัดนครสวรรค์")
            if merge:
                ws.merge_cells(
                    start_row=r, start_column=1, end_row=r, end_column=max(2, len(rows[0]))
                )
            r += 1
        r += blank_between
        for row in rows:
            for j, v in enumerate(row, start=1):
                if v is not None:
                    c = ws.cell(r, j, v)
                    if isinstance(v, dt.datetime):
                        c.number_format = "d/mm/yyyy"
            r += 1
    wb.properties.created = dt.datetime(2018, 1, 1)
    wb.properties.modified = dt.datetime(2018, 1, 1)
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    _normalize_zip(tmp, path)


def _normalize_zip(src: Path, dst: Path) -> None:
    """Fixed zip timestamps so regenerating gives the same bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*<",
                    rb"<dcterms:modified\1>"
                    rb"2018-01-01T00:00:00Z<",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2018, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    src.unlink()


def write_csv_folder(folder: Path, sheets: dict, encoding: str, title: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", encoding=encoding, newline="") as f:
            w = csv.writer(f)
            if title:
                w.writerow([f"{name} มชช. ปี 2561"])
                w.writerow([])
            for row in rows:
                w.writerow(
                    [
                        ""
                        if v is None
                        else (
                            f"{v.day:02d}/{v.month:02d}/{v.year + 543}"
                            if isinstance(v, dt.datetime)
                            else v
                        )
                        for v in row
                    ]
                )


def write_xls(path: Path, sheets: dict) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="d/mm/yyyy")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        ws.write(0, 0, f"{name} มชช. ปี 2561")
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write(i, j, v, date_style)
                else:
                    ws.write(i, j, v)
    wb.save(str(path))


# ---------------------------------------------------------------- the corpus
def mutate(fn):
    s = copy.deepcopy(base())
    fn(s)
    return s


def set_cell(sheet, row_index, header, value):
    """row_index: 1 = first data row."""

    def f(s):
        h = s[sheet][0]
        s[sheet][row_index][h.index(header)] = value

    return f


def chain(*fns):
    def f(s):
        for fn in fns:
            fn(s)

    return f


def _append(sheet, row):
    return lambda s: s[sheet].append(row)


def _drop_col(sheet, header):
    def f(s):
        j = s[sheet][0].index(header)
        for row in s[sheet]:
            del row[j]

    return f


def _long_scores(s):
    rows = [["อำเภอ", "รหัสผู้สมัคร", "ครั้งที่ประเมิน", "วันที่ประเมิน", "รหัสตัวบ่งชี้", "คะแนน"]]
    for r in s["คะแนน"][1:]:
        for i, v in zip(IND, r[4:], strict=True):
            if v is not None:
                rows.append([r[0], r[1], r[2], r[3], i, v])
    s["คะแนน"] = rows


def _messy_text(s):
    # NBSP, zero-width spaces, trailing spaces in headers and values; Thai digits; text dates
    s["ผู้สมัคร"][0] = [h + " " for h in APP_H]
    s["ผู้สมัคร"][0][1] = "รหัส\u200bผู้สมัคร"
    s["ผู้สมัคร"][1][3] = "นายสมชาย\u00a0ใจดี  "
    s["ผู้สมัคร"][1][6] = "๓"
    s["ผู้สมัคร"][1][8] = "๑๐ พ.ค. ๖๑"
    s["ผู้สมัคร"][2][8] = "11 พฤษภาคม 2561"
    s["คะแนน"][1][3] = "๕/๖/๒๕๖๑"
    s["คะแนน"][1][4] = "๕"
    s["คะแนน"][2][3] = "2561-07-20"
    s["คะแนน"][3][3] = dt.datetime(2561, 6, 6)  # an Excel date typed with a BE year
    s["คะแนน"][4][3] = "21/7/61"


def _aliases(s):
    for sheet, alias in (
        ("ผู้สมัคร", "อ.ตาคลี"),
        ("คะแนน", "อำเภอตาคลี"),
        ("พัฒนากร", "Takhli"),
        ("คณะอนุกรรมการ", "6007"),
        ("แผนพัฒนาตนเอง", 6007),
    ):
        for row in s[sheet][1:]:
            row[0] = alias


def _english(s):
    s["ผู้สมัคร"][0] = [
        "District",
        "Applicant_ID",
        "Standard",
        "Name",
        "Citizen_ID",
        "Tambon",
        "Moo",
        "Officer",
        "Applied_On",
        "Evidence_Checked",
    ]
    s["ผู้สมัคร"][1][2] = "leader"
    s["ผู้สมัคร"][2][2] = "group"
    s["คะแนน"][0][:4] = ["district", "applicant_id", "round", "assessed_on"]
    for r in s["คะแนน"][1:]:
        r[2] = "pre" if r[2] == "ก่อนพัฒนา" else "post"
    s["พัฒนากร"][0] = ["district", "name", "position"]
    s["คณะอนุกรรมการ"][0] = ["district", "name", "role", "organization"]
    s["แผนพัฒนาตนเอง"][0] = [
        "district",
        "applicant_id",
        "indicator_id",
        "topic",
        "method",
        "period",
        "expert",
        "evidence",
    ]


def _rename_sheets(mapping):
    def f(s):
        for old, new in mapping.items():
            s[new] = s.pop(old)

    return f


# ---------------------------------------------------------------- the development cycle
SUB_H = [
    "อำเภอ",
    "รหัสผู้สมัคร",
    "รหัสตัวบ่งชี้",
    "รหัสเกณฑ์ย่อย",
    "เกณฑ์ย่อย",
    "ประเภท",
    "คะแนนเต็ม",
    "คะแนนก่อนพัฒนา",
    "คะแนนหลังพัฒนา",
]
#: T-001's L1 (full 10, pre 5, post 8) as the catalog's three sub-criteria, and its L4 (full
#: 15, pre 8, post 12) with one adjusted text, one adjusted marks and one added criterion.
SUB_ROWS = [
    ["ตาคลี", "T-001", "L1", "L1.1", None, None, 4, 2, 3],
    ["ตาคลี", "T-001", "L1", "L1.2", None, None, 3, 2, 3],
    ["ตาคลี", "T-001", "L1", "L1.3", None, None, 3, 1, 2],
    ["ตาคลี", "T-001", "L4", "L4.1", "จัดเวทีประชาคมทุกหมู่บ้าน", "ปรับ", 5, 3, 4],
    ["ตาคลี", "T-001", "L4", "L4.2", None, None, 5, 3, 4],
    ["ตาคลี", "T-001", "L4", "L4.3", None, None, 4, 2, 3],
    ["ตาคลี", "T-001", "L4", None, "มีอาสาสมัครประจำหมู่บ้าน", "เพิ่ม", 1, 0, 1],
]
FINAL_H = [
    "อำเภอ",
    "รหัสผู้สมัคร",
    "วันที่ประเมิน",
    "ผลการประเมิน",
    "รับรอง",
    "เลขที่ใบรับรอง",
    "วันที่รับรอง",
    "หมายเหตุ",
    *LEADER,
    *GROUP,
]
PCOM_H = ["ชื่อ-สกุล", "บทบาท", "ตำแหน่ง", "หน่วยงาน"]


def final_row(aid, verdict, certified, number, values: dict, note=None, district="ตาคลี"):
    return [
        district,
        aid,
        dt.datetime(2018, 8, 28),
        verdict,
        certified,
        number,
        dt.datetime(2018, 9, 14),
        note,
        *[values.get(i) for i in LEADER + GROUP],
    ]


FINAL = {
    "ผลการรับรองระดับจังหวัด": [
        FINAL_H,
        final_row("T-001", "ผ่าน", "ใช่", "มชช.นว 001/2561", POST_L),
        final_row("T-002", "ผ่าน", "ใช่", "มชช.นว 002/2561", POST_G),
    ],
    "คณะกรรมการจังหวัด": [
        PCOM_H,
        ["นายผู้ว่า ราชการ", "ประธาน", "ผู้ว่าราชการจังหวัดนครสวรรค์", "ศาลากลางจังหวัด"],
        ["นางกรรมการ หนึ่ง", "กรรมการ", "ผู้อำนวยการ", "สำนักงานเกษตรจังหวัด"],
        ["นายพัฒนา จังหวัด", "เลขานุการ", "พัฒนาการจังหวัด", "สำนักงานพัฒนาชุมชนจังหวัด"],
    ],
}


def _timeframe(starts=("06/06/2561", "07/06/2561"), ends=("15/07/2561", "15/07/2561")):
    def f(s):
        s["ผู้สมัคร"][0] += ["วันเริ่มพัฒนา", "วันสิ้นสุดการพัฒนา"]
        for row, start, end in zip(s["ผู้สมัคร"][1:], starts, ends, strict=True):
            row += [start, end]

    return f


def _subcriteria(*changes):
    """The sub-criteria sheet, with (row index from 1, header, value) changes."""

    def f(s):
        rows = [list(SUB_H), *copy.deepcopy(SUB_ROWS)]
        for i, header, value in changes:
            if i >= len(rows):
                rows.append(list(rows[i - len(SUB_ROWS)]))
            rows[i][SUB_H.index(header)] = value
        s["เกณฑ์ย่อย"] = rows

    return f


def _final(*changes):
    """The final-round sheets, with (sheet, row index from 1, header, value) changes."""

    def f(s):
        fin = copy.deepcopy(FINAL)
        for sheet, i, header, value in changes:
            fin[sheet][i][fin[sheet][0].index(header)] = value
        s.update(fin)

    return f


MESS = {  # kind of mess -> sheets (all must load with no error)
    "clean": lambda s: None,
    "title_rows_merged": None,  # written with 3 merged title rows and blank rows
    "messy_text_thai_digits_be_dates": _messy_text,
    "district_aliases": _aliases,
    "long_scores": _long_scores,
    "english_headers": _english,
}

RULES = {  # rule -> mutation (expected problems are asserted in tests/test_ingest.py)
    "unknown_district": set_cell("ผู้สมัคร", 2, "อำเภอ", "อ.ลาดหลุมแก้ว"),
    "unknown_standard": set_cell("ผู้สมัคร", 2, "มาตรฐาน", "มาตรฐานเยาวชน"),
    "duplicate_applicant": set_cell("ผู้สมัคร", 2, "รหัสผู้สมัคร", "T-001"),
    "not_a_number": set_cell("คะแนน", 1, "L3", "ดี"),
    "score_out_of_range": chain(set_cell("คะแนน", 1, "L1", 11), set_cell("คะแนน", 3, "G2", -1)),
    "unknown_indicator": chain(
        lambda s: [r.append(None) for r in s["คะแนน"]],
        lambda s: s["คะแนน"][0].__setitem__(-1, "L9"),
        set_cell("คะแนน", 2, "L9", 5),
    ),
    "indicator_wrong_standard": set_cell("คะแนน", 1, "G1", 5),
    "unknown_applicant": _append(
        "คะแนน", score_row("T-999", "ก่อนพัฒนา", dt.datetime(2018, 6, 5), PRE_L)
    ),
    "missing_round": lambda s: s["คะแนน"].pop(4),
    "duplicate_round": _append(
        "คะแนน", score_row("T-001", "ก่อนพัฒนา", dt.datetime(2018, 6, 9), PRE_L)
    ),
    "assessed_before_applied": set_cell("คะแนน", 1, "วันที่ประเมิน", dt.datetime(2018, 5, 1)),
    "post_before_pre": set_cell("คะแนน", 4, "วันที่ประเมิน", dt.datetime(2018, 6, 1)),
    "invalid_citizen_id": set_cell(
        "ผู้สมัคร", 1, "เลขประจำตัวประชาชน", CID[:12] + str((int(CID[12]) + 1) % 10)
    ),
    "unknown_officer": set_cell("ผู้สมัคร", 2, "พัฒนากรผู้รับผิดชอบ", "นายสมศักดิ์ ไม่มีชื่อ"),
    "unknown_role": set_cell("คณะอนุกรรมการ", 2, "บทบาท", "ที่ปรึกษา"),
    "evidence_not_checked": set_cell("ผู้สมัคร", 2, "ตรวจหลักฐานแล้ว", "ไม่ใช่"),
    "late_application": set_cell("ผู้สมัคร", 2, "วันที่สมัคร", "25/05/2561"),
    "missing_sheet": lambda s: s.pop("พัฒนากร"),
    "missing_column": _drop_col("ผู้สมัคร", "มาตรฐาน"),
    "bad_date": set_cell("ผู้สมัคร", 1, "วันที่สมัคร", "สิบพฤษภา"),
    "unknown_round": set_cell("คะแนน", 2, "ครั้งที่ประเมิน", "ครั้งที่สาม"),
    "missing_value": set_cell("ผู้สมัคร", 2, "ชื่อ", "  \u200b"),
    "bad_yes_no": set_cell("ผู้สมัคร", 1, "ตรวจหลักฐานแล้ว", "อาจจะ"),
    # stage 3: timeframe, plan, sub-criteria
    "timeframe_reversed": _timeframe(ends=("15/07/2561", "05/06/2561")),
    "pre_after_start": _timeframe(starts=("01/06/2561", "07/06/2561")),
    "post_before_end": _timeframe(ends=("15/07/2561", "25/07/2561")),
    "post_after_deadline": set_cell("คะแนน", 4, "วันที่ประเมิน", dt.datetime(2018, 8, 15)),
    "plan_item_missing": chain(
        set_cell("แผนพัฒนาตนเอง", 1, "ช่วงเวลา", None),
        set_cell("แผนพัฒนาตนเอง", 1, "หลักฐาน", "  "),
    ),
    "unknown_subcriterion": _subcriteria((3, "รหัสเกณฑ์ย่อย", "L1.9")),
    "unknown_subcriterion_kind": _subcriteria((1, "ประเภท", "แก้ไข")),
    "duplicate_subcriterion": _subcriteria((3, "รหัสเกณฑ์ย่อย", "L1.2")),
    "subcriteria_marks_sum": _subcriteria((1, "คะแนนเต็ม", 5)),
    "subscore_out_of_range": _subcriteria((2, "คะแนนก่อนพัฒนา", 4)),
    "subscore_missing": _subcriteria((3, "คะแนนหลังพัฒนา", None)),
    "score_subcriteria_mismatch": chain(_subcriteria(), set_cell("คะแนน", 2, "L1", 7)),
    # the provincial final round
    "duplicate_final_round": chain(
        _final(),
        lambda s: s["ผลการรับรองระดับจังหวัด"].append(
            final_row("T-001", "ผ่าน", "ใช่", "มชช.นว 003/2561", POST_L)
        ),
    ),
    "bad_verdict": _final(("ผลการรับรองระดับจังหวัด", 1, "ผลการประเมิน", "ดีมาก")),
    "certificate_no_missing": _final(("ผลการรับรองระดับจังหวัด", 2, "เลขที่ใบรับรอง", None)),
    "duplicate_certificate_no": _final(
        ("ผลการรับรองระดับจังหวัด", 2, "เลขที่ใบรับรอง", "มชช.นว ๐๐๑/๒๕๖๑")
    ),
    "certified_verdict_conflict": _final(("ผลการรับรองระดับจังหวัด", 2, "ผลการประเมิน", "ไม่ผ่าน")),
}

#: Valid inputs of the development cycle (no problem at all).
CYCLE = {
    "subcriteria": chain(_timeframe(), _subcriteria()),
    "final_round": _final(),
    # T-002 not ready after development (G3, a core indicator, below its pass mark of 9),
    # certified all the same: once without a note, once with the committee's note
    "certified_not_ready": chain(
        set_cell("คะแนน", 4, "G3", 6),
        _final(("ผลการรับรองระดับจังหวัด", 2, "G3", 10)),
    ),
    "certified_not_ready_with_note": chain(
        set_cell("คะแนน", 4, "G3", 6),
        _final(
            ("ผลการรับรองระดับจังหวัด", 2, "G3", 10),
            ("ผลการรับรองระดับจังหวัด", 2, "หมายเหตุ", "คณะกรรมการตรวจหลักฐานเพิ่มเติม G3 ผ่าน"),
        ),
    ),
}


def main() -> None:
    xlsx = HERE / "xlsx"
    xlsx.mkdir(exist_ok=True)
    for name, fn in MESS.items():
        if name == "title_rows_merged":
            write_xlsx(xlsx / f"mess_{name}.xlsx", base(), title_rows=3, blank_between=2)
        else:
            write_xlsx(xlsx / f"mess_{name}.xlsx", mutate(fn))
    for name, fn in RULES.items():
        write_xlsx(xlsx / f"rule_{name}.xlsx", mutate(fn))
    for name, fn in CYCLE.items():
        write_xlsx(xlsx / f"cycle_{name}.xlsx", mutate(fn))
    # the province's own final-round file beside a district workbook: no district column
    folder = HERE / "final_round_folder"
    folder.mkdir(exist_ok=True)
    write_xlsx(folder / "6007_takhli.xlsx", base())
    province = copy.deepcopy(FINAL)
    for row in province["ผลการรับรองระดับจังหวัด"]:
        del row[0]
    write_xlsx(folder / "province_final_round.xlsx", province)
    write_csv_folder(HERE / "csv_cp874", base(), "cp874")
    write_csv_folder(HERE / "csv_utf8_bom", mutate(_english), "utf-8-sig")
    write_xls(HERE / "district_6007.xls", base())


if __name__ == "__main__":
    main()
