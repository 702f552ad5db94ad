"""The official report forms as Excel workbooks (openpyxl): form 4.1 (applicants by standard)
and form 4.2 (per applicant and indicator: pre, post, full marks, gain; totals; readiness; a
summary sheet by standard), per district and consolidated for the province.

They look like Thai government forms: a title block (office, year, form number), TH Sarabun New
with a fallback, wrapped Thai headers, borders, frozen header, A4 print set-up with repeated
header rows and page numbers; numbers as numbers, dates as dates with a BE display format;
ID numbers masked. Text from the input is always written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import safety, thai
from .atomic import atomic_path
from .catalog import STANDARD_CODES, Catalog

FONT = "TH Sarabun New"
_THAI_CHARSET = 222  # tells Excel to substitute a Thai font where TH Sarabun New is missing
BE_DATE = "[$-107041E]d mmmm yyyy"


@lru_cache(maxsize=1)
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "title": Font(name=FONT, size=18, bold=True, charset=_THAI_CHARSET),
        "sub": Font(name=FONT, size=16, charset=_THAI_CHARSET),
        "head": Font(name=FONT, size=15, bold=True, charset=_THAI_CHARSET),
        "body": Font(name=FONT, size=15, charset=_THAI_CHARSET),
        "fill": PatternFill("solid", fgColor="E7E6E6"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, horizontal="center", vertical="center"),
        "right": Alignment(horizontal="right", vertical="top"),
    }


def _cell_style(wb, kind: str) -> str:
    """Name of a workbook cell style for data cells (``text``, ``number`` or ``date``).

    A named style is registered once per workbook and assigned by name: setting font, border
    and alignment cell by cell makes openpyxl hash each style object again, which took most
    of the time of a form.
    """
    from openpyxl.styles import NamedStyle

    name = f"mchch {kind}"
    made = wb.__dict__.setdefault("_mchch_styles", set())
    if name not in made:
        st = _styles()
        style = NamedStyle(
            name=name,
            font=st["body"],
            border=st["border"],
            alignment=st["wrap"] if kind == "text" else st["right"],
        )
        if kind == "date":
            style.number_format = BE_DATE
        wb.add_named_style(style)
        made.add(name)
    return name


def safe_cell(ws, row: int, col: int, value):
    """Write a value; text that looks like a formula stays text (``data_type = "s"``)."""
    if isinstance(value, float) and value != value:
        value = None
    if value is pd.NA or value is pd.NaT:
        value = None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    cell = ws.cell(row, col)
    cell.value = value
    if safety.looks_like_formula(value):
        cell.value = safety.neutralize(value)
        cell.data_type = "s"  # never a live formula built from a district's text
    return cell


def _sheet(
    wb,
    title: str,
    form_no: str,
    heading: str,
    office: str,
    year: int,
    columns: list[tuple[str, float]],
):
    """A sheet with the title block and the header row; returns (ws, first data row)."""
    from openpyxl.utils import get_column_letter

    st = _styles()
    ws = wb.create_sheet(title)
    n = len(columns)
    ws.cell(1, n, f"แบบ {form_no}").font = st["sub"]
    ws.cell(1, n).alignment = st["right"]
    ws.cell(2, 1, heading).font = st["title"]
    ws.cell(3, 1, f"{office} ประจำปี พ.ศ. {year}").font = st["sub"]
    for r, height in ((2, 30), (3, 24)):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.cell(r, 1).alignment = st["center"]
        ws.row_dimensions[r].height = height  # Thai marks above and below need the room
    hr = 5
    for j, (name, width) in enumerate(columns, start=1):
        c = ws.cell(hr, j, name)
        c.font, c.fill, c.border, c.alignment = st["head"], st["fill"], st["border"], st["center"]
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[hr].height = 42
    ws.freeze_panes = ws.cell(hr + 1, 1)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(w for _, w in columns) > 110 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "หน้า &P / &N"
    ws.oddFooter.center.font = FONT
    ws._mchch_widths = [w for _, w in columns]
    return ws, hr + 1


_LINE_PT = 21  # one line of 15 pt Thai text, marks above and below included


def _row(ws, r: int, values: list, numeric_formats: dict[int, str] | None = None) -> None:
    """A data row; its height fits the longest wrapped text (Excel does not grow rows that
    openpyxl writes, and a clipped Thai line loses its marks)."""
    widths = getattr(ws, "_mchch_widths", [])
    lines = 1
    for j, v in enumerate(values):
        if isinstance(v, str) and j < len(widths):
            # ~0.9 characters per unit of column width in TH Sarabun New 15 pt, but ~0.65 in
            # the wider font a PC without it substitutes: rows are sized for the wider one
            # (a little air in Excel beats a clipped line in LibreOffice)
            lines = max(lines, -(-thai.display_width(v) // max(1, int(widths[j] * 0.65))))
    ws.row_dimensions[r].height = _LINE_PT * lines
    for j, v in enumerate(values, start=1):
        c = safe_cell(ws, r, j, v)
        if isinstance(v, dt.date | dt.datetime):
            c.style = _cell_style(ws.parent, "date")
        else:
            c.style = _cell_style(ws.parent, "text" if isinstance(v, str) else "number")
            if numeric_formats and j in numeric_formats:
                c.number_format = numeric_formats[j]


def _bool_th(v) -> str:
    return "" if v is None or v is pd.NA else ("ใช่" if bool(v) else "ไม่ใช่")


def form_41(
    applicants: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
):
    """Form 4.1: applicants by standard (a workbook object)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cols = [
        ("ลำดับ", 6),
        ("อำเภอ", 20),
        ("รหัสผู้สมัคร", 21),
        ("ชื่อ", 34),
        ("เลขประจำตัวประชาชน", 24),
        ("ตำบล", 16),
        ("หมู่ที่", 7),
        ("พัฒนากรผู้รับผิดชอบ", 24),
        ("วันที่สมัคร", 23),
        ("ตรวจหลักฐานแล้ว", 11),
    ]
    for std in STANDARD_CODES:
        if std not in catalog.standards:
            continue
        s = catalog.standards[std]
        ws, r = _sheet(
            wb, s.short_th[:31], "4.1", f"รายชื่อผู้สมัคร{s.name_th} {place_th}", office, year, cols
        )
        sub = applicants[applicants["standard"] == std]
        for i, a in enumerate(sub.itertuples(index=False), start=1):
            applied = a.applied_on.date() if isinstance(a.applied_on, pd.Timestamp) else None
            _row(
                ws,
                r,
                [
                    i,
                    district_names.get(int(a.district_code), ""),
                    a.applicant_id,
                    a.name,
                    thai.mask_citizen_id(a.citizen_id) if isinstance(a.citizen_id, str) else "",
                    a.tambon,
                    None if pd.isna(a.moo) else int(a.moo),
                    a.officer,
                    applied,
                    _bool_th(a.evidence_checked),
                ],
            )
            r += 1
        safe_cell(ws, r + 1, 1, f"รวม {len(sub)} {s.unit_th}").font = _styles()["head"]
    return wb


