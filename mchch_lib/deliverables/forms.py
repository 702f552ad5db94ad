"""The official report forms as Excel workbooks (openpyxl): form 4.1 (applicants by standard)
and form 4.2 (a summary by standard, then per standard one row pair per applicant: scores
before and after development for every indicator, totals, readiness and what to develop
next), per district and consolidated for the province.

They look like Thai government forms: a title block (form number, title, office, year),
TH Sarabun New, Thai headers broken between words, borders, frozen header, A4 print set-up
with repeated header rows and page numbers, and a signature block (ผู้รายงาน, ตำแหน่ง,
วันที่) under each table; numbers as numbers, dates as dates with a BE display format; ID
numbers masked. Text from the input is always written as text, never as a formula.

Every column is wide enough for its widest word and every row tall enough for its wrapped
text, both measured with the bundled Sarabun (``textfit``) with a margin for the wider fonts an
office program substitutes where TH Sarabun New is missing: nothing is clipped and no word is
split, in Excel or in LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from mchch_lib.analysis import scoring
from mchch_lib.common import sanitize as safety
from mchch_lib.common import textfit, thai
from mchch_lib.common.atomic import atomic_path
from mchch_lib.data.catalog import STANDARD_CODES, Catalog

FONT = "TH Sarabun New"
_THAI_CHARSET = 222  # tells Excel to substitute a Thai font where TH Sarabun New is missing
BE_DATE = "[$-107041E]d mmmm yyyy"

# How much a cell holds (what tests/test_forms_fit.py checks every written cell against).
SIZE = 15  # body and header text, pt
TITLE_SIZE, SUB_SIZE = 18, 16
UNIT_PT = 5.25  # one unit of column width: 7 px of the workbook's default font at 96 dpi
PAD_PT = 3.0  # what Excel and LibreOffice keep free inside a cell, left and right together
INDENT_PT = 9.0  # one indent level: the gap between a right-aligned number and the next text
LINE_EM = 1.5  # one line of Thai text with its marks above and below (LibreOffice draws 1.31)
ROW_PAD_PT = 4.0  # above the first line (LibreOffice starts the text about 4 pt down)
WIDTH_MARGIN = 1.05  # Laksaman, LibreOffice's stand-in for TH Sarabun New, is up to 4 % wider
HEADER_ROW = 5
SIGNATURE = (
    "ลงชื่อ ........................................ ผู้รายงาน",
    "(........................................)",
    "ตำแหน่ง ........................................",
    "วันที่ ........ เดือน .................... พ.ศ. ........",
)


def room(width_pt: float, indent: float = 0) -> float:
    """Points of Sarabun text a cell ``width_pt`` wide holds on one line (margin included)."""
    return (width_pt - PAD_PT - indent * INDENT_PT) / WIDTH_MARGIN


@lru_cache(maxsize=65536)
def text_lines(text: str, room_pt: float, size: float = SIZE, bold: bool = False) -> tuple:
    """The lines a cell shows: ``text`` wrapped at word boundaries into ``room_pt``."""
    return tuple(textfit.wrap(text, room_pt, size, bold))


def row_points(lines: int, size: float = SIZE) -> float:
    """Height in points of a row that shows ``lines`` lines of text at ``size``."""
    return ROW_PAD_PT + lines * LINE_EM * size


def display_text(value, number_format: str | None = None) -> str:
    """The text a spreadsheet shows for ``value`` (under the formats these forms use)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return thai.format_date_th(value)
    if isinstance(value, float) and number_format == "0.0":
        return f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@lru_cache(maxsize=1)
def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "title": Font(name=FONT, size=TITLE_SIZE, bold=True, charset=_THAI_CHARSET),
        "sub": Font(name=FONT, size=SUB_SIZE, charset=_THAI_CHARSET),
        "head": Font(name=FONT, size=SIZE, bold=True, charset=_THAI_CHARSET),
        "body": Font(name=FONT, size=SIZE, charset=_THAI_CHARSET),
        "fill": PatternFill("solid", fgColor="E7E6E6"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "text": Alignment(wrap_text=True, horizontal="left", vertical="top", indent=1),
        "mid": Alignment(wrap_text=True, horizontal="left", vertical="center", indent=1),
        "number": Alignment(horizontal="right", vertical="top", indent=1),
        "center": Alignment(wrap_text=True, horizontal="center", vertical="center"),
        "note": Alignment(wrap_text=True, horizontal="left", vertical="top"),
        "right": Alignment(wrap_text=True, horizontal="right", vertical="top"),
    }


