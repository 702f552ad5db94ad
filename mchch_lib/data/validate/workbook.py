"""Workbook structure: every source read (a file that cannot be read is a problem, not a stop),
headers checked, missing and ignored sheets named, formulas without a saved value, and the
district cells checked against the file's other clues."""

from __future__ import annotations

from pathlib import Path

from mchch_lib.data.contract import (
    SHEETS,
)
from mchch_lib.data.ingest import (
    RawSheet,
    ReadLimits,
    Source,
    UnreadableInput,
    read_source,
)
from mchch_lib.data.validate.problems import _Collector
from mchch_lib.data.validate.state import _Validation


def _check_header(c: _Collector, raw: RawSheet) -> None:
    """Header-level problems: missing required columns, unknown and duplicate columns."""
    seen: dict[str, int] = {}
    for i, f in enumerate(raw.fields):
        if f is None:
            if raw.headers[i].strip():
                c.add("unknown_column", raw, raw.header_row, i, raw.headers[i])
            continue
        if f in seen:
            c.add("duplicate_column", raw, raw.header_row, i, raw.headers[i])
            raw.fields[i] = None  # the first one is used
        else:
            seen[f] = i
    for col in raw.spec.columns:
        if col.required and col.field not in seen:
            c.add("missing_column", raw, raw.header_row, None, None, column=col.th, field=col.field)


# ---------------------------------------------------------------- the whole load
def _read_all(v: _Validation, sources: list[Source], limits: ReadLimits) -> None:
    """Read every source; a file that cannot or must not be read is a problem, not a stop."""
    for src in sources:
        try:
            sheets, missing = read_source(src, limits)
        except UnreadableInput as e:
            name = Path(e.path).name
            v.c.add(
                e.rule,
                None,
                None,
                district=v.province.code_in_name(name),
                file=src.label if src.kind == "workbook" else f"{src.label}/{name}",
                **{"detail": "", **e.ctx, "sheet": str(e.ctx.get("sheet", ""))},
            )
            continue
        for key in missing:
            v.c.add("missing_sheet", None, None, file=src.label, sheet=SHEETS[key].th)
        for key, raw in sheets.items():
            if raw.header_row is None:
                expected = ", ".join(col.th for col in raw.spec.columns if col.required)
                if raw.rows:
                    v.c.add("header_not_found", raw, None, expected=expected, n=len(raw.rows))
                    for row, _cells in raw.rows:
                        v.c.rejected.add((raw.file, raw.sheet, row))
                v.unheaded.append(raw)
                continue
            _check_header(v.c, raw)
            v.raws[key].append(raw)
            _flag_unsaved_formulas(v, raw)
        _account_other_sheets(v, sheets)
        _locate(v, src, sheets)


def _locate(v: _Validation, src: Source, sheets: dict[str, RawSheet]) -> None:
    """The district cells of one source checked against its other clues (``location``)."""
    from mchch_lib.data.location import doubts

    found = doubts(v.province, src.path.name, list(sheets.values()))
    if found:
        for raw in sheets.values():
            v.c.doubts[(raw.file, raw.sheet)] = found


def _account_other_sheets(v: _Validation, sheets: dict[str, RawSheet]) -> None:
    """A second sheet matching a contract sheet (a hidden old copy, "ผู้สมัคร " with a trailing
    space) is not read, and says so: one error naming it and the sheet read instead, its rows
    counted as rejected in the reconciliation, so nothing is dropped silently."""
    for raw in sheets.values():
        why_th = " (แผ่นงานที่ไม่ได้ซ่อน)" if any(o.hidden for o in raw.others) else " (แผ่นงานแรก)"
        why_en = " (the visible one)" if any(o.hidden for o in raw.others) else " (the first)"
        for other in raw.others:
            v.c.add(
                "sheet_ignored",
                other,
                None,
                district=v.province.code_in_name(Path(raw.file).name),
                contract=raw.spec.th,
                chosen=raw.sheet,
                hidden_th=" (ซ่อนอยู่)" if other.hidden else "",
                hidden_en=" (hidden)" if other.hidden else "",
                chosen_why_th=why_th if not raw.hidden else "",
                chosen_why_en=why_en if not raw.hidden else "",
                n=len(other.rows),
            )
            for row, _cells in other.rows:
                v.c.rejected.add((other.file, other.sheet, row))
            v.unheaded.append(other)  # in the reconciliation: read, all rejected


def _flag_unsaved_formulas(v: _Validation, raw: RawSheet) -> None:
    """A formula cell with no saved value reads as empty: an error at the cell, not a blank."""
    district = v.province.code_in_name(Path(raw.file).name)
    for row, col, formula in raw.formulas:
        if raw.header_row is not None and row >= raw.header_row:
            v.c.add("formula_no_value", raw, row, col, formula, district)