def form_42(
    scored: pd.DataFrame,
    indicators: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
):
    """Form 4.2: per applicant and indicator (pre, post, full, gain), totals, readiness, and a
    summary sheet by standard."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    ws, r = _sheet(
        wb,
        "สรุป",
        "4.2",
        f"สรุปผลการพัฒนาตนเอง {place_th}",
        office,
        year,
        [
            ("มาตรฐาน", 30),
            ("ผู้สมัคร", 10),
            ("ประเมินก่อน", 11),
            ("ประเมินหลัง", 11),
            ("เฉลี่ยก่อน (%)", 12),
            ("เฉลี่ยหลัง (%)", 12),
            ("พร้อมรับการประเมิน", 12),
        ],
    )
    for std in STANDARD_CODES:
        if std not in catalog.standards:
            continue
        a = scored[scored["standard"] == std]
        pre = a.loc[a["pre_complete"], "pre_pct"]
        post = a.loc[a["post_complete"], "post_pct"]
        _row(
            ws,
            r,
            [
                catalog.standards[std].name_th,
                len(a),
                int(a["pre_complete"].sum()),
                int(a["post_complete"].sum()),
                round(float(pre.mean()), 1) if len(pre) else None,
                round(float(post.mean()), 1) if len(post) else None,
                int(a["ready"].fillna(False).sum()),
            ],
            {5: "0.0", 6: "0.0"},
        )
        r += 1
    _row(
        ws,
        r,
        [
            "รวม",
            len(scored),
            int(scored["pre_complete"].sum()),
            int(scored["post_complete"].sum()),
            None,
            None,
            int(scored["ready"].fillna(False).sum()),
        ],
    )
    ws, r = _sheet(
        wb,
        "รายผู้สมัคร",
        "4.2",
        f"ผลการพัฒนาตนเองรายผู้สมัคร {place_th}",
        office,
        year,
        [
            ("อำเภอ", 20),
            ("รหัสผู้สมัคร", 21),
            ("ชื่อ", 32),
            ("มาตรฐาน", 18),
            ("คะแนนก่อน", 10),
            ("คะแนนหลัง", 10),
            ("คะแนนเต็ม", 10),
            ("เพิ่มขึ้น", 9),
            ("ร้อยละหลัง", 10),
            ("พร้อม", 9),
            ("เหตุผล / สิ่งที่ต้องพัฒนาต่อ", 40),
        ],
    )
    for a in scored.itertuples(index=False):
        _row(
            ws,
            r,
            [
                district_names.get(int(a.district_code), ""),
                a.applicant_id,
                a.name,
                catalog.standards[a.standard].short_th,
                _num(a.pre_total),
                _num(a.post_total),
                _num(a.full_total),
                _num(a.gain),
                _num(a.post_pct),
                "" if a.ready is pd.NA else ("พร้อม" if a.ready else "ยังไม่พร้อม"),
                a.ready_reason_th,
            ],
            {5: "0.0", 6: "0.0", 8: "0.0", 9: "0.0"},
        )
        r += 1
    ws, r = _sheet(
        wb,
        "รายตัวบ่งชี้",
        "4.2",
        f"ผลการประเมินรายตัวบ่งชี้ {place_th}",
        office,
        year,
        [
            ("รหัสผู้สมัคร", 21),
            ("ชื่อ", 30),
            ("ตัวบ่งชี้", 9),
            ("ชื่อตัวบ่งชี้", 40),
            ("ก่อน", 8),
            ("หลัง", 8),
            ("เต็ม", 8),
            ("เพิ่มขึ้น", 9),
        ],
    )
    names = dict(zip(scored["applicant_id"], scored["name"], strict=True))
    for i in indicators.itertuples(index=False):
        _row(
            ws,
            r,
            [
                i.applicant_id,
                names.get(i.applicant_id, ""),
                i.indicator_id,
                i.name_th,
                _num(i.pre),
                _num(i.post),
                _num(i.full_marks),
                _num(i.gain),
            ],
            {5: "0.0", 6: "0.0", 8: "0.0"},
        )
        r += 1
    return wb


def _num(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else float(v)


def save(wb, path: Path) -> Path:
    wb.properties.creator = "mchch"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