_STYLE_KINDS = {
    # kind: (font, alignment, border, fill, number format)
    "text": ("body", "text", True, False, None),
    "mid": ("body", "mid", True, False, None),
    "number": ("body", "number", True, False, None),
    "date": ("body", "number", True, False, BE_DATE),
    "head": ("head", "center", True, True, None),
    "title": ("title", "center", False, False, None),
    "sub": ("sub", "center", False, False, None),
    "formno": ("sub", "right", False, False, None),
    "note": ("body", "note", False, False, None),
    "total": ("head", "note", False, False, None),
    "sign": ("body", "center", False, False, None),
}


def _cell_style(wb, kind: str, number_format: str | None = None) -> str:
    """Name of a workbook cell style (one of ``_STYLE_KINDS``, optionally with a number
    format).

    A named style is registered once per workbook and assigned by name: setting font, border
    and alignment cell by cell makes openpyxl hash each style object again, which took most
    of the time of a form.
    """
    from openpyxl.styles import NamedStyle

    name = f"mchch {kind}" + (f" {number_format}" if number_format else "")
    made = wb.__dict__.setdefault("_mchch_styles", set())
    if name not in made:
        st = _styles()
        font, align, border, fill, fmt = _STYLE_KINDS[kind]
        style = NamedStyle(name=name, font=st[font], alignment=st[align])
        if border:
            style.border = st["border"]
        if fill:
            style.fill = st["fill"]
        if fmt or number_format:
            style.number_format = number_format or fmt
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


@dataclass(frozen=True)
class Column:
    """A column of a form. ``width``: the most it takes before its text wraps (Excel units);
    it is narrower when its longest text is shorter, and wider when a word or a number needs
    it. ``least``: the least width. ``kind``: "text", "number" or "date". ``merge``: in a
    table of row blocks, one cell over the whole block (e.g. the applicant's name).
    ``own_text``: text mchch writes (not the districts'): stored with its line breaks, so every
    program breaks it at the same word boundaries."""

    header: str
    width: float
    kind: str = "text"
    number_format: str | None = None
    merge: bool = False
    least: float = 0
    own_text: bool = False


def _data_kind(col: Column, value) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return "date"
    if isinstance(value, str) or value is None:
        return "mid" if col.merge else "text"
    return "number"


def _units(points: float) -> float:
    return math.ceil(points / UNIT_PT * 4) / 4


def _column_width(col: Column, values) -> float:
    """Width (units) of a column: its longest text on one line up to ``col.width``, never
    less than its header's and values' widest word (no word is ever split) nor than a
    number or date (which never wrap: Excel shows ### instead)."""
    least = textfit.widest_word(col.header, SIZE, bold=True) * WIDTH_MARGIN + PAD_PT
    longest = 0.0
    for v in values:
        shown = display_text(v, col.number_format)
        if not shown:
            continue
        if isinstance(v, str):
            word = textfit.widest_word(shown, SIZE)
            line = max(textfit.text_width(p, SIZE) for p in shown.split("\n"))
        else:
            word = line = textfit.text_width(shown, SIZE)
        least = max(least, word * WIDTH_MARGIN + PAD_PT + INDENT_PT)
        longest = max(longest, line * WIDTH_MARGIN + PAD_PT + INDENT_PT)
    return max(col.least, _units(least), min(col.width, _units(longest)))


def _fit_height(ws, r: int, points: float) -> None:
    ws.row_dimensions[r].height = math.ceil(points * 4) / 4


