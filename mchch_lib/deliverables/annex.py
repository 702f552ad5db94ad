"""A district's annex workbook (``<code>_<name>_ภาคผนวก.xlsx``): the sub-criteria each applicant
agreed with the officer (3.1, 3.2) with their scores before and after development, one sheet per
standard, a block per applicant. It was the last pages of the district's PDF; as a workbook it
prints on A4 like the forms (TH Sarabun New, the header row on every page, fit to the width) and
the district can sort and filter it.

Each indicator row shows the sums of its sub-criteria (its score, the roll-up); a sub-criterion
or an indicator whose score went down after development is marked "ลดลง". The figures are those
of the analysis frame the report's annex showed (``self_development.subcriteria_progress``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mchch_lib.analysis import self_development as development
from mchch_lib.data.catalog import STANDARD_CODES, Catalog, marks_sum
from mchch_lib.data.contract import Dataset
from mchch_lib.deliverables.excel_layout import (
    HEADER_ROW,
    Column,
    banner,
    place_line,
    table_sheet,
    widths_pt,
)

#: File name of a district's annex after its stem (``6007_ตาคลี``).
SUFFIX = "_ภาคผนวก.xlsx"
#: What the "ประเภท" column says on an indicator's row (the sum of its sub-criteria).
INDICATOR_ROW = "รวมตัวบ่งชี้"
#: The mark of a score that went down after development.
DECLINE = "ลดลง"

COLUMNS = [
    Column("ผู้สมัคร", 22),  # the applicant's id on every row (to sort, to filter), its name
    Column("รหัส", 0, least=7),  # under the id on the block's first row
    Column("เกณฑ์ย่อย", 48),
    Column("ประเภท", 16),  # "รวมตัวบ่งชี้" on one line
    Column("คะแนนเต็ม", 0, "number", "0.0", least=8),
    Column("ก่อนพัฒนา", 0, "number", "0.0", least=8),
    Column("หลังพัฒนา", 0, "number", "0.0", least=8),
    Column("เปลี่ยนแปลง", 0, "number", "0.0", least=8),
    Column("หมายเหตุ", 0, least=8),
]


def rows_of(g: pd.DataFrame, catalog: Catalog) -> list[dict]:
    """One applicant's rows: each indicator's row (the sums of its sub-criteria: marks, before,
    after, change; a sum left empty when a sub-criterion has no score) and then its
    sub-criteria, in the frame's order."""
    rows = []
    for iid, sub in g.groupby("indicator_id", sort=False):
        sums = {c: marks_sum(sub[c]) if sub[c].notna().all() else None
                for c in ("marks", "pre", "post")}  # fmt: skip
        gain = (
            None if None in (sums["pre"], sums["post"]) else marks_sum([sums["post"], -sums["pre"]])
        )
        rows.append({"indicator": True, "id": iid, "text": catalog.indicators[iid].name_th,
                     "kind_th": INDICATOR_ROW, **sums, "gain": gain})  # fmt: skip
        for r in sub.itertuples(index=False):
            own = not (r.kind == "added" and "+" in r.subcriterion_id)  # an added one's id is ours
            rows.append({"indicator": False, "id": r.subcriterion_id if own else "",
                         "text": r.text, "kind_th": r.kind_th, "marks": _num(r.marks),
                         "pre": _num(r.pre), "post": _num(r.post), "gain": _num(r.gain)})  # fmt: skip
    return rows


def _cells(who: str, r: dict) -> list:
    declined = r["gain"] is not None and r["gain"] < 0
    return [who, r["id"], r["text"], r["kind_th"], r["marks"], r["pre"], r["post"], r["gain"],
            DECLINE if declined else ""]  # fmt: skip


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def district_annex(part: Dataset, catalog: Catalog, office: str, year: int, place_th: str):
    """The annex workbook of one district (``part``: the district's dataset, as its report's
    context has it): a sheet per standard with applicants in the district."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sub = development.subcriteria_progress(part, catalog)
    apps = part.applicants
    standards = [s for s in STANDARD_CODES if (apps["standard"] == s).any()] or [STANDARD_CODES[0]]
    for std in standards:
        _standard_sheet(wb, sub[sub["standard"] == std], apps[apps["standard"] == std],
                        catalog, std, office, year, place_th)  # fmt: skip
    return wb


def _standard_sheet(wb, sub, apps, catalog, std, office, year, place_th) -> None:
    from openpyxl.styles import PatternFill

    short = catalog.standards[std].short_th
    blocks, indicator_rows, declines = [], [], 0
    for aid, g in sub.groupby("applicant_id", sort=False):
        name = g["name"].iloc[0]
        rows = rows_of(g, catalog)
        for i, r in enumerate(rows):
            if r["indicator"]:
                indicator_rows.append((len(blocks), i))
            declines += r["gain"] is not None and r["gain"] < 0 and not r["indicator"]
        blocks.append([_cells(f"{aid} {name}" if i == 0 else aid, r) for i, r in enumerate(rows)])
    ws, r = table_sheet(wb, short[:31], "", f"เกณฑ์ย่อยที่ตกลงร่วมกัน มาตรฐาน{short} {place_th}",
                        place_line(office, year), COLUMNS, blocks, top_line="ภาคผนวก")  # fmt: skip
    grey = PatternFill("solid", fgColor="F2F2F2")
    starts, row = [], HEADER_ROW + 1  # the first row of each block
    for b in blocks:
        starts.append(row)
        row += len(b)
    for bi, i in indicator_rows:  # an indicator's row shaded, as the report set it bold
        for j in range(1, len(COLUMNS) + 1):
            ws.cell(starts[bi] + i, j).fill = grey
    width = sum(widths_pt(ws))
    n_with = sub["applicant_id"].nunique()
    notes = [
        f"ผู้สมัครที่บันทึกเกณฑ์ย่อยแล้ว {n_with} จาก {len(apps)} ราย"
        + (f" เกณฑ์ย่อยที่คะแนนหลังพัฒนาลดลง {declines} ข้อ" if declines else ""),
        f"แถว “{INDICATOR_ROW}” (แรเงา) แสดงผลรวมของเกณฑ์ย่อย ซึ่งเป็นคะแนนของตัวบ่งชี้นั้น "
        "ประเภท “ปรับ” คือเกณฑ์ย่อยที่ปรับข้อความหรือคะแนนเต็มจากเกณฑ์มาตรฐาน “เพิ่ม” "
        f"คือเกณฑ์ย่อยที่เพิ่มขึ้นเอง “{DECLINE}” คือคะแนนหลังพัฒนาต่ำกว่าก่อนพัฒนา",
    ]
    r += 1
    for text in notes:
        r = banner(ws, r, len(COLUMNS), text, "note", width)


def write(params, part: Dataset, catalog: Catalog, place_th: str, path: Path) -> Path:
    """Write a district's annex atomically (Thai digits as params say)."""
    from mchch_lib.deliverables import forms

    wb = district_annex(part, catalog, params.office_th, params.year, place_th)
    if params.thai_digits:
        forms.use_thai_digits(wb)
    return forms.save(wb, path)
