"""``mchch template``: a blank district workbook in the contract, with Excel data validation
(drop-down lists, score limits per indicator, dates as dates) so mistakes are prevented where
the data is typed; with ``provincial=True`` the province's own final-round workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mchch_lib.common.atomic import atomic_path
from mchch_lib.data.catalog import STANDARD_CODES, load_catalog
from mchch_lib.data.contract import COMMITTEE_ROLES, ROUND_LABELS_TH, SHEETS, SUBCRITERION_KINDS
from mchch_lib.data.reference import load_province

#: Excel shows these dates with a Buddhist-Era year (Thai locale, Buddhist calendar).
BE_DATE_FORMAT = "[$-107041E]d/mm/yyyy"
HEADER_ROW = 3
LAST_ROW = 1000
_FONT = "TH Sarabun New"


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


#: The drop-down list each field takes (the hidden sheet "รายการ" holds the lists).
_FIELD_LIST = {
    "district_code": "district",
    "standard": "standard",
    "round": "round",
    "evidence_checked": "yesno",
    "role": "role",
    "indicator_id": "indicator",
    "kind": "kind",
    "verdict": "verdict",
    "certified": "yesno",
    "subcriterion_id": "subcriterion",
}


def _lists(wb, catalog, province) -> dict[str, str]:
    """The hidden sheet of drop-down values; the range formula of each list."""
    lists = wb.create_sheet("รายการ")
    lists.sheet_state = "hidden"
    columns = {
        "district": [d.name_th for d in province.districts.values()],
        "standard": [
            catalog.standards[s].name_th for s in STANDARD_CODES if s in catalog.standards
        ],
        "round": list(ROUND_LABELS_TH.values()),
        "yesno": ["ใช่", "ไม่ใช่"],
        "role": list(COMMITTEE_ROLES),
        "indicator": list(catalog.indicators),
        "kind": list(SUBCRITERION_KINDS),
        "verdict": ["ผ่าน", "ไม่ผ่าน"],
        "subcriterion": list(catalog.subcriteria),
    }
    refs = {}
    for j, (key, values) in enumerate(columns.items(), start=1):
        col = _col_letter(j)
        lists.cell(1, j, key)
        for i, v in enumerate(values, start=2):
            lists.cell(i, j, v)
        refs[key] = f"=รายการ!${col}$2:${col}${len(values) + 1}"
    return refs


def _validation(kind: str, **kw):
    """A data validation that tells what is wrong in Thai."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind == "list":
        return DataValidation(
            type="list",
            formula1=kw["ref"],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="ค่าไม่ถูกต้อง",
            error="กรุณาเลือกจากรายการ",
        )
    if kind == "date":
        return DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="วันที่",
            error="กรอกเป็นวันที่ เช่น 30/04/2561",
        )
    if kind == "moo":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2="99",
            allow_blank=True,
            showErrorMessage=True,
        )
    ind = kw["indicator"]
    return DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=repr(float(ind.full_marks)),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="คะแนนเกินคะแนนเต็ม",
        error=f"{ind.id}: คะแนน 0–{ind.full_marks:g}",
        promptTitle=ind.id,
        prompt=f"{ind.name_th} (เต็ม {ind.full_marks:g})"[:255],
        showInputMessage=True,
    )


def _column_validation(ws, c, j: int, refs: dict[str, str]) -> None:
    if c.field in _FIELD_LIST:
        dv = _validation("list", ref=refs[_FIELD_LIST[c.field]])
    elif c.dtype.startswith("datetime"):
        dv = _validation("date")
        for r in range(HEADER_ROW + 1, LAST_ROW + 1):
            ws.cell(r, j).number_format = BE_DATE_FORMAT
    elif c.field == "moo":
        dv = _validation("moo")
    else:
        return
    ws.add_data_validation(dv)
    dv.add(_rows(j))


def _rows(j: int) -> str:
    return f"{_col_letter(j)}{HEADER_ROW + 1}:{_col_letter(j)}{LAST_ROW}"


def _sheet(wb, spec, catalog, refs, title: str, note: str = "") -> None:
    """One sheet of the contract: title, header, drop-downs, date formats and score limits."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(spec.th)
    cols = [
        c
        for c in spec.columns
        if not (spec.key == "scores" and c.field in ("indicator_id", "score"))
    ]
    headers = [c.th for c in cols] + (list(catalog.indicators) if spec.indicator_columns else [])
    ws.cell(1, 1, title).font = Font(name=_FONT, size=18, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    if note:  # the district this workbook is for, under the title (the header is found below)
        ws.cell(2, 1, note).font = Font(name=_FONT, size=14, italic=True)
    head_font, fill = Font(name=_FONT, size=14, bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, h in enumerate(headers, start=1):
        c = ws.cell(HEADER_ROW, j, h)
        c.font, c.fill = head_font, fill
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[_col_letter(j)].width = 8 if len(h) <= 3 else max(14, len(h) + 4)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    for j, c in enumerate(cols, start=1):
        _column_validation(ws, c, j, refs)
    if spec.indicator_columns:
        for k, ind in enumerate(catalog.indicators.values(), start=len(cols) + 1):
            dv = _validation("score", indicator=ind)
            ws.add_data_validation(dv)
            dv.add(_rows(k))


def write_template(
    path: str | Path,
    year: int,
    province_code: int,
    district_code: int | None = None,
    catalog_path: str | Path | None = None,
    provincial: bool = False,
) -> Path:
    """Write the blank workbook; return its path. ``provincial``: the province's final-round
    workbook (results of the provincial committee, its members) instead of a district's."""
    from openpyxl import Workbook

    catalog = load_catalog(catalog_path, year=year)
    province = load_province(province_code)
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    refs = _lists(wb, catalog, province)
    district_name = province.districts[district_code].name_th if district_code else None
    place = f" อำเภอ{district_name}" if district_name and not provincial else ""
    note = (
        f"แบบฟอร์มของอำเภอ{district_name} (รหัส {district_code}): กรอกตั้งแต่แถวที่ "
        f"{HEADER_ROW + 1} ช่องอำเภอเลือก {district_name}"
        if place
        else ""
    )
    for spec in SHEETS.values():
        if spec.provincial == provincial:
            title = f"{spec.th} มชช. ปี {year}{place} จังหวัด{province.name_th}"
            _sheet(wb, spec, catalog, refs, title, note)
    wb.move_sheet("รายการ", offset=len(wb.sheetnames))
    wb.properties.creator = "mchch"
    wb.properties.created = dt.datetime(2000, 1, 1)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