def _banner(ws, r: int, ncols: int, text: str, kind: str, width_pt: float) -> int:
    """One line of text over the full width (title, note, total): wrapped and fitted."""
    st = _STYLE_KINDS[kind]
    size = {"title": TITLE_SIZE, "sub": SUB_SIZE, "formno": SUB_SIZE}.get(kind, SIZE)
    bold = st[0] in ("title", "head")
    lines = text_lines(text, room(width_pt), size, bold)
    c = safe_cell(ws, r, 1, "\n".join(lines))
    c.style = _cell_style(ws.parent, kind)
    if ncols > 1:
        _merge(ws, r, 1, r, ncols)
    _fit_height(ws, r, row_points(len(lines), size))
    return r + 1


def _table(
    wb, title: str, form_no: str, heading: str, office_line: str, columns, blocks, top_line=None
):
    """A sheet with the title block, the header row and the data, every column and row sized
    to its measured text. ``blocks``: lists of rows (lists of values); a ``merge`` column
    shows the block's first value over the whole block. ``top_line``: the first line instead
    of "แบบ <form_no>". Returns (ws, next free row)."""
    from openpyxl.utils import get_column_letter

    flat = [row for block in blocks for row in block]
    widths = [_column_width(col, [row[j] for row in flat]) for j, col in enumerate(columns)]
    width_pt = [w * UNIT_PT for w in widths]
    total_pt = sum(width_pt)
    ws = wb.create_sheet(title)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    n = len(columns)
    _banner(ws, 1, n, top_line or f"แบบ {form_no}", "formno", total_pt)
    _banner(ws, 2, n, heading, "title", total_pt)
    _banner(ws, 3, n, office_line, "sub", total_pt)
    hr = HEADER_ROW
    lines = 1
    for j, col in enumerate(columns, start=1):
        text = "\n".join(text_lines(col.header, room(width_pt[j - 1]), SIZE, True))
        lines = max(lines, text.count("\n") + 1)
        ws.cell(hr, j, text).style = _cell_style(wb, "head")
    _fit_height(ws, hr, row_points(lines))
    r = hr + 1
    for block in blocks:
        r = _block(ws, r, columns, width_pt, block)
    _print_setup(ws, hr, total_pt)
    return ws, r


def _block(ws, r: int, columns, width_pt: list[float], block) -> int:
    """Rows of one block; heights fit every cell, merged cells spread over the block."""
    wb = ws.parent
    heights = [row_points(1)] * len(block)
    merged_need = 0.0
    for i, row in enumerate(block):
        for j, (col, v) in enumerate(zip(columns, row, strict=True), start=1):
            if col.merge and i > 0:
                continue
            lines = None
            if isinstance(v, str) and v:
                lines = text_lines(v, room(width_pt[j - 1], 1))
                if col.own_text:
                    v = "\n".join(lines)
            c = safe_cell(ws, r + i, j, v)
            kind = _data_kind(col, v)
            c.style = _cell_style(wb, kind, col.number_format if kind == "number" else None)
            if lines:
                need = row_points(len(lines))
                if col.merge and len(block) > 1:
                    merged_need = max(merged_need, need)
                else:
                    heights[i] = max(heights[i], need)
    short = merged_need - sum(heights)
    for i, h in enumerate(heights):
        _fit_height(ws, r + i, h + max(0.0, short) / len(block))
    if len(block) > 1:
        for j, col in enumerate(columns, start=1):
            if col.merge:
                _merge(ws, r, j, r + len(block) - 1, j)
    return r + len(block)


def _merge(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    """Merge a range whose first cell is written and styled: the covered cells take its style
    (so the borders of the whole range are drawn). ``ws.merge_cells`` does the same through
    ``MergedCellRange.format``, which re-hashes border objects and took most of the time of
    a form."""
    from copy import copy

    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCell, MergedCellRange

    mcr = MergedCellRange(ws, CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2).coord)
    ws.merged_cells.add(mcr)
    style = ws.cell(r1, c1)._style
    cells = mcr.cells
    next(cells)
    for row, col in cells:
        mc = MergedCell(ws, row, col)
        mc._style = copy(style)
        ws._cells[row, col] = mc


def _print_setup(ws, hr: int, total_pt: float) -> None:
    ws.freeze_panes = ws.cell(hr + 1, 1)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # portrait when the table fits an A4 width (7.27 in inside the margins) at 85 % or more
    ws.page_setup.orientation = "portrait" if total_pt <= 7.27 * 72 / 0.85 else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "หน้า &P / &N"
    ws.oddFooter.center.font = FONT


