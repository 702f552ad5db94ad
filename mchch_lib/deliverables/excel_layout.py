"""The house layout of an official form sheet (openpyxl): TH Sarabun New, styles, columns
as wide as their widest word and rows as tall as their wrapped text (measured with the bundled
Sarabun, ``textfit``), banners, tables, merged cells, A4 print set-up and the signature block.
The forms themselves are in ``forms``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from mchch_lib.common import sanitize as safety
from mchch_lib.common import textfit, thai

FONT = "TH Sarabun New"
_THAI_CHARSET = 222  # tells Excel to substitute a Thai font where TH Sarabun New is missing
BE_DATE = "[$-107041E]d mmmm yyyy"

# How much a cell holds (what tests/deliverables/test_forms.py checks every written cell against).
SIZE = 15  # body and header text, pt
TITLE_SIZE, SUB_SIZE = 18, 16
UNIT_PT = 5.25  # one unit of column width: 7 px of the workbook's default font at 96 dpi
PAD_PT = 3.0  # what Excel and LibreOffice keep free inside a cell, left and right together
INDENT_PT = 9.0  # one indent level: the gap between a right-aligned number and the next text
LINE_EM = 1.5  # one line of Thai text with its marks above and below (LibreOffice draws 1.31)
# each further line of a wrapped cell: the line pitch of Laksaman, LibreOffice's stand-in for TH
# Sarabun New on a PC without it (its OS/2 typo line is 1.715 em; LibreOffice draws 1.67 em: 25 pt
# between the lines of a 15 pt cell). With 1.5 em a line, the fourth line of form 4.2's merged
# indicator legend lost its lower vowels ("ความร้" for ความรู้, "ผ้นำ" for ผู้นำ).
NEXT_LINE_EM = 1.72
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
    """Height in points of a row (or merged range) that shows ``lines`` lines of text at
    ``size``: the first line, then each further one at the stand-in font's pitch."""
    return ROW_PAD_PT + (LINE_EM + max(0, lines - 1) * NEXT_LINE_EM) * size


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


def banner(ws, r: int, ncols: int, text: str, kind: str, width_pt: float) -> int:
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


def table_sheet(
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
    banner(ws, 1, n, top_line or f"แบบ {form_no}", "formno", total_pt)
    banner(ws, 2, n, heading, "title", total_pt)
    banner(ws, 3, n, office_line, "sub", total_pt)
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


def widths_pt(ws) -> list[float]:
    from openpyxl.utils import get_column_letter

    return [
        ws.column_dimensions[get_column_letter(j)].width * UNIT_PT
        for j in range(1, ws.max_column + 1)
    ]


def signature(ws, r: int, lines: tuple[str, ...] = SIGNATURE) -> int:
    """The reporter's signature block (ลงชื่อ ... ผู้รายงาน, ตำแหน่ง, วันที่; or ``lines``) at
    the right, one blank row below the table; returns the next free row."""
    widths = widths_pt(ws)
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


def bool_th(v) -> str:
    return "" if v is None or v is pd.NA else ("ใช่" if bool(v) else "ไม่ใช่")


def place_line(office: str, year: int) -> str:
    return f"{office} ประจำปี พ.ศ. {year}"
