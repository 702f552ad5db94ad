"""The problems written for people: ``validation.xlsx`` (Thai headers, one sheet a district can
act on) and ``validation.json`` in a run's output folder."""

from __future__ import annotations

from pathlib import Path

from mchch_lib.common import sanitize as safety
from mchch_lib.data.reference import Province
from mchch_lib.data.validate.problems import _scalar, problems_json


def write_problem_files(problems_df, out_dir: Path, province_code: int) -> None:
    """``validation.xlsx`` and ``validation.json`` in a run's output folder."""
    import json

    from mchch_lib.common.atomic import write_text
    from mchch_lib.data.reference import load_province

    write_problems_xlsx(problems_df, out_dir / "validation.xlsx", load_province(province_code))
    text = json.dumps(problems_json(problems_df), ensure_ascii=False, indent=1)
    write_text(out_dir / "validation.json", text)


_PROBLEM_HEADERS_TH = {
    "district_code": "รหัสอำเภอ",
    "district_th": "อำเภอ",
    "file": "ไฟล์",
    "sheet": "แผ่นงาน",
    "row": "แถว",
    "column": "คอลัมน์",
    "severity_th": "ระดับ",
    "value": "ค่าที่กรอก",
    "message_th": "ปัญหาและวิธีแก้ไข",
    "message_en": "Problem (English)",
    "rule": "รหัสกฎ",
}


def write_problems_xlsx(problems_df, path: str | Path, province: Province | None = None) -> None:
    """One sheet of problems a district can act on: Thai headers, sorted by district, file, row.

    Written in openpyxl's streaming mode with one named cell style, so a workbook of pasted
    rows with thousands of problems is written in about a second."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter

    from mchch_lib.common.atomic import atomic_path

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("ปัญหาข้อมูล")
    wrap = Alignment(wrap_text=True, vertical="top")
    head = NamedStyle(
        "mchch head",
        font=Font(name="TH Sarabun New", bold=True, size=14),
        fill=PatternFill("solid", fgColor="DDDDDD"),
        alignment=wrap,
    )
    body = NamedStyle("mchch body", font=Font(name="TH Sarabun New", size=14), alignment=wrap)
    wb.add_named_style(head)
    wb.add_named_style(body)
    widths = [10, 16, 30, 16, 7, 18, 11, 20, 60, 50, 22]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    keys = list(_PROBLEM_HEADERS_TH)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(problems_df) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.print_title_rows = "1:1"

    def cell(value, style):
        c = WriteOnlyCell(ws, safety.neutralize(value))
        c.style = style
        if isinstance(c.value, str):
            c.data_type = "s"  # never a formula built from input text
        return c

    ws.append([cell(_PROBLEM_HEADERS_TH[k], "mchch head") for k in keys])
    for rec in problems_df.to_dict("records"):
        rec = {k: _scalar(v) for k, v in rec.items()}
        code = None if rec["district_code"] is None else int(rec["district_code"])
        name = province.districts[code].name_th if province and code in province.districts else ""
        vals = {
            **rec,
            "district_code": code,
            "district_th": name,
            "severity_th": "ข้อผิดพลาด" if rec["severity"] == "error" else "คำเตือน",
        }
        ws.append([cell(vals.get(k), "mchch body") for k in keys])
    with atomic_path(path) as tmp:
        wb.save(tmp)