def _widths_pt(ws) -> list[float]:
    from openpyxl.utils import get_column_letter

    return [
        ws.column_dimensions[get_column_letter(j)].width * UNIT_PT
        for j in range(1, ws.max_column + 1)
    ]


def _signature(ws, r: int, lines: tuple[str, ...] = SIGNATURE) -> int:
    """The reporter's signature block (ลงชื่อ ... ผู้รายงาน, ตำแหน่ง, วันที่; or ``lines``) at
    the right, one blank row below the table; returns the next free row."""
    widths = _widths_pt(ws)
    need = max(textfit.text_width(t, SIZE) for t in lines) * WIDTH_MARGIN + PAD_PT
    first = len(widths) - 1
    while first > 0 and sum(widths[first:]) < need:
        first -= 1
    r += 1
    for text in lines:
        c = safe_cell(ws, r, first + 1, text)
        c.style = _cell_style(ws.parent, "sign")
        if first + 1 < len(widths):
            _merge(ws, r, first + 1, r, len(widths))
        lines = len(text_lines(text, room(sum(widths[first:]))))
        _fit_height(ws, r, row_points(lines))
        r += 1
    return r


def _bool_th(v) -> str:
    return "" if v is None or v is pd.NA else ("ใช่" if bool(v) else "ไม่ใช่")


def _place_line(office: str, year: int) -> str:
    return f"{office} ประจำปี พ.ศ. {year}"


