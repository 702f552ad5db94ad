"""Reading one data row: its cells cleaned, each field checked (text, looked-up values, district,
dates within the programme year), a problem for each bad or missing value."""

from __future__ import annotations

import datetime as dt

from mchch_lib.common import sanitize as safety
from mchch_lib.common import thai
from mchch_lib.data.ingest import (
    RawSheet,
)
from mchch_lib.data.reference import Province, alias_key
from mchch_lib.data.validate.problems import _Collector


def _cell(cells: list[object], col: int | None) -> object:
    if col is None or col >= len(cells):
        return None
    v = cells[col]
    if isinstance(v, str):
        return thai.clean_text(v)
    if isinstance(v, float) and v != v:
        return None
    return v


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return thai.clean_text(v)


class _RowReader:
    """Reads the fields of one raw row, adding a problem for each bad or missing value.

    A 13-digit ID number in any cell but the ID column is masked here, before any value is read,
    and reported once as a warning at its cell: nothing downstream ever sees it in full.
    """

    def __init__(self, c: _Collector, raw: RawSheet, row: int, cells: list[object]):
        self.c, self.raw, self.row, self.cells = c, raw, row, cells
        self.district: int | None = None
        for i, v in enumerate(cells):
            field_name = raw.fields[i] if i < len(raw.fields) else None
            if field_name == "citizen_id" or v is None:
                continue
            masked, found = safety.mask_cell(v)
            if found:
                if self.cells is cells:
                    self.cells = list(cells)
                self.cells[i] = masked
                c.add("id_in_text", raw, row, i, masked)

    @property
    def ok(self) -> bool:
        """No error has rejected this row so far."""
        return (self.raw.file, self.raw.sheet, self.row) not in self.c.rejected

    def col(self, field_name: str) -> int | None:
        return self.raw.column_of(field_name)

    def value(self, field_name: str) -> object:
        return _cell(self.cells, self.col(field_name))

    def add(self, rule_id: str, col: int | None, value: object = None, **ctx) -> None:
        """A problem at a column of this row given by index (e.g. one score cell)."""
        self.c.add(rule_id, self.raw, self.row, col, value, self.district, **ctx)

    def problem(self, rule_id: str, field_name: str, value: object = None, **ctx) -> None:
        """A problem at the column of a field of this row."""
        col = self.col(field_name)
        spec_col = next((c for c in self.raw.spec.columns if c.field == field_name), None)
        column = spec_col.th if spec_col is not None else field_name
        self.c.add(
            rule_id,
            self.raw,
            self.row,
            col,
            value,
            self.district,
            field=field_name,
            column=column if col is None else None,
            **ctx,
        )

    def required_text(self, field_name: str) -> str | None:
        v = _text(self.value(field_name))
        if v is None:
            self.problem("missing_value", field_name)
        return v

    def optional_text(self, field_name: str) -> str | None:
        return _text(self.value(field_name))

    def resolved(self, field_name: str, resolve, rule_id: str):
        """A required value looked up by ``resolve``; ``rule_id`` when it resolves to None."""
        raw_v = self.value(field_name)
        if raw_v is None:
            self.problem("missing_value", field_name)
            return None
        out = resolve(raw_v)
        if out is None:
            self.problem(rule_id, field_name, raw_v)
        return out

    def district_code(self, province: Province) -> int | None:
        self.district = self.resolved(
            "district_code",
            lambda v: province.resolve(thai.to_arabic_digits(_text(v) or "")),
            "unknown_district",
        )
        return _placed(self)

    def date(self, field_name: str, required: bool) -> dt.date | None:
        v = self.value(field_name)
        if v is None:
            if required:
                self.problem("missing_value", field_name)
            return None
        d = thai.parse_date(v)
        if d is None:
            self.problem("bad_date", field_name, v)
        return _in_programme_year(self, field_name, v, d)


def _placed(r: _RowReader) -> int | None:
    """The district of a row, unless the file's other clues say it is elsewhere or a shared
    name ("อ.เมือง") has nothing confirming it (``location.doubts``): then an error at the
    district cell, located in no district, and None."""
    doubt = r.c.doubts.get((r.raw.file, r.raw.sheet), {}).get(
        alias_key(thai.to_arabic_digits(_text(r.value("district_code")) or ""))
    )
    if r.district is None or doubt is None:
        return r.district
    r.district = None
    r.problem(doubt.rule, "district_code", r.value("district_code"), **doubt.ctx)
    return None


def _in_programme_year(r: _RowReader, field_name: str, v: object, d: dt.date | None):
    """A date outside the programme year (a Gregorian 1961 cell, "30/04/18" read as BE 2518)
    is an error at its cell naming its likely reading, never converted silently: None."""
    year = getattr(r.c, "year_be", None)
    if d is None or year is None:
        return d
    ok, likely = thai.plausible_reading(d, year)
    if ok:
        return d
    r.problem(
        "implausible_year",
        field_name,
        v,
        year=year,
        read_th=thai.format_date_th(d),
        read_en=f"{d.isoformat()} (BE {thai.be_year(d)})",
        likely_th=thai.format_date_th(likely) if likely else "(ไม่ทราบ)",
        likely_en=f"{likely.isoformat()} (BE {thai.be_year(likely)})" if likely else "(unknown)",
        likely_be=thai.to_be_date_str(likely) if likely else f"30/04/{year}",
    )
    return None


def _to_date64(d):
    return None if d is None else dt.datetime(d.year, d.month, d.day)