def form_41(
    applicants: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
):
    """Form 4.1: applicants by standard (a workbook object), one sheet per standard."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cols = [
        Column("ลำดับ", 0, "number", least=6),
        Column("อำเภอ", 24),
        Column("รหัสผู้สมัคร", 24),
        Column("ชื่อ", 40),
        Column("เลขประจำตัวประชาชน", 24),
        Column("ตำบล", 22),
        Column("หมู่ที่", 0, "number", least=6),
        Column("พัฒนากรผู้รับผิดชอบ", 36),
        Column("วันที่สมัคร", 0, "date"),
        Column("ตรวจหลักฐานแล้ว", 9, least=9),
    ]
    for std in STANDARD_CODES:
        if std not in catalog.standards:
            continue
        s = catalog.standards[std]
        sub = applicants[applicants["standard"] == std]
        blocks = [[_row_41(i, a, district_names)] for i, a in enumerate(sub.itertuples(), 1)]
        ws, r = _table(
            wb,
            s.short_th[:31],
            "4.1",
            f"รายชื่อผู้สมัคร{s.name_th} {place_th}",
            _place_line(office, year),
            cols,
            blocks,
        )
        total = f"รวม {len(sub)} {s.unit_th}"
        r = _banner(ws, r + 1, len(cols), total, "total", sum(_widths_pt(ws)))
        _signature(ws, r)
    return wb


def _row_41(i: int, a, district_names: dict[int, str]) -> list:
    applied = a.applied_on.date() if isinstance(a.applied_on, pd.Timestamp) else None
    return [
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
    ]


def form_42(
    scored: pd.DataFrame,
    indicators: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
    show_district: bool | None = None,
):
    """Form 4.2: a summary sheet by standard, then one sheet per standard with a pair of rows
    per applicant (before / after development): the score of every indicator, the total and
    its share of full marks, readiness and what to develop next.

    Indicators are columns (full marks in the header, names in a key under the table), so
    the province's form takes about a page per district instead of one row per applicant
    and indicator. ``show_district``: an อำเภอ column (default: when the data has more than
    one district).
    """
    from openpyxl import Workbook

    if show_district is None:
        show_district = scored["district_code"].nunique() > 1
    wb = Workbook()
    wb.remove(wb.active)
    _summary_42(wb, scored, catalog, office, year, place_th)
    for std in STANDARD_CODES:
        if std in catalog.standards and (scored["standard"] == std).any():
            _standard_42(
                wb,
                scored,
                indicators,
                catalog,
                std,
                office,
                year,
                place_th,
                district_names if show_district else None,
            )
    return wb


def _round1(v) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 1)


#: The figures of a summary row of form 4.2 (``scoring.summarize``'s), after its label columns.
_FIGURE_COLUMNS = (
    Column("ผู้สมัคร", 0, "number", least=9),
    Column("ประเมินก่อน", 0, "number", least=9),
    Column("ประเมินหลัง", 0, "number", least=9),
    Column("เฉลี่ยก่อน (%)", 0, "number", "0.0", least=9),
    Column("เฉลี่ยหลัง (%)", 0, "number", "0.0", least=9),
    Column("พร้อมรับการประเมิน", 0, "number", least=11),
)


def _summary_42(wb, scored, catalog: Catalog, office: str, year: int, place_th: str) -> None:
    cols = [Column("มาตรฐาน", 50), *_FIGURE_COLUMNS]
    # the figures of every standard and of all: scoring.summarize, their one home
    by_std = scoring.summarize(scored, by=["standard"]).set_index("standard")
    whole = scoring.summarize(scored).iloc[0]

    def line(label, f):
        return [
            label,
            int(f["registered"]),
            int(f["pre_assessed"]),
            int(f["post_assessed"]),
            _round1(f["mean_pre_pct"]),
            _round1(f["mean_post_pct"]),
            int(f["ready"]),
        ]

    blocks = [
        [line(catalog.standards[std].name_th, by_std.loc[std] if std in by_std.index else
              scoring.summarize(scored.iloc[0:0]).iloc[0])]
        for std in STANDARD_CODES
        if std in catalog.standards
    ]  # fmt: skip
    blocks.append([line("รวม", whole)])
    ws, r = _table(
        wb,
        "สรุป",
        "4.2",
        f"สรุปผลการพัฒนาตนเอง {place_th}",
        _place_line(office, year),
        cols,
        blocks,
    )
    _signature(ws, r)


def _standard_42(wb, scored, indicators, catalog, std, office, year, place_th, names) -> None:
    """One standard's sheet of form 4.2 (see ``form_42``)."""
    s = catalog.standards[std]
    a = scored[scored["standard"] == std]
    ind = indicators[indicators["standard"] == std]
    keys = list(zip(ind["applicant_id"], ind["indicator_id"], strict=True))
    pre = dict(zip(keys, ind["pre"], strict=True))
    post = dict(zip(keys, ind["post"], strict=True))
    ids = [i.id for i in s.indicators]
    # name, district and result sit over a pair of rows: two lines each come free
    cols = [Column("อำเภอ", 12, merge=True)] if names is not None else []
    cols += [
        Column("รหัสผู้สมัคร", 24, merge=True),
        Column("ชื่อ", 26, merge=True),
        Column("ครั้ง", 0, least=6),
    ]
    cols += [
        Column(f"{i.id} ({i.full_marks:g})", 0, "number", "0.0", least=6) for i in s.indicators
    ]
    cols += [
        Column(f"รวม ({s.full_total:g})", 0, "number", "0.0", least=8),
        Column("ร้อยละ", 0, "number", "0.0", least=8),
        Column("ผล / สิ่งที่ต้องพัฒนาต่อ", 50, merge=True, own_text=True),
    ]
    blocks = []
    for x in a.itertuples(index=False):
        result = _result_th(x.ready, x.ready_reason_th)
        who = [_district_name(names, x.district_code)] if names is not None else []
        who += [x.applicant_id, x.name]
        rows = []
        for label, table, total, pct in (
            ("ก่อน", pre, x.pre_total, x.pre_pct),
            ("หลัง", post, x.post_total, x.post_pct),
        ):
            scores = [_num(table.get((x.applicant_id, i))) for i in ids]
            rows.append(who + [label, *scores, _num(total), _num(pct), result])
        blocks.append(rows)
    ws, r = _table(
        wb,
        s.short_th[:31],
        "4.2",
        f"ผลการประเมินตนเอง{s.name_th} {place_th}",
        _place_line(office, year),
        cols,
        blocks,
    )
    width = sum(_widths_pt(ws))
    key = " · ".join(f"{i.id} {i.name_th}{' *' if i.core else ''}" for i in s.indicators)
    r = _banner(ws, r + 1, len(cols), f"ตัวบ่งชี้ (คะแนนเต็มในวงเล็บ; * ตัวบ่งชี้หลัก): {key}", "note", width)
    _signature(ws, r)


def province_annex(
    scored: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    place_th: str,
    district_names: dict[int, str],
):
    """The provincial report's annex (ภาคผนวก): the long lists the report counts by district,
    one row per applicant: readiness with its reason, and who is not assessed yet."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    assessed = scored[scored["post_complete"]]
    cols = [
        Column("อำเภอ", 24),
        Column("รหัสผู้สมัคร", 24),
        Column("ชื่อ", 40),
        Column("มาตรฐาน", 24),
        Column("ร้อยละหลังพัฒนา", 0, "number", "0.0", least=9),
        Column("ผล / สิ่งที่ต้องพัฒนาต่อ", 48),
    ]
    rows = [
        [[_district_name(district_names, a.district_code), a.applicant_id, a.name,
          catalog.standards[a.standard].short_th, _num(a.post_pct),
          _result_th(a.ready, a.ready_reason_th)]]
        for a in assessed.itertuples()
    ]  # fmt: skip
    ws, r = _table(wb, "ความพร้อม", "ภาคผนวก", f"ความพร้อมรับการประเมินระดับจังหวัด {place_th}",
                   _place_line(office, year), cols, rows)  # fmt: skip
    ready = int(assessed["ready"].fillna(False).sum())
    _banner(ws, r + 1, len(cols), f"พร้อม {ready} จาก {len(assessed)} ราย", "total",
            sum(_widths_pt(ws)))  # fmt: skip
    todo = scored[~scored["post_complete"]]
    cols = [Column("อำเภอ", 24), Column("รหัสผู้สมัคร", 24), Column("ชื่อ", 40),
            Column("พัฒนากรผู้รับผิดชอบ", 36), Column("สถานะ", 30)]  # fmt: skip
    rows = [
        [[_district_name(district_names, a.district_code), a.applicant_id, a.name, a.officer,
          a.status_th]]
        for a in todo.itertuples()
    ]  # fmt: skip
    ws, r = _table(wb, "ยังไม่ประเมินหลังพัฒนา", "ภาคผนวก",
                   f"ผู้สมัครที่ยังไม่ได้ประเมินหลังพัฒนา {place_th}", _place_line(office, year),
                   cols, rows)  # fmt: skip
    _banner(ws, r + 1, len(cols), f"รวม {len(todo)} ราย", "total", sum(_widths_pt(ws)))
    return wb


def announcement(
    certified: pd.DataFrame,
    catalog: Catalog,
    office: str,
    year: int,
    province_th: str,
    district_names: dict[int, str],
):
    """The certified list as an announcement form (ประกาศรายชื่อหน่วยนับที่ผ่านการรับรอง):
    one sheet, by standard, then district; certificate number and date of each unit, the
    count per standard, and the governor's signature lines. ``certified``: the rows of
    ``final_round.certified``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    cols = [
        Column("ลำดับ", 0, "number", least=6),
        Column("เลขที่ใบรับรอง", 22),
        Column("ชื่อ", 40),
        Column("มาตรฐาน", 30),
        Column("หมู่ที่", 0, "number", least=6),
        Column("ตำบล", 20),
        Column("อำเภอ", 20),
        Column("วันที่รับรอง", 0, "date"),
    ]
    order = {s: i for i, s in enumerate(STANDARD_CODES)}
    c = certified.sort_values(
        ["standard", "district_code", "certificate_no"], key=lambda s: s.map(order)
        if s.name == "standard" else s, kind="stable"
    )  # fmt: skip
    blocks = []
    for i, x in enumerate(c.itertuples(index=False), start=1):
        on = x.certified_on.date() if isinstance(x.certified_on, pd.Timestamp) else None
        blocks.append(
            [
                [
                    i,
                    x.certificate_no,
                    x.name,
                    catalog.standards[x.standard].name_th,
                    None if pd.isna(x.moo) else int(x.moo),
                    x.tambon,
                    _district_name(district_names, x.district_code),
                    on,
                ]
            ]  # fmt: skip
        )
    ws, r = _table(
        wb,
        "ประกาศรายชื่อ",
        "",
        "รายชื่อหน่วยนับที่ผ่านการรับรองมาตรฐานการพัฒนาชุมชน (มชช.)",
        _place_line(office, year),
        cols,
        blocks,
        top_line=f"บัญชีแนบท้ายประกาศจังหวัด{province_th}",
    )
    counts = c.groupby("standard").size()
    total = "รวม " + " ".join(
        f"{catalog.standards[s].short_th} {int(counts.get(s, 0))} {catalog.standards[s].unit_th}"
        for s in STANDARD_CODES
        if s in catalog.standards
    ) + f" ทั้งหมด {len(c)} หน่วยนับ"  # fmt: skip
    r = _banner(ws, r + 1, len(cols), total, "total", sum(_widths_pt(ws)))
    _signature(
        ws,
        r,
        (
            "ประกาศ ณ วันที่ ........ เดือน .................... พ.ศ. ........",
            "ลงชื่อ ........................................",
            "(........................................)",
            f"ผู้ว่าราชการจังหวัด{province_th}",
        ),
    )
    return wb


def _result_th(ready, reason: str) -> str:
    """ "พร้อม: ผ่านเกณฑ์ทุกข้อ", "ยังไม่พร้อม: <why>", or why there is no result yet."""
    if ready is pd.NA or ready is None:
        return reason or ""
    return f"{'พร้อม' if ready else 'ยังไม่พร้อม'}: {reason}" if reason else "พร้อม"


def _district_name(names: dict[int, str], code) -> str:
    return names.get(int(code), "")


def _num(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else float(v)


def use_thai_digits(wb) -> None:
    """Show a finished form in Thai digits (params ``output.thai_digits``): numbers and dates
    by their number format (still numbers and dates for Excel), Thai text by its characters;
    codes with no Thai letter (applicant ids, masked IDs) stay as written."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if isinstance(v, bool) or v is None:
                    continue
                if isinstance(v, dt.date | dt.datetime):
                    c.number_format = c.number_format.replace("[$-107041E]", "[$-D07041E]")
                elif isinstance(v, int | float):
                    fmt = c.number_format if c.number_format != "General" else "0.##"
                    c.number_format = thai.EXCEL_THAI_DIGITS + fmt
                elif isinstance(v, str):
                    c.value = thai.thai_digits_in_text(v)


def national_summary(
    applicants: pd.DataFrame, districts: pd.DataFrame, catalog: Catalog, office: str, year: int
):
    """The national forms workbook (แบบสรุปผลระดับประเทศ): the summary by standard of form 4.2
    for the whole country, then one row per region and per province: districts expected and
    reporting (completeness), applicants, assessed, mean pre/post %, ready (``levels.rollup``:
    the same roll-up as every report)."""
    from openpyxl import Workbook

    from mchch_lib.analysis import rollup as levels

    wb = Workbook()
    wb.remove(wb.active)
    _summary_42(wb, applicants, catalog, office, year, "ทั้งประเทศ")
    for name, title in (("region", "รายภาค"), ("province", "รายจังหวัด")):
        lv = levels.LEVELS[name]
        t = levels.rollup(applicants, lv, districts=districts)
        cols = [
            Column(lv.th, 30),
            Column("อำเภอทั้งหมด", 0, "number", least=9),
            Column("อำเภอที่ส่งข้อมูล", 0, "number", least=9),
            Column("ร้อยละที่ส่ง", 0, "number", "0.0", least=9),
            *_FIGURE_COLUMNS,
        ]
        blocks = [
            [[r.name_th, int(r.expected), int(r.with_data), _round1(r.reporting_rate_pct),
              int(r.registered), int(r.pre_assessed), int(r.post_assessed),
              _round1(r.mean_pre_pct), _round1(r.mean_post_pct), int(r.ready)]]
            for r in t.itertuples()
        ]  # fmt: skip
        ws, r = _table(wb, title, "4.2", f"สรุปผลการพัฒนาตนเอง{title}",
                       _place_line(office, year), cols, blocks)  # fmt: skip
        _signature(ws, r)
    return wb


def save(wb, path: Path) -> Path:
    wb.properties.creator = "mchch"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
